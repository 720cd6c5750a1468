import { describe, expect, it } from '@jest/globals';
import { isMediaType, printable } from '../../../src/registry/text.js';

describe('printable', () => {
  it('puts network text on one line that cannot start a workflow command', () => {
    const hostile = 'x\n::add-mask::sha256\r\n::warning file=README.md::owned\u2028\u001b[31m';
    const line = printable(hostile);
    for (const c of ['\r', '\n', '\u2028', '\u001b']) expect(line).not.toContain(c);
    expect(line).toBe('x?::add-mask::sha256??::warning file=README.md::owned??[31m');
  });

  it('breaks up a leading ::, even after spaces', () => {
    expect(printable('::stop-commands::x')).toBe(': :stop-commands::x');
    expect(printable('  ::error::x').startsWith('::')).toBe(false);
  });

  it('hides bidi controls that could make a log line lie', () => {
    expect(printable('abc\u202edcba')).toBe('abc?dcba');
  });

  it('cuts long text with an ellipsis, by characters (no split surrogate pair)', () => {
    expect(printable('😀'.repeat(5), 3)).toBe('😀😀😀...');
    expect(printable('short')).toBe('short');
  });
});

describe('isMediaType', () => {
  it.each([
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/json',
  ])('accepts %s', (value) => {
    expect(isMediaType(value)).toBe(true);
  });

  it.each([
    'application/vnd.oci.image.manifest.v1+json\n::warning::x',
    'application/json; charset=utf-8',
    'text',
    '/json',
    '',
    42,
    undefined,
  ])('refuses %j', (value) => {
    expect(isMediaType(value)).toBe(false);
  });
});
