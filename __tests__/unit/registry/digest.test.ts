import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VerifyingStream, algorithmOf, digestLike, hexOf, sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';

const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HELLO_SHA256 = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const ABC_SHA512 =
  'sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f';

describe('sha256', () => {
  it.each<[string, string | Uint8Array, string]>([
    ['the empty string', '', EMPTY_SHA256],
    ['empty bytes', new Uint8Array(0), EMPTY_SHA256],
    ['"hello"', 'hello', HELLO_SHA256],
    ['the bytes of "hello"', Buffer.from('hello'), HELLO_SHA256],
    ['"abc"', 'abc', 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('of %s', (_name, input, expected) => {
    expect(sha256(input)).toBe(expected);
  });
});

describe('digestLike', () => {
  it('uses the algorithm of the digest it is given', () => {
    expect(digestLike(`sha256:${'0'.repeat(64)}`, Buffer.from('hello'))).toBe(HELLO_SHA256);
    expect(digestLike('sha512:whatever', Buffer.from('abc'))).toBe(ABC_SHA512);
  });

  it.each(['md5:abc', 'sha1:abc', 'nocolon'])('rejects the algorithm of %p', (like) => {
    expect(() => digestLike(like, Buffer.from('x'))).toThrow(/unsupported digest algorithm/);
  });
});

describe('algorithmOf and hexOf', () => {
  it.each([
    [HELLO_SHA256, 'sha256', HELLO_SHA256.slice(7)],
    [ABC_SHA512, 'sha512', ABC_SHA512.slice(7)],
  ])('split %p', (digest, algorithm, hex) => {
    expect(algorithmOf(digest)).toBe(algorithm);
    expect(hexOf(digest)).toBe(hex);
    expect(`${algorithmOf(digest)}:${hexOf(digest)}`).toBe(digest);
  });
});

/** Pipes chunks through a VerifyingStream and collects what came out. */
async function verify(
  chunks: Buffer[],
  expectedDigest: string,
  expectedSize?: number,
): Promise<{ out: Buffer; stream: VerifyingStream }> {
  const stream = new VerifyingStream('blob o/r@x', expectedDigest, expectedSize);
  const received: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        callback();
      },
    }),
  );
  return { out: Buffer.concat(received), stream };
}

describe('VerifyingStream', () => {
  const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + 3) % 251));
  const chunks = [data.subarray(0, 1), data.subarray(1, 65_536), data.subarray(65_536)];
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;

  it('passes every byte through unchanged and counts them', async () => {
    const { out, stream } = await verify(chunks, digest, data.length);
    expect(out.equals(data)).toBe(true);
    expect(stream.bytes).toBe(data.length);
  });

  it('needs no size', async () => {
    const { out } = await verify(chunks, digest);
    expect(out.equals(data)).toBe(true);
  });

  it('verifies sha512 digests', async () => {
    const { out } = await verify([Buffer.from('a'), Buffer.from('bc')], ABC_SHA512, 3);
    expect(out.toString()).toBe('abc');
  });

  it('accepts the empty blob', async () => {
    const { out } = await verify([], EMPTY_SHA256, 0);
    expect(out.length).toBe(0);
  });

  it('fails with DigestMismatchError when a byte differs', async () => {
    const tampered = Buffer.from(data);
    tampered[40_000] = (tampered[40_000] ?? 0) ^ 0xff;
    const actual = `sha256:${createHash('sha256').update(tampered).digest('hex')}`;
    const failure = verify([tampered], digest, data.length);
    await expect(failure).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(failure).rejects.toMatchObject({ what: 'blob o/r@x', expected: digest, actual });
  });

  it('fails on input shorter than the expected size', async () => {
    const failure = verify([data.subarray(0, 100)], digest, data.length);
    await expect(failure).rejects.toThrow(`blob o/r@x: received 100 of ${data.length} bytes`);
    await expect(failure).rejects.not.toBeInstanceOf(DigestMismatchError);
  });

  it('fails on input longer than the expected size, before passing the excess on', async () => {
    const stream = new VerifyingStream('blob o/r@x', digest, 10);
    const received: Buffer[] = [];
    const failure = pipeline(
      Readable.from([data.subarray(0, 6), data.subarray(6, 12)]),
      stream,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received.push(chunk);
          callback();
        },
      }),
    );
    await expect(failure).rejects.toThrow('blob o/r@x: more than the 10 bytes announced');
    expect(Buffer.concat(received).length).toBeLessThanOrEqual(10);
  });

  it('fails when the size matches but the bytes do not', async () => {
    await expect(verify([Buffer.from('hellO')], HELLO_SHA256, 5)).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('refuses an unsupported digest algorithm up front', () => {
    expect(() => new VerifyingStream('blob', 'md5:abc')).toThrow(/unsupported digest algorithm in md5:abc/);
  });
});
