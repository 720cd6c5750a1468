import { describe, expect, it } from '@jest/globals';
import { tagPattern, type RetentionPolicy } from '../../../src/inputs/cleanup.js';
import {
  companionSubject,
  retentionPlan,
  type Links,
  type PackageVersion,
} from '../../../src/images/retention.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const hex = (n: number) => digest(n).slice('sha256:'.length);
let nextId = 1;
const version = (n: number, tags: string[], daysOld: number): PackageVersion => ({
  id: nextId++,
  digest: digest(n),
  tags,
  createdAt: new Date(NOW.getTime() - daysOld * DAY),
});
const noLinks = (): Links => ({ children: new Map(), subject: new Map(), unreadable: new Set() });
const policy = (overrides: Partial<RetentionPolicy> = {}): RetentionPolicy => ({
  keepTags: ['latest', '/^v?[0-9]+(\\.[0-9]+){0,2}(-[0-9A-Za-z.-]+)?$/'].map(tagPattern),
  keepLast: 0,
  olderThan: undefined,
  untagged: true,
  ...overrides,
});
const deleted = (plan: ReturnType<typeof retentionPlan>) => plan.delete.map((d) => d.version.digest);
const kept = (plan: ReturnType<typeof retentionPlan>) => plan.keep.map((d) => d.version.digest).sort();

describe('companion tags', () => {
  it('name their subject', () => {
    expect(companionSubject(`sha256-${hex(7)}.sig`)).toBe(digest(7));
    expect(companionSubject(`sha256-${hex(7)}.att`)).toBe(digest(7));
    expect(companionSubject(`sha256-${hex(7)}.sbom`)).toBe(digest(7));
    expect(companionSubject(`sha256-${hex(7)}.txt`)).toBeUndefined();
    expect(companionSubject('sha256-abc.sig')).toBeUndefined();
    // The OCI referrers tag schema: an index of referrers under sha256-<hex>, no suffix.
    expect(companionSubject(`sha256-${hex(7)}`)).toBe(digest(7));
  });
});

describe('safety nets', () => {
  it('an OCI referrers index tag follows its subject: kept with it, taking no keep-last slot', () => {
    const subject = version(1, ['latest'], 90);
    const referrers = version(2, [`sha256-${hex(1)}`], 90);
    const plan = retentionPlan([subject, referrers], noLinks(), policy(), NOW);
    expect(deleted(plan)).toEqual([]);
    expect(kept(plan)).toEqual([digest(1), digest(2)]);
  });

  it('a manifest that could not be read keeps every untagged version: it may be their index', () => {
    const unreadable = version(1, ['latest'], 90);
    const children = [version(2, [], 90), version(3, [], 90)];
    const links = { ...noLinks(), unreadable: new Set([digest(1)]) };
    const plan = retentionPlan([unreadable, ...children], links, policy(), NOW);
    expect(deleted(plan)).toEqual([]);
    expect(plan.keep.find((d) => d.version.digest === digest(2))?.why).toContain('could not be read');
  });

  it('without older-than, an untagged version less than a day old is kept (a by-digest push awaiting its merge)', () => {
    const fresh = version(1, [], 0.5);
    const old = version(2, [], 2);
    const plan = retentionPlan([fresh, old], noLinks(), policy(), NOW);
    expect(deleted(plan)).toEqual([digest(2)]);
    expect(plan.keep[0]?.why).toContain('less than a day old');
    const explicit = retentionPlan(
      [fresh],
      noLinks(),
      policy({ olderThan: { ms: 3_600_000, text: '1h' } }),
      NOW,
    );
    expect(deleted(explicit)).toEqual([digest(1)]);
  });
});

describe('retentionPlan: the policy', () => {
  it('keeps tags matching keep-tags, deletes the other tagged versions', () => {
    const versions = [version(1, ['latest'], 90), version(2, ['v1.2.3'], 90), version(3, ['sha-abc'], 90)];
    const plan = retentionPlan(versions, noLinks(), policy(), NOW);
    expect(deleted(plan)).toEqual([digest(3)]);
    expect(plan.keep.find((d) => d.version.digest === digest(1))?.why).toBe(
      'tag latest matches keep-tags latest',
    );
  });

  it('keeps the N most recent tagged versions, whatever their tags', () => {
    const versions = [1, 2, 3, 4].map((n) => version(n, [`sha-${n}`], 10 - n));
    const plan = retentionPlan(versions, noLinks(), policy({ keepLast: 2 }), NOW);
    expect(kept(plan)).toEqual([digest(3), digest(4)]);
    expect(deleted(plan).sort()).toEqual([digest(1), digest(2)]);
  });

  it('deletes only versions older than older-than', () => {
    const versions = [
      version(1, ['sha-1'], 40),
      version(2, ['sha-2'], 20),
      version(3, [], 40),
      version(4, [], 1),
    ];
    const plan = retentionPlan(
      versions,
      noLinks(),
      policy({ olderThan: { text: '30d', ms: 30 * DAY } }),
      NOW,
    );
    expect(deleted(plan).sort()).toEqual([digest(1), digest(3)]);
    expect(plan.keep.find((d) => d.version.digest === digest(2))?.why).toMatch(
      /^newer than 30d \(20d old\)$/,
    );
  });

  it('keeps untagged versions when untagged is false', () => {
    const plan = retentionPlan([version(1, [], 90)], noLinks(), policy({ untagged: false }), NOW);
    expect(deleted(plan)).toEqual([]);
  });

  it('deletes nothing of an empty package, and keeps everything kept on a second look', () => {
    expect(retentionPlan([], noLinks(), policy(), NOW)).toEqual({ delete: [], keep: [] });
  });
});

