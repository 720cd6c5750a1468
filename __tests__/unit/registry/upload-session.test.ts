import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { bufferSource } from '../../../src/registry/blobs.js';
import { sha256 } from '../../../src/registry/digest.js';
import { DigestMismatchError } from '../../../src/registry/errors.js';
import { pushScope } from '../../../src/registry/scope.js';
import { Transport } from '../../../src/registry/transport.js';
import { requireLocation, verifiedSource, type UploadSession } from '../../../src/registry/upload-session.js';

const blob = { repository: 'o/app', digest: sha256('hello'), size: 5 };

describe('requireLocation', () => {
  it('is the Location of the answer', () => {
    const response = new Response(null, { status: 202, headers: { Location: '/up/1?state=x' } });
    expect(requireLocation(response, blob)).toBe('/up/1?state=x');
  });

  it('fails naming the blob when the registry sends none', () => {
    expect(() => requireLocation(new Response(null, { status: 202 }), blob)).toThrow(
      `upload of o/app@${blob.digest}: the registry gave no upload Location`,
    );
  });
});

describe('verifiedSource', () => {
  const session = (bytes: string, onBytes?: (n: number) => void): UploadSession => ({
    t: new Transport({ registry: 'registry.example', userAgent: 'unit' }),
    blob,
    source: bufferSource(Buffer.from(bytes)),
    scopes: pushScope('o/app'),
    options: { onBytes },
    location: '/up/1',
    reference: 'registry.example/o/app@sha256:...',
  });

  const drain = async (stream: AsyncIterable<unknown>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  it('passes the source through, reporting the bytes so far', async () => {
    const counts: number[] = [];
    const { stream, verifier, close } = await verifiedSource(session('hello', (n) => counts.push(n)));
    expect(await drain(stream)).toBe('hello');
    expect(verifier.errored).toBeNull();
    expect(counts).toEqual([5]);
    close();
  });

  it('errors with DigestMismatchError, naming the upload, when the bytes are not the blob', async () => {
    const { stream, close } = await verifiedSource(session('jello'));
    const error = await drain(stream).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect((error as Error).message).toContain('upload of registry.example/o/app@sha256:...');
    close();
  });

  it('closes the source and the verifier', async () => {
    const raw = Readable.from([Buffer.from('hello')]);
    const { verifier, close } = await verifiedSource({
      ...session('hello'),
      source: { open: async () => raw },
    });
    close();
    expect(verifier.destroyed).toBe(true);
    expect(raw.destroyed).toBe(true);
  });
});
