import { describe, expect, it } from '@jest/globals';
import { pushedDigest } from '../../../src/docker/cli.js';

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
