/**
 * The retention plan, as pure functions of a package's versions, what their manifests refer to, and the policy:
 * which versions the policy keeps, everything reachable from them kept too (an index's children, a signature or
 * attestation with its subject), the rest deleted, referrers before what they refer to.
 */
import type { RetentionPolicy } from '../inputs/cleanup.js';

/** One version of a package, as the Packages API lists it. */
export interface PackageVersion {
  id: number;
  /** The manifest digest (the version's `name`). */
  digest: string;
  tags: string[];
  createdAt: Date;
}

/** What a version's manifest refers to: an index's children; the subject of a signature or OCI referrer. */
export interface Links {
  children: Map<string, string[]>;
  /** From the OCI `subject` field of the manifest. */
  subject: Map<string, string>;
  /** Versions whose manifest could not be read: never deleted, their references unknown. */
  unreadable: Set<string>;
}

export interface Decision {
  version: PackageVersion;
  why: string;
}

export interface RetentionPlan {
  /** In the order to delete them: whatever refers to another deleted version comes before it. */
  delete: Decision[];
  keep: Decision[];
}

/**
 * Tags that name the image they belong to: cosign's sha256-<hex>.sig / .att / .sbom, and the OCI referrers tag
 * schema's sha256-<hex> (an index of referrers, on registries without the referrers API, ghcr.io among them).
 */
const COMPANION = /^(sha256)-([0-9a-f]{64})(?:\.(sig|att|sbom))?$/;

export function companionSubject(tag: string): string | undefined {
  const match = COMPANION.exec(tag);
  return match ? `${match[1]}:${match[2]}` : undefined;
}

const DAY = 86_400_000;
const ageText = (ms: number) => (ms >= DAY ? `${Math.floor(ms / DAY)}d` : `${Math.floor(ms / 3_600_000)}h`);

/**
 * The subject a version follows, when it has no tag of its own (none, or only companion tags): its manifest's
 * OCI subject, or its companion tags' subject, when that is in the package.
 */
function subjectOf(version: PackageVersion, links: Links, present: Set<string>): string | undefined {
  const subjects = version.tags.map(companionSubject);
  if (subjects.some((s) => s === undefined)) return undefined;
  const fromManifest = links.subject.get(version.digest);
  if (fromManifest && present.has(fromManifest)) return fromManifest;
  const first = subjects[0];
  return first && subjects.every((s) => s === first) && present.has(first) ? first : undefined;
}

/** What the policy alone says of a version that follows no subject: keep (with why) or delete (with why). */
function policyDecision(
  version: PackageVersion,
  rank: number | undefined,
  policy: RetentionPolicy,
  now: Date,
  unknownReach: boolean,
): { keep: boolean; why: string } {
  const age = now.getTime() - version.createdAt.getTime();
  const young = policy.olderThan !== undefined && age < policy.olderThan.ms;
  const newer = `newer than ${policy.olderThan?.text ?? ''} (${ageText(Math.max(age, 0))} old)`;
  if (version.tags.length === 0) {
    if (!policy.untagged)
      return { keep: true, why: 'untagged, and untagged versions are kept (untagged: false)' };
    if (young) return { keep: true, why: `untagged, ${newer}` };
    // A by-digest push waits, untagged, for the merge that tags it: without older-than, a day's grace.
    if (policy.olderThan === undefined && age < DAY)
      return {
        keep: true,
        why: 'untagged, less than a day old (a by-digest push may await its merge; older-than decides)',
      };
    if (unknownReach)
      return { keep: true, why: 'untagged, kept: a manifest that could not be read may refer to it' };
    return { keep: false, why: 'untagged, and nothing kept refers to it' };
  }
  for (const tag of version.tags) {
    const pattern = policy.keepTags.find((p) => p.regex.test(tag));
    if (pattern) return { keep: true, why: `tag ${tag} matches keep-tags ${pattern.text}` };
  }
  if (rank !== undefined && rank < policy.keepLast)
    return { keep: true, why: `one of the ${policy.keepLast} most recent tagged versions` };
  if (young) return { keep: true, why: newer };
  return {
    keep: false,
    why: `no tag matches keep-tags, not among the ${policy.keepLast} most recent tagged${policy.olderThan ? `, older than ${policy.olderThan.text}` : ''}`,
  };
}

