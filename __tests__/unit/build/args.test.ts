import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { dockerfilePulls, imageArgs, registryOfImage } from '../../../src/build/args.js';
import type { BuildRequest } from '../../../src/build/types.js';
import { parseReference } from '../../../src/registry/index.js';
import { buildRequest, IMAGE_INPUTS } from '../../support/build-request.js';

// imageArgs reads no file: the request's paths only have to look like a work folder's.
const workDir = join(tmpdir(), 'build-args');

const argsFor = (overrides: Partial<BuildRequest> = {}): string[] =>
  imageArgs(buildRequest(workDir, overrides));

const TAG = ['--tag', 'ghcr.io/octo-org/app:1.0'];

// The argv docker, buildah and buildx share; each builder's own test proves it puts this argv in place.
describe('imageArgs', () => {
  it.each([
    {
      tags: ['1.2.3', 'latest'],
      expected: ['--tag', 'ghcr.io/octo-org/app:1.2.3', '--tag', 'ghcr.io/octo-org/app:latest'],
    },
    {
      tags: ['1.2.3', '1.2', 'latest'],
      expected: [
        '--tag',
        'ghcr.io/octo-org/app:1.2.3',
        '--tag',
        'ghcr.io/octo-org/app:1.2',
        '--tag',
        'ghcr.io/octo-org/app:latest',
      ],
    },
  ])('one --tag per tag as registry/repository:tag, in order ($tags)', ({ tags, expected }) => {
    expect(argsFor({ tags })).toEqual(expected);
  });

  it('keeps another registry with its port and a deeper repository path', () => {
    const image = parseReference('127.0.0.1:5100/octo-org/team/app');
    expect(argsFor({ image, tags: ['edge'] })).toEqual(['--tag', '127.0.0.1:5100/octo-org/team/app:edge']);
  });

  it('no tags: no --tag at all', () => {
    expect(argsFor({ tags: [] })).toEqual([]);
  });

  it.each<{ labels: Record<string, string>; expected: string[] }>([
    {
      labels: { 'org.opencontainers.image.title': 'app', note: 'a=b c = d' },
      expected: ['--label', 'org.opencontainers.image.title=app', '--label', 'note=a=b c = d'],
    },
    {
      labels: {
        'org.opencontainers.image.title': 'app',
        'org.opencontainers.image.description': 'x=1, y = 2 and more',
      },
      expected: [
        '--label',
        'org.opencontainers.image.title=app',
        '--label',
        'org.opencontainers.image.description=x=1, y = 2 and more',
      ],
    },
  ])('--label k=v per label; a value with = and spaces stays one item ($labels)', ({ labels, expected }) => {
    expect(argsFor({ labels })).toEqual([...TAG, ...expected]);
  });

  it.each([
    {
      buildArgs: { VERSION: '1.0', FLAGS: '-X a=b' },
      expected: ['--build-arg', 'VERSION=1.0', '--build-arg', 'FLAGS=-X a=b'],
    },
    {
      buildArgs: { VERSION: '1.0', FLAGS: '-X main.v=1 -s' },
      expected: ['--build-arg', 'VERSION=1.0', '--build-arg', 'FLAGS=-X main.v=1 -s'],
    },
  ])(
    '--build-arg k=v per build arg, a value with = and spaces kept whole ($buildArgs)',
    ({ buildArgs, expected }) => {
      expect(argsFor({ buildArgs })).toEqual([...TAG, ...expected]);
    },
  );

  it('labels come before build args', () => {
    const args = argsFor({ labels: { a: '1' }, buildArgs: { B: '2' } });
    expect(args.indexOf('--label')).toBeLessThan(args.indexOf('--build-arg'));
  });

  it('--target only when set', () => {
    expect(argsFor({ target: 'runtime' })).toEqual([...TAG, '--target', 'runtime']);
    expect(argsFor({ target: '' })).not.toContain('--target');
  });

  it("every input at once (the builders' shared fixture): tags, labels, build args, then the target", () => {
    expect(argsFor(IMAGE_INPUTS)).toEqual(
      [
        ['--tag', 'ghcr.io/octo-org/app:1.2.3'],
        ['--tag', 'ghcr.io/octo-org/app:latest'],
        ['--label', 'org.opencontainers.image.title=app'],
        ['--label', 'note=a=b c = d'],
        ['--build-arg', 'VERSION=1.0'],
        ['--build-arg', 'FLAGS=-X a=b'],
        ['--target', 'runtime'],
      ].flat(),
    );
  });
});

