import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { parsePax, readTar, safeName, type TarEntry, type TarOptions } from '../../../src/registry/tar.js';
import { tarArchive as archive, tarEntry as entry, tarPax as pax } from '../../support/tar.js';

async function read(tar: Buffer, options: TarOptions = {}, chunk = 100) {
  const files: { name: string; body: string }[] = [];
  const others: TarEntry[] = [];
  const pieces = [];
  for (let at = 0; at < tar.length; at += chunk) pieces.push(tar.subarray(at, at + chunk));
  await readTar(
    Readable.from(pieces),
    async (e, body) => {
      const parts: Buffer[] = [];
      for await (const piece of body) parts.push(piece);
      files.push({ name: e.name, body: Buffer.concat(parts).toString() });
    },
    (e) => others.push(e),
    options,
  );
  return { files, others };
}

describe('readTar', () => {
  it('reads files and folders, in small and large chunks', async () => {
    const tar = archive(entry('dir/', '', '5'), entry('./dir/a.txt', 'hello'), entry('b', 'x'.repeat(1000)));
    for (const chunk of [7, 512, 1 << 20]) {
      const { files, others } = await read(tar, {}, chunk);
      expect(files).toEqual([
        { name: 'dir/a.txt', body: 'hello' },
        { name: 'b', body: 'x'.repeat(1000) },
      ]);
      expect(others.map((o) => [o.name, o.type])).toEqual([['dir', 'directory']]);
    }
  });

  it('skips what a handler leaves unread', async () => {
    const tar = archive(entry('a', 'y'.repeat(3000)), entry('b', 'second'));
    const names: string[] = [];
    await readTar(Readable.from([tar]), async (e, body) => {
      names.push(e.name);
      for await (const piece of body) {
        void piece;
        break;
      }
    });
    expect(names).toEqual(['a', 'b']);
  });

  it('takes long names from pax headers and GNU long-name entries', async () => {
    const long = `${'d'.repeat(150)}/${'f'.repeat(120)}`;
    const gnu = `${'g'.repeat(130)}/layer.tar`;
    const tar = archive(
      pax({ path: long }),
      entry('short', 'pax'),
      entry('././@LongLink', `${gnu}\0`, 'L'),
      entry('x', 'gnu'),
    );
    const { files } = await read(tar);
    expect(files).toEqual([
      { name: long, body: 'pax' },
      { name: gnu, body: 'gnu' },
    ]);
  });

  it.each(['../evil', 'a/../../evil', '/etc/passwd', 'a//b', 'a/./b', 'a\\..\\b'])(
    'refuses the entry name %j',
    async (name) => {
      await expect(read(archive(entry(name, 'x')))).rejects.toThrow(/leaves the archive|not a plain path/);
    },
  );

  it('refuses a traversing name given by a pax header', async () => {
    await expect(read(archive(pax({ path: '../../root/.ssh/x' }), entry('fine', 'x')))).rejects.toThrow(
      /leaves the archive/,
    );
  });

  it('refuses symbolic links unless asked to report them, and hard links and devices always', async () => {
    const link = archive(entry('a/layer.tar', '', '2', '../b/layer.tar'));
    await expect(read(link)).rejects.toThrow(/symbolic link; links are not accepted/);
    const { others } = await read(link, { symlinks: true });
    expect(others).toEqual([{ name: 'a/layer.tar', type: 'symlink', size: 0, linkname: '../b/layer.tar' }]);
    await expect(read(archive(entry('h', '', '1', 'a')), { symlinks: true })).rejects.toThrow(/a hard link/);
    await expect(read(archive(entry('dev', '', '3')))).rejects.toThrow(/a character device/);
    await expect(read(archive(entry('fifo', '', '6')))).rejects.toThrow(/a FIFO/);
  });

  it('ignores pax global headers with a reason', async () => {
    const ignored: string[] = [];
    const { files } = await read(archive(entry('g', '19 comment=nothing\n', 'g'), entry('a', 'x')), {
      onIgnored: (what) => ignored.push(what),
    });
    expect(files.map((f) => f.name)).toEqual(['a']);
    expect(ignored[0]).toMatch(/global header/);
  });

  it('refuses bad checksums, truncation, and what exceeds the limits', async () => {
    const bad = archive(entry('a', 'x'));
    bad[0] = 'b'.charCodeAt(0);
    await expect(read(bad)).rejects.toThrow(/checksum/);
    await expect(read(entry('a', 'x'.repeat(2000)).subarray(0, 1000))).rejects.toThrow(/ends in the middle/);
    const two = archive(entry('a', 'x'), entry('b', 'y'));
    await expect(read(two, { limits: { entries: 1 } })).rejects.toThrow(/more than 1 entries/);
    await expect(read(two, { limits: { entryBytes: 0 } })).rejects.toThrow(/larger than accepted/);
    await expect(read(two, { limits: { totalBytes: 1 } })).rejects.toThrow(/larger than accepted/);
    await expect(
      read(archive(pax({ path: 'p'.repeat(300) }), entry('a')), { limits: { headerBytes: 100 } }),
    ).rejects.toThrow(/extended header over 100/);
  });

  it('parses pax records and refuses malformed ones', () => {
    expect(parsePax(Buffer.from('12 path=abc\n11 size=42\n'))).toEqual({ path: 'abc', size: '42' });
    expect(() => parsePax(Buffer.from('99 path=abc\n'))).toThrow(/malformed/);
  });

  it('normalises names', () => {
    expect(safeName('./a/b/')).toBe('a/b');
    expect(() => safeName('./')).toThrow();
  });
});
