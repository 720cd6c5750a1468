import { describe, expect, it } from '@jest/globals';
import {
  DigestMismatchError,
  RegistryError,
  describeErrors,
  parseErrorBody,
} from '../../../src/registry/errors.js';

describe('parseErrorBody', () => {
  it("reads a registry's {errors: [...]} body, unknown fields made safe", () => {
    const body =
      '{"errors":[{"code":"DENIED","message":"permission_denied: write_package"},{"detail":{"a":1}}]}';
    expect(parseErrorBody(body)).toEqual([
      { code: 'DENIED', message: 'permission_denied: write_package', detail: undefined },
      { code: 'UNKNOWN', message: '', detail: { a: 1 } },
    ]);
  });

  it('keeps a text answer (cut to 300 characters) and reads nothing from an empty one', () => {
    expect(parseErrorBody('  upstream timed out \n')).toEqual([
      { code: 'UNKNOWN', message: 'upstream timed out' },
    ]);
    expect(parseErrorBody('x'.repeat(600))[0]?.message).toBe(`${'x'.repeat(300)}...`);
    expect(parseErrorBody('   ')).toEqual([]);
  });
});

describe('describeErrors', () => {
  it('prints code: message as docker does, lower-cased codes, joined', () => {
    const errors = parseErrorBody('{"errors":[{"code":"DENIED","message":"no"},{"code":"UNAUTHORIZED"}]}');
    expect(describeErrors(errors)).toBe('denied: no; unauthorized');
  });
});

describe('RegistryError', () => {
  it('says what was done to what, the status and why; its code is the first error code', () => {
    const error = new RegistryError(
      'get manifest',
      'ghcr.io/o/a:1',
      404,
      parseErrorBody('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'),
      'gone',
    );
    expect(error.message).toBe('get manifest ghcr.io/o/a:1 failed (HTTP 404): gone');
    expect(error.code).toBe('MANIFEST_UNKNOWN');
    expect(new RegistryError('x', 'y', undefined, [], 'dropped').message).toBe('x y failed: dropped');
  });
});

describe('DigestMismatchError', () => {
  it('names both digests', () => {
    expect(new DigestMismatchError('blob b', 'sha256:aa', 'sha256:bb').message).toBe(
      'blob b: expected sha256:aa, the bytes received hash to sha256:bb',
    );
  });
});
