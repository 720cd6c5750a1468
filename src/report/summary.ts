/**
 * Job summaries. The summary is HTML: every value is escaped here (an image name, a platform an index lists, a
 * reason that quotes an input), so no caller can put markup or a script into it. Callers pass text, or text
 * marked as code.
 */
import * as core from '@actions/core';
import { printable } from '../registry/index.js';

/** A summary cell: plain text, text shown as code, code one item a line; parts are joined as given. */
export type Cell = string | { code: string } | { codeLines: string[] } | Cell[];

/**
 * `text` safe in HTML element content and double-quoted attributes: & < > " escaped, and made printable
 * first (it may come from the network).
 */
export function escapeHtml(text: string): string {
  return printable(text, 2000).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const code = (text: string): string => `<code>${escapeHtml(text)}</code>`;

/** A cell as HTML: text escaped, code in <code>, lines of code one a line, lists of parts joined. */
export function cellHtml(cell: Cell): string {
  if (Array.isArray(cell)) return cell.map(cellHtml).join('');
  if (typeof cell === 'string') return escapeHtml(cell);
  if ('codeLines' in cell) return cell.codeLines.map(code).join('<br>');
  return code(cell.code);
}

export interface PublishSummary {
  image: string;
  tags: string[];
  digest: string | undefined;
  imageId: string;
  builder: string;
  authMethod: string;
  pushed: boolean;
  /** Pushed with no tag (`push: by-digest`), and the platform(s) it holds. */
  byDigest?: { platform: string };
  whyNotPushed: string | undefined;
  platformDigests: Record<string, string>;
  /** The package page on GitHub, when the registry is GitHub's. */
  packageUrl: string | undefined;
  newPackage: boolean;
  /** The package's visibility and settings, when GitHub's Packages API answered. */
  visibility?: { visibility: string; htmlUrl: string };
}

const row = (name: string, html: string) => [{ data: escapeHtml(name), header: true }, { data: html }];

/** The job summary of a publish: what was pushed, how to pull it by digest, and where the package lives. */
export async function writePublishSummary(summary: PublishSummary): Promise<void> {
  const s = core.summary.addHeading(escapeHtml(`Published ${summary.image}`), 2);
  s.addTable([
    row('Image', escapeHtml(summary.image)),
    summary.byDigest
      ? row('Tags', escapeHtml('none: pushed by digest, for a merge step to tag'))
      : row(summary.pushed ? 'Tags' : 'Tags (here only, not pushed)', cellHtml({ codeLines: summary.tags })),
    ...(summary.byDigest?.platform ? [row('Platform', escapeHtml(summary.byDigest.platform))] : []),
    row('Digest', summary.digest ? cellHtml({ code: summary.digest }) : 'none (not pushed)'),
    row('Image ID', cellHtml({ code: summary.imageId })),
    row('Builder', escapeHtml(summary.builder)),
    row('Credentials', escapeHtml(summary.authMethod)),
  ]);
  const platforms = Object.entries(summary.platformDigests);
  if (platforms.length) {
    s.addTable([
      [
        { data: 'Platform', header: true },
        { data: 'Digest', header: true },
      ],
      ...platforms.map(([platform, digest]) => [
        { data: escapeHtml(platform) },
        { data: cellHtml({ code: digest }) },
      ]),
    ]);
  }
  if (summary.pushed && summary.digest) {
    s.addRaw('Pull exactly this image (by digest, immune to tag moves):', true);
    s.addCodeBlock(escapeHtml(`docker pull ${summary.image}@${summary.digest}`), 'sh');
  } else {
    s.addRaw(escapeHtml(`Not pushed: ${summary.whyNotPushed ?? 'push is off'}.`), true);
  }
  if (summary.packageUrl) s.addLink('Package page', escapeHtml(summary.packageUrl)).addBreak();
  if (summary.visibility) {
    const { visibility, htmlUrl } = summary.visibility;
    const page = htmlUrl.replace('/packages/container/package/', '/packages/container/').replace(/\/$/, '');
    const settings = htmlUrl ? ` (settings: ${page}/settings)` : '';
    s.addRaw(escapeHtml(`The package is ${visibility}${settings}.`), true);
  }
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
  rows: [string, Cell][],
  pullCommand?: string,
): Promise<void> {
  const s = core.summary.addHeading(escapeHtml(title), 2);
  s.addTable(rows.map(([name, value]) => row(name, cellHtml(value))));
  if (pullCommand) {
    s.addRaw('Pull exactly this image (by digest, immune to tag moves):', true);
    s.addCodeBlock(escapeHtml(pullCommand), 'sh');
  }
  await s.write();
}