// What a Dockerfile pulls decides buildah bud's TLS (off only when every pull is on this machine): when in doubt
// it must say undefined, never a short list.
describe('dockerfilePulls', () => {
  const pulls = (text: string, buildArgs: Record<string, string> = {}) => dockerfilePulls(text, buildArgs);

  it('every FROM image, in order; a stage named earlier, a stage index and scratch are not pulled', () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
      'RUN go build',
      'FROM build AS test',
      'FROM scratch',
      'COPY --from=build /app /app',
      'COPY --from=0 /x /x',
      'FROM gcr.io/distroless/static:nonroot',
    ].join('\n');
    expect(pulls(text)).toEqual(['golang:1.22', 'gcr.io/distroless/static:nonroot']);
  });

  it('COPY/ADD --from= and RUN --mount=...,from= name images too; flags after the command do not', () => {
    const text = [
      'FROM alpine',
      'COPY --chown=1:1 --from=ghcr.io/o/tools:1 /t /t',
      'ADD --from=localhost:5000/files /f /f',
      'RUN --mount=type=bind,from=quay.io/o/x,target=/x --mount=type=cache,target=/c make',
      'RUN echo --from=not-an-image',
      'COPY a --from=neither',
    ].join('\n');
    expect(pulls(text)).toEqual(['alpine', 'ghcr.io/o/tools:1', 'localhost:5000/files', 'quay.io/o/x']);
  });

  it('build args over ARG defaults; ${X}, $X, ${X:-word} and ${X:+word}', () => {
    const text = [
      'ARG REGISTRY=127.0.0.1:5102',
      'ARG BASE=busybox',
      'ARG TAG',
      'ARG SUFFIX',
      'FROM ${REGISTRY}/library/$BASE:${TAG:-latest}',
      'FROM ${REGISTRY}/other${SUFFIX:+-x}',
    ].join('\n');
    expect(pulls(text)).toEqual(['127.0.0.1:5102/library/busybox:latest', '127.0.0.1:5102/other']);
    expect(pulls(text, { BASE: 'alpine', TAG: '3.20', SUFFIX: 'y' })).toEqual([
      '127.0.0.1:5102/library/alpine:3.20',
      '127.0.0.1:5102/other-x',
    ]);
  });

  it('a build arg counts only for a declared ARG; a quoted default is unquoted', () => {
    expect(pulls('ARG BASE="ghcr.io/o/base:1"\nFROM ${BASE}\n')).toEqual(['ghcr.io/o/base:1']);
    expect(pulls('FROM ${BASE}\n', { BASE: 'localhost:5000/b' })).toBeUndefined();
  });

  it('a stage sees a global ARG only when it declares it again (for --from); FROM sees the globals', () => {
    const text = 'ARG TOOLS=localhost:5000/tools\nFROM alpine\nARG TOOLS\nCOPY --from=${TOOLS} /t /t\n';
    expect(pulls(text)).toEqual(['alpine', 'localhost:5000/tools']);
    expect(
      pulls('ARG TOOLS=localhost:5000/tools\nFROM alpine\nCOPY --from=${TOOLS} /t /t\n'),
    ).toBeUndefined();
  });

  it('comments, blank lines, line continuations and lower-case instructions', () => {
    const text =
      '# syntax=docker/dockerfile:1\n\nfrom \\\n  localhost:5000/a \\\n  as one\n# FROM ghcr.io/hidden\nFROM one\n';
    expect(pulls(text)).toEqual(['localhost:5000/a']);
  });

  it.each([
    ['a variable with no value', 'ARG BASE\nFROM ${BASE}\n'],
    ['an undeclared variable', 'FROM $BASE\n'],
    ['a --from variable with no value', 'FROM alpine\nARG X\nCOPY --from=$X /a /a\n'],
    ['an escape directive (continuations cannot be told)', '# escape=`\nFROM alpine\n'],
    ['a FROM with no image', 'FROM\n'],
  ])('undefined when it cannot be told: %s', (_name, text) => {
    expect(pulls(text)).toBeUndefined();
  });
});

describe('registryOfImage', () => {
  it.each([
    ['127.0.0.1:5102/library/busybox:latest', '127.0.0.1:5102'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['ghcr.io/o/app@sha256:abc', 'ghcr.io'],
    ['busybox', 'docker.io'],
    ['library/busybox:1', 'docker.io'],
    ['octo-org/app', 'docker.io'],
  ])('%s pulls from %s', (image, registry) => {
    expect(registryOfImage(image)).toBe(registry);
  });
});
