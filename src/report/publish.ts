/** What publish reports: its outputs (digest, tags, metadata ...) and its job summary. */
import type { BuildResult } from '../build/types.js';
import type { Selection } from '../build/select.js';
import type { RunContext } from '../context.js';
import type { PackageFacts } from '../github/packages.js';
import { packageUrl } from '../github/registry.js';
import type { PublishPlan } from '../inputs/publish.js';
import { platformDigests, repositoryOf, type Manifest } from '../registry/index.js';
import type { Session } from '../session/index.js';
import { writeOutputs } from './outputs.js';
import { writePublishSummary } from './summary.js';

export interface Published {
  plan: PublishPlan;
  selection: Selection;
  session: Session;
  result: BuildResult;
  /** The manifest every tag resolves to, when the image was pushed. */
  manifest: Manifest | undefined;
  newPackage: boolean;
  /** The platform(s) the pushed manifest holds (os/arch[/variant], comma-separated), when pushed. */
  platform?: string;
  /** The package's visibility and page, when GitHub's Packages API answered. */
  facts?: PackageFacts;
}

export async function reportPublished(published: Published, context: RunContext): Promise<void> {
  const { plan, selection, session, result, manifest } = published;
  const repository = repositoryOf(plan.image);
  const tags = plan.build.tags.map((tag) => `${repository}:${tag}`);
  const digest = manifest?.digest;
  const platforms = manifest ? platformDigests(manifest) : {};
  // What was written to the registry: every tag once the image was pushed, nothing otherwise (the image is
  // then only tagged where it was built).
  const written = manifest ? tags : [];
  const metadata = {
    image: repository,
    tags,
    written,
    digest: digest ?? null,
    imageId: result.imageId,
    pushed: plan.build.push,
    byDigest: plan.build.byDigest,
    platform: published.platform ?? null,
    builder: selection.builder.name,
    builderReason: selection.why,
    // A local image published as is ('source') carries its own labels, not the ones a build would add.
    labels: selection.builds ? plan.build.labels : {},
    platformDigests: platforms,
    authMethod: session.method,
    details: result.details,
  };
  writeOutputs({
    digest,
    'image-id': result.imageId,
    image: repository,
    tags: written.length ? written.join('\n') : undefined,
    ref: digest ? `${repository}@${digest}` : undefined,
    'platform-digests': JSON.stringify(platforms),
    platform: published.platform || undefined,
    metadata: JSON.stringify(metadata),
    'auth-method': session.method,
  });
  await writePublishSummary({
    image: repository,
    tags,
    digest,
    imageId: result.imageId,
    builder: selection.builds ? `${selection.builder.name} (${selection.why})` : `none: ${selection.why}`,
    authMethod: session.method,
    pushed: plan.build.push,
    byDigest: plan.build.byDigest && manifest ? { platform: published.platform ?? '' } : undefined,
    whyNotPushed: plan.whyNotPushed,
    platformDigests: platforms,
    packageUrl: packageUrl(plan.image, context),
    newPackage: published.newPackage,
    visibility: published.facts,
  });
}