describe('retentionPlan: reachability', () => {
  it("keeps a kept index's untagged children, and deletes a deleted index before its children", () => {
    const links = noLinks();
    links.children.set(digest(10), [digest(11), digest(12)]);
    links.children.set(digest(20), [digest(21), digest(22)]);
    const versions = [
      version(10, ['latest'], 90),
      version(11, [], 90),
      version(12, [], 90),
      version(20, ['sha-old'], 90),
      version(21, [], 90),
      version(22, [], 90),
    ];
    const plan = retentionPlan(versions, links, policy(), NOW);
    expect(kept(plan)).toEqual([digest(10), digest(11), digest(12)]);
    expect(plan.keep.find((d) => d.version.digest === digest(11))?.why).toBe(
      `in the index ${digest(10)}, which is kept`,
    );
    const order = deleted(plan);
    expect(order.sort()).toEqual([digest(20), digest(21), digest(22)]);
    const again = deleted(retentionPlan(versions, links, policy(), NOW));
    expect(again.indexOf(digest(20))).toBeLessThan(again.indexOf(digest(21)));
    expect(again.indexOf(digest(20))).toBeLessThan(again.indexOf(digest(22)));
  });

  it('keeps a child shared by a kept and a deleted index', () => {
    const links = noLinks();
    links.children.set(digest(1), [digest(3)]);
    links.children.set(digest(2), [digest(3), digest(4)]);
    const versions = [
      version(1, ['v1'], 90),
      version(2, ['sha-x'], 90),
      version(3, [], 90),
      version(4, [], 90),
    ];
    const plan = retentionPlan(versions, links, policy(), NOW);
    expect(deleted(plan).sort()).toEqual([digest(2), digest(4)]);
  });

  it('keeps a cosign signature with its kept subject, and deletes it (first) with a deleted one', () => {
    const versions = [
      version(1, ['v1'], 90),
      version(2, [`sha256-${hex(1)}.sig`], 90),
      version(3, ['sha-old'], 90),
      version(4, [`sha256-${hex(3)}.sig`, `sha256-${hex(3)}.att`], 1),
    ];
    const plan = retentionPlan(versions, noLinks(), policy({ keepLast: 0 }), NOW);
    expect(kept(plan)).toEqual([digest(1), digest(2)]);
    expect(deleted(plan)).toEqual([digest(4), digest(3)]);
  });

  it('does not count signatures in keep-last', () => {
    const versions = [
      version(1, ['sha-1'], 5),
      version(2, [`sha256-${hex(9)}.sig`], 1),
      version(3, ['sha-3'], 9),
    ];
    const plan = retentionPlan(versions, noLinks(), policy({ keepLast: 1 }), NOW);
    // The signature's subject is not in the package: it is an ordinary tagged version, ranked like the others.
    expect(kept(plan)).toEqual([digest(2)]);
    const withSubject = [...versions, version(9, ['sha-9'], 30)];
    expect(kept(retentionPlan(withSubject, noLinks(), policy({ keepLast: 1 }), NOW))).toEqual([digest(1)]);
  });

  it('keeps an untagged OCI referrer whose subject is kept, and its own children', () => {
    const links = noLinks();
    links.subject.set(digest(2), digest(1));
    links.children.set(digest(2), [digest(3)]);
    const versions = [version(1, ['latest'], 90), version(2, [], 90), version(3, [], 90), version(4, [], 90)];
    const plan = retentionPlan(versions, links, policy(), NOW);
    expect(kept(plan)).toEqual([digest(1), digest(2), digest(3)]);
    expect(deleted(plan)).toEqual([digest(4)]);
  });

  it('keeps what is reachable from a young untagged index, and versions whose manifest is unreadable', () => {
    const links = noLinks();
    links.children.set(digest(1), [digest(2)]);
    links.unreadable.add(digest(3));
    const versions = [version(1, [], 1), version(2, [], 90), version(3, ['sha-x'], 90)];
    const plan = retentionPlan(versions, links, policy({ olderThan: { text: '7d', ms: 7 * DAY } }), NOW);
    expect(deleted(plan)).toEqual([]);
  });

  it('never deletes anything reachable from a kept version (many shapes)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = (n: number) => Math.floor(Math.abs(Math.sin(seed * 997 + n * 31)) * 1000);
      const versions = Array.from({ length: 12 }, (_, i) =>
        version(
          100 + i,
          random(i) % 3 === 0 ? [] : [random(i) % 2 ? `sha-${i}` : `v${i}`],
          random(i + 50) % 60,
        ),
      );
      const links = noLinks();
      // Content addressing makes cycles impossible: an index names only manifests made before it.
      const later = (i: number, n: number) => digest(100 + i + 1 + (random(i + n) % (11 - i)));
      for (let i = 0; i < 11; i++) {
        if (random(i + 100) % 4 === 0) links.children.set(digest(100 + i), [later(i, 7), later(i, 9)]);
      }
      const plan = retentionPlan(versions, links, policy({ keepLast: random(3) % 4 }), NOW);
      const gone = new Set(deleted(plan));
      for (const keep of plan.keep)
        for (const child of links.children.get(keep.version.digest) ?? [])
          expect(gone.has(child)).toBe(false);
      const position = new Map(deleted(plan).map((d, i) => [d, i]));
      for (const d of gone)
        for (const child of links.children.get(d) ?? [])
          if (gone.has(child) && child !== d)
            expect(position.get(d) ?? -1).toBeLessThan(position.get(child) ?? -1);
      expect(plan.keep.length + plan.delete.length).toBe(12);
    }
  });
});
