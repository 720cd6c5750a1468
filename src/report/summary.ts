import * as core from '@actions/core';

export interface PublishSummary {
  image: string;
  tags: string[];
  digest: string | undefined;
  imageId: string;
  builder: string;
  authMethod: string;
  pushed: boolean;
  whyNotPushed: string | undefined;
  platformDigests: Record<string, string>;
  /** The package page on GitHub, when the registry is GitHub's. */
  packageUrl: string | undefined;
  newPackage: boolean;
}

/** The job summary of a publish: what was pushed, how to pull it by digest, and where the package lives. */
export async function writePublishSummary(summary: PublishSummary): Promise<void> {
  const s = core.summary.addHeading(`Published ${summary.image}`, 2);
  const rows = [
    [{ data: 'Image', header: true }, { data: summary.image }],
    [{ data: 'Tags', header: true }, { data: summary.tags.map((t) => `<code>${t}</code>`).join('<br>') }],
    [
      { data: 'Digest', header: true },
      { data: summary.digest ? `<code>${summary.digest}</code>` : 'none (not pushed)' },
    ],
    [{ data: 'Image ID', header: true }, { data: `<code>${summary.imageId}</code>` }],
    [{ data: 'Builder', header: true }, { data: summary.builder }],
    [{ data: 'Credentials', header: true }, { data: summary.authMethod }],
  ];
  s.addTable(rows);
  const platforms = Object.entries(summary.platformDigests);
  if (platforms.length) {
    s.addTable([
      [
        { data: 'Platform', header: true },
        { data: 'Digest', header: true },
      ],
      ...platforms.map(([platform, digest]) => [{ data: platform }, { data: `<code>${digest}</code>` }]),
    ]);
  }
  if (summary.pushed && summary.digest) {
    s.addRaw('Pull exactly this image (by digest, immune to tag moves):', true);
    s.addCodeBlock(`docker pull ${summary.image}@${summary.digest}`, 'sh');
  } else {
    s.addRaw(`Not pushed: ${summary.whyNotPushed ?? 'push is off'}.`, true);
  }
  if (summary.packageUrl) s.addLink('Package page', summary.packageUrl).addBreak();
  if (summary.pushed && summary.newPackage && summary.packageUrl) {
    s.addRaw(
      'This package is new. New ghcr.io packages start private (one connected to a public repository may follow its visibility). To change it: package settings, "Danger Zone", "Change visibility".',
      true,
    );
  }
  await s.write();
}

/** A short job summary for resolve, pull and promote: what was read or written, by digest. */
export async function writeSimpleSummary(
  title: string,
  rows: [string, string][],
  pullCommand?: string,
): Promise<void> {
  const s = core.summary.addHeading(title, 2);
  s.addTable(rows.map(([name, value]) => [{ data: name, header: true }, { data: value }]));
  if (pullCommand) {
    s.addRaw('Pull exactly this image (by digest, immune to tag moves):', true);
    s.addCodeBlock(pullCommand, 'sh');
  }
  await s.write();
}