const newestFirst = (a: PackageVersion, b: PackageVersion) =>
  b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;

/** The full plan: policy roots, everything they reach kept, the rest deleted in a safe order. */
export function retentionPlan(
  versions: PackageVersion[],
  links: Links,
  policy: RetentionPolicy,
  now: Date,
): RetentionPlan {
  const byDigest = new Map(versions.map((v) => [v.digest, v]));
  const present = new Set(byDigest.keys());
  const subjects = new Map<string, string>();
  const followers = new Map<string, string[]>();
  for (const version of versions) {
    const subject = subjectOf(version, links, present);
    if (subject === undefined || subject === version.digest) continue;
    subjects.set(version.digest, subject);
    followers.set(subject, [...(followers.get(subject) ?? []), version.digest]);
  }
  const ranked = versions.filter((v) => v.tags.length && !subjects.has(v.digest)).sort(newestFirst);
  const rank = new Map(ranked.map((v, i) => [v.digest, i]));

  const kept = new Map<string, string>();
  const pending = new Map<string, string>();
  for (const version of [...versions].sort(newestFirst)) {
    if (links.unreadable.has(version.digest)) {
      kept.set(version.digest, 'its manifest could not be read: kept, to be safe');
    } else if (!subjects.has(version.digest)) {
      const unknownReach = links.unreadable.size > 0;
      const decision = policyDecision(version, rank.get(version.digest), policy, now, unknownReach);
      if (decision.keep) kept.set(version.digest, decision.why);
      else pending.set(version.digest, decision.why);
    }
  }
  reachFrom(kept, links, followers, present);

  const toDelete = versions
    .filter((v) => !kept.has(v.digest))
    .map((version) => {
      const subject = subjects.get(version.digest);
      const why = subject
        ? `refers to ${subject}, which is deleted`
        : (pending.get(version.digest) ?? 'not kept');
      return { version, why };
    });
  const keep = [...versions]
    .sort(newestFirst)
    .filter((v) => kept.has(v.digest))
    .map((version) => ({ version, why: kept.get(version.digest) ?? '' }));
  return { delete: deletionOrder(toDelete, links, subjects), keep };
}

/** Adds to `kept` everything reachable from it: children of indexes, and followers of kept subjects. */
function reachFrom(
  kept: Map<string, string>,
  links: Links,
  followers: Map<string, string[]>,
  present: Set<string>,
): void {
  const queue = [...kept.keys()];
  while (queue.length) {
    const digest = queue.shift() as string;
    const reached = [
      ...(links.children.get(digest) ?? []).map((d) => [d, `in the index ${digest}, which is kept`]),
      ...(followers.get(digest) ?? []).map((d) => [d, `refers to ${digest}, which is kept`]),
    ];
    for (const [next, why] of reached) {
      if (!next || !why || kept.has(next) || !present.has(next)) continue;
      kept.set(next, why);
      queue.push(next);
    }
  }
}

/** Deletions ordered so that a version goes before anything it refers to (index before children, signature
 * before subject): no remaining manifest ever names one that is gone, whenever a run stops. */
export function deletionOrder(items: Decision[], links: Links, subjects: Map<string, string>): Decision[] {
  const deleted = new Map(items.map((d) => [d.version.digest, d]));
  const referrers = new Map<string, string[]>();
  const refer = (from: string, to: string) => {
    if (deleted.has(from) && deleted.has(to)) referrers.set(to, [...(referrers.get(to) ?? []), from]);
  };
  for (const digest of deleted.keys()) {
    for (const child of links.children.get(digest) ?? []) refer(digest, child);
    const subject = subjects.get(digest);
    if (subject) refer(digest, subject);
  }
  const ordered: Decision[] = [];
  const placed = new Set<string>();
  const place = (digest: string, path: Set<string>) => {
    if (placed.has(digest) || path.has(digest)) return;
    path.add(digest);
    for (const referrer of referrers.get(digest) ?? []) place(referrer, path);
    placed.add(digest);
    ordered.push(deleted.get(digest) as Decision);
  };
  for (const item of items) place(item.version.digest, new Set());
  return ordered;
}
