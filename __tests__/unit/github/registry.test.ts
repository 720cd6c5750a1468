import { describe, expect, it } from '@jest/globals';
import { isGitHubRegistry, packageUrl } from '../../../src/github/registry.js';
import { parseReference } from '../../../src/registry/index.js';
import { runContext } from '../../support/run-context.js';

describe('isGitHubRegistry', () => {
  it.each<[string, string, boolean]>([
    ['ghcr.io', 'https://github.com', true],
    ['containers.ghe.example.com', 'https://ghe.example.com', true],
    ['containers.ghe.example.com', 'https://github.com', false],
    // A registry on this machine is GitHub's only when the GitHub server is on this machine too (a stand-in):
    // a job's own localhost registry never gets GITHUB_TOKEN.
    ['127.0.0.1:5100', 'https://github.com', false],
    ['localhost:5000', 'https://github.com', false],
    ['127.0.0.1:5100', 'http://127.0.0.1:5104', true],
    ['localhost:5000', 'http://localhost:5104', true],
    ['registry.example.com', 'https://github.com', false],
    ['docker.io', 'https://github.com', false],
    ['ghcr.io.example.com', 'https://github.com', false],
  ])('%s with server %s -> %s', (registry, serverUrl, expected) => {
    expect(isGitHubRegistry(registry, runContext({ serverUrl }))).toBe(expected);
  });
});

describe('packageUrl', () => {
  it.each<[string, string, string | undefined]>([
    [
      'ghcr.io/octo-org/app',
      'https://github.com',
      'https://github.com/octo-org/hello-world/pkgs/container/app',
    ],
    [
      'ghcr.io/octo-org/team/app',
      'https://github.com',
      'https://github.com/octo-org/hello-world/pkgs/container/team%2Fapp',
    ],
    [
      'containers.ghe.example.com/octo-org/app',
      'https://ghe.example.com',
      'https://ghe.example.com/octo-org/hello-world/pkgs/container/app',
    ],
    // A stand-in on this machine is GitHub's for credentials, but has no package page to link to.
    ['127.0.0.1:5100/octo-org/app', 'http://127.0.0.1:5104', undefined],
    ['registry.example.com/octo-org/app', 'https://github.com', undefined],
  ])('%s with server %s -> %s', (image, serverUrl, expected) => {
    expect(packageUrl(parseReference(image), runContext({ serverUrl }))).toBe(expected);
  });

  it('is undefined outside a repository run', () => {
    expect(
      packageUrl(parseReference('ghcr.io/octo-org/app'), runContext({ repository: '' })),
    ).toBeUndefined();
  });
});
