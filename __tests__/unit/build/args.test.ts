import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { imageArgs } from '../../../src/build/args.js';
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
