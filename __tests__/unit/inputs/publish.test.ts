import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionError } from '../../../src/errors.js';
import { publishPlan } from '../../../src/inputs/publish.js';
import { SOURCE_LABEL } from '../../../src/meta/labels.js';
import { inputsFor } from '../../support/inputs.js';
import { runContext } from '../../support/run-context.js';

const dir = mkdtempSync(join(tmpdir(), 'publish-plan-'));
writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const main = runContext();
const pullRequest = runContext({ eventName: 'pull_request', isPullRequest: true, pullRequestNumber: 7 });

describe('publishPlan', () => {
  it("refuses build secrets, ssh or a network with 'source' (nothing is built: they would be silently unused)", () => {
    const run = () =>
      publishPlan(
        inputsFor({ source: 'local:1', secrets: ['token=x'], network: 'host', tags: ['v1'] }),
        main,
      );
    expect(run).toThrow(ActionError);
    expect(run).toThrow("so 'secrets', 'network' would not be used");
    expect(run).not.toThrow(/token=x/);
    const attest = () =>
      publishPlan(inputsFor({ source: 'local:1', provenance: 'true', sbom: 'false', tags: ['v1'] }), main);
    expect(attest).toThrow("so 'provenance', 'sbom' would not be used");
  });

  it("'push: by-digest' pushes with no tag, on any event; tags, a tag in 'image' or 'latest' are refused by name", () => {
    for (const context of [main, pullRequest]) {
      const build = publishPlan(inputsFor({ context: dir, push: 'by-digest' }), context).build;
      expect({ push: build.push, byDigest: build.byDigest, tags: build.tags }).toEqual({
        push: true,
        byDigest: true,
        tags: [],
      });
    }
    const refused = (overrides: Parameters<typeof inputsFor>[0], words: string) => {
      const run = () => publishPlan(inputsFor({ context: dir, push: 'by-digest', ...overrides }), main);
      expect(run).toThrow(ActionError);
      expect(run).toThrow(
        `'push: by-digest' pushes the image with no tag, so ${words} would not be written.`,
      );
    };
    refused({ tags: ['1.0', 'latest'] }, "'tags' (1.0, latest)");
    refused({ image: 'ghcr.io/octo-org/app:1.0' }, "the tag '1.0' in 'image'");
    refused({ latest: 'false' }, "'latest: false'");
    expect(publishPlan(inputsFor({ context: dir, push: 'true' }), main).build.byDigest).toBe(false);
    // No tag of its own, but the docker builder's inline cache is read from the image the event's first tag names.
    expect(publishPlan(inputsFor({ context: dir, push: 'by-digest' }), main).build.cacheTag).toBe('latest');
    expect(publishPlan(inputsFor({ context: dir, tags: ['v2', 'v1'] }), main).build.cacheTag).toBe('v2');
  });

  it("maps 'cache' to the builders' modes and adds build-push-action's default provenance to a push", () => {
    const plan = (cache: 'true' | 'false' | 'registry') =>
      publishPlan(inputsFor({ context: dir, cache }), main).build;
    expect([plan('true').cache, plan('registry').cache, plan('false').cache]).toEqual([
      'default',
      'registry',
      'off',
    ]);
    expect(plan('true').attestations.provenance).toMatchObject({ auto: true });
    expect(publishPlan(inputsFor({ context: dir }), pullRequest).build.attestations).toEqual({});
  });

  it("'latest: false' keeps latest off the default branch's tags; with explicit tags it is refused, by name", () => {
    expect(publishPlan(inputsFor({ context: dir, latest: 'false' }), main).build.tags).toEqual([
      'main',
      'sha-4f6d3a1',
    ]);
    const both = () => publishPlan(inputsFor({ context: dir, latest: 'true', tags: ['v1'] }), main);
    expect(both).toThrow(ActionError);
    expect(both).toThrow("Input 'latest' is 'true', but the tags are given ('v1')");
  });

  it("publishes the workflow's repository on 'registry', with the event's tags and the default labels", () => {
    const plan = publishPlan(inputsFor({ context: dir }), main);
    expect(plan.image).toEqual({
      registry: 'ghcr.io',
      repository: 'octo-org/hello-world',
      lowercased: false,
      tag: undefined,
    });
    expect(plan.build.tags).toEqual(['latest', 'sha-4f6d3a1']);
    expect(plan.build.file).toBe(join(dir, 'Dockerfile'));
    expect(plan.build.labels[SOURCE_LABEL]).toBe('https://github.com/octo-org/hello-world');
    expect(plan.build.push).toBe(true);
    expect(plan.whyNotPushed).toBeUndefined();
  });

  it("takes the tag named in 'image' when 'tags' is empty, and refuses a tag in both (one would be dropped)", () => {
    expect(publishPlan(inputsFor({ context: dir, image: 'octo-org/app:1.0' }), main).build.tags).toEqual([
      '1.0',
    ]);
    const both = inputsFor({ context: dir, image: 'octo-org/app:1.0', tags: ['2.0'] });
    expect(() => publishPlan(both, main)).toThrow(
      "Input 'image' names the tag '1.0', and 'tags' is set too: the tag in 'image' would not be written.",
    );
  });

  it("builds a pull request without pushing, saying why (push: auto); 'push: true' overrides", () => {
    const plan = publishPlan(inputsFor({ context: dir }), pullRequest);
    expect(plan.build.push).toBe(false);
    expect(plan.build.tags).toEqual(['pr-7']);
    expect(plan.whyNotPushed).toContain("'push: auto' does not push pull requests");
    expect(publishPlan(inputsFor({ context: dir, push: 'true' }), pullRequest).build.push).toBe(true);
    expect(publishPlan(inputsFor({ context: dir, push: 'false' }), main).whyNotPushed).toBe(
      "'push' is false",
    );
  });

  it('reads build-args and labels as KEY=VALUE, user labels over the defaults', () => {
    const plan = publishPlan(
      inputsFor({
        context: dir,
        buildArgs: ['A=1', 'B=x=y'],
        labels: [`${SOURCE_LABEL}=https://example.com/x`],
      }),
      main,
    );
    expect(plan.build.buildArgs).toEqual({ A: '1', B: 'x=y' });
    expect(plan.build.labels[SOURCE_LABEL]).toBe('https://example.com/x');
  });

  it("needs no Dockerfile to publish a local image ('source')", () => {
    const plan = publishPlan(inputsFor({ context: join(dir, 'missing'), source: 'local/app:1' }), main);
    expect(plan.build.push).toBe(true);
  });

  it.each([
    [{ context: join(dir, 'missing') }, /Input 'context' is '.*missing', which is not a directory/],
    [
      { file: join(dir, 'Other.Dockerfile') },
      /The Dockerfile '.*Other\.Dockerfile' does not exist.*\nFix: correct 'file'/,
    ],
    [{ platforms: ['linux/amd64', 'amd64'] }, /Input 'platforms': Invalid platform 'amd64'/],
    [{ buildArgs: ['NOVALUE'] }, /The item 'NOVALUE' of 'build-args' is not KEY=VALUE/],
    [{ image: 'docker.io/octo-org/app' }, /Input 'image' is on docker\.io/],
    [{ tags: ['bad tag'] }, /The tag 'bad tag' in 'tags' is not valid/],
  ])('refuses %j before any side effect', (overrides, message) => {
    const run = () => publishPlan(inputsFor({ context: dir, ...overrides }), main);
    expect(run).toThrow(ActionError);
    expect(run).toThrow(message);
  });

  it('needs an image when the run has no repository', () => {
    expect(() => publishPlan(inputsFor({ context: dir }), runContext({ repository: '' }))).toThrow(
      "Input 'image' is empty and GITHUB_REPOSITORY is not set.",
    );
  });
});
