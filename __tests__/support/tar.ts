/** Tar archives built byte by byte for tests of the tar reader and of docker archives. */
/** One tar header (+ body, padded) of any type. */
export function tarEntry(name: string, body: Buffer | string = '', type = '0', linkname = ''): Buffer {
  const bytes = Buffer.from(body);
  const header = Buffer.alloc(512);
  const put = (offset: number, length: number, value: string) => header.write(value, offset, length, 'utf8');
  put(0, 100, name);
  put(100, 8, '0000644\0');
  put(124, 12, `${bytes.length.toString(8).padStart(11, '0')}\0`);
  put(148, 8, '        ');
  put(156, 1, type);
  put(157, 100, linkname);
  put(257, 6, 'ustar\0');
  let sum = 0;
  for (const byte of header) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return Buffer.concat([header, bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
}

export const tarPax = (records: Record<string, string>): Buffer =>
  tarEntry(
    'PaxHeaders/x',
    Object.entries(records)
      .map(([k, v]) => {
        const line = ` ${k}=${v}\n`;
        let length = line.length + 1;
        while (`${length}${line}`.length !== length) length++;
        return `${length}${line}`;
      })
      .join(''),
    'x',
  );

export const tarArchive = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);
