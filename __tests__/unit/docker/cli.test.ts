import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerLogin, dockerPull, dockerPush, pushedDigest } from '../../../src/docker/cli.js';
import { ActionError } from '../../../src/errors.js';

const DIGEST = 'sha256:103f8dafbfdf80c1dea324dd713b8f6b616c49d38ce76a27e0ef15355ea78957';

/** What `docker push ghcr.io/octo-org/app:1.0` prints on stdout once the layers are up. */
const PUSH_OUTPUT = [
  'The push refers to repository [ghcr.io/octo-org/app]',
  '5f70bf18a086: Preparing',
  'c0d1a4b2e3f4: Preparing',
  '8d3ac3489996: Preparing',
  '4693057ce236: Preparing',
  '8d3ac3489996: Layer already exists',
  '4693057ce236: Layer already exists',
  '5f70bf18a086: Pushed',
  'c0d1a4b2e3f4: Pushed',
  `1.0: digest: ${DIGEST} size: 942`,
  '',
].join('\n');

describe('pushedDigest', () => {
  it("reads the digest from docker push's last line", () => {
    expect(pushedDigest(PUSH_OUTPUT)).toBe(DIGEST);
  });

  it('reads it with Windows line ends too', () => {
    expect(pushedDigest(PUSH_OUTPUT.replaceAll('\n', '\r\n'))).toBe(DIGEST);
  });

  it('is undefined for output without a digest', () => {
    const unfinished = PUSH_OUTPUT.split('\n').slice(0, 9).join('\n');
    expect(pushedDigest(unfinished)).toBeUndefined();
    expect(pushedDigest('')).toBeUndefined();
  });

  it('is undefined for a digest line whose hex is short or not sha256', () => {
    expect(pushedDigest(`1.0: digest: sha256:${'a'.repeat(63)} size: 942`)).toBeUndefined();
    expect(pushedDigest(`1.0: digest: sha512:${'a'.repeat(128)} size: 942`)).toBeUndefined();
  });
});

// docker itself, stood in for by a script on PATH that records its argv and stdin and answers as told.
describe('docker commands', () => {
  const bin = mkdtempSync(join(tmpdir(), 'docker-cli-'));
  const savedPath = process.env.PATH;
  afterAll(() => {
    process.env.PATH = savedPath;
    rmSync(bin, { recursive: true, force: true });
  });

  /** A docker that fails its first `failures` calls with `message`, then succeeds printing `output`. */
  function docker(
    failures: number,
    message: string,
    output = '',
  ): { calls: () => string[]; stdin: () => string } {
    rmSync(join(bin, 'count'), { force: true });
    rmSync(join(bin, 'calls'), { force: true });
    rmSync(join(bin, 'stdin'), { force: true });
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh\necho "$@" >> "${bin}/calls"\nif [ "$1" = login ]; then cat >> "${bin}/stdin"; fi\nn=$(cat "${bin}/count" 2>/dev/null || echo 0)\necho $((n + 1)) > "${bin}/count"\nif [ "$n" -lt ${failures} ]; then echo '${message}' >&2; exit 1; fi\necho '${output}'\n`,
    );
    chmodSync(join(bin, 'docker'), 0o755);
    process.env.PATH = bin;
    const read = (name: string) => (existsSync(join(bin, name)) ? readFileSync(join(bin, name), 'utf8') : '');
    return { calls: () => read('calls').split('\n').filter(Boolean), stdin: () => read('stdin') };
  }

  it('logs in with the secret on stdin, never in argv', async () => {
    const fake = docker(0, '');
    await expect(dockerLogin('ghcr.io', 'octocat', 'ghs_SENTINELsecret')).resolves.toEqual({ ok: true });
    expect(fake.calls()).toEqual(['login ghcr.io -u octocat --password-stdin']);
    expect(fake.stdin()).toBe('ghs_SENTINELsecret');
  });

  it('pushes again after a transient registry failure (a 503 on the manifest PUT), and reads the digest', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const fake = docker(
      1,
      'received unexpected HTTP status: 503 Service Unavailable',
      `1.0: digest: ${digest} size: 528`,
    );
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await expect(dockerPush('ghcr.io/o/app:1.0')).resolves.toBe(digest);
    write.mockRestore();
    expect(fake.calls()).toEqual(['push ghcr.io/o/app:1.0', 'push ghcr.io/o/app:1.0']);
  });

  it('does not try again what another try cannot mend (a refusal), and names the fix', async () => {
    const fake = docker(5, 'denied: permission_denied: write_package');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const pushed = dockerPush('ghcr.io/o/app:1.0');
    await expect(pushed).rejects.toThrow(ActionError);
    await expect(pushed).rejects.toThrow('denied: permission_denied: write_package');
    write.mockRestore();
    expect(fake.calls()).toHaveLength(1);
  });

  it('gives up after three tries of a pull that keeps failing for now (429)', async () => {
    const fake = docker(5, 'error pulling image configuration: error parsing HTTP 429 response body');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await expect(dockerPull(`ghcr.io/o/app@sha256:${'b'.repeat(64)}`, undefined)).rejects.toThrow(
      'failed (exit 1)',
    );
    write.mockRestore();
    expect(fake.calls()).toHaveLength(3);
  }, 20_000);
});
