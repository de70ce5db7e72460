/**
 * The container layer on its own (native _ser_archive / _ser_write_archive over libtorch's
 * PyTorchStreamReader / PyTorchStreamWriter): CRCs libtorch's reader reports against the bytes
 * Python stored, the writer's layout read back (64-byte aligned data, the writer's version record),
 * and directory damage.
 */
import * as fs from 'fs';
import * as path from 'path';
// Zip records' CRC-32 with the library's JS one (zlib.crc32 needs Node 20.15 or later).
import { crc32 } from '../../lib/utils/tensorboard/proto';
import { native } from '../../lib/binding';
import { TorchError } from '../../lib';
import { FIXTURES } from './helpers';

type Rec = [string, number, number, number, number, boolean];
const LIMIT = 64 << 20;
const archive = (b: Uint8Array): [string, number, Rec[], Uint8Array, string | null, boolean] => native._ser_archive(b, LIMIT);

describe('reading archives Python wrote', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pt'));
  test.each(files)('every record of %s has the CRC-32 Python stored', (f) => {
    const buf = fs.readFileSync(path.join(FIXTURES, f));
    const [prefix, version, recs] = archive(buf);
    expect(prefix.length).toBeGreaterThan(0);
    expect(version).toBeGreaterThanOrEqual(3);
    expect(recs.map((r) => r[0])).toContain('data.pkl');
    for (const [, offset, size, csize, crc, compressed] of recs) {
      expect(compressed).toBe(false);
      expect(csize).toBe(size);
      expect(crc32(buf.subarray(offset, offset + size))).toBe(crc);
    }
  });

  test('a file descriptor reads the same as the bytes', () => {
    const p = path.join(FIXTURES, 'state_dict.pt');
    const fd = fs.openSync(p, 'r');
    try {
      const a = native._ser_archive(fd, LIMIT);
      const b = archive(fs.readFileSync(p));
      expect(a[2]).toEqual(b[2]);
      expect(Buffer.from(a[3]).equals(Buffer.from(b[3]))).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe('writer and reader', () => {
  const recs: [string, number][] = [['a', 5], ['bb/c', 0], ['d', 130]];
  const data = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => i + n);
  const build = (): Uint8Array => native._ser_write_archive(null, recs.map(([name, n]) => [name, data(n)]));

  test('records read back, data aligned to 64 bytes, the writer adds version', () => {
    const buf = build();
    const [prefix, version, got] = archive(buf);
    expect(prefix).toBe('archive');
    expect(version).toBeGreaterThanOrEqual(3);
    const names = got.map((r) => r[0]);
    expect(names.slice(0, 3)).toEqual(['a', 'bb/c', 'd']);
    expect(names).toContain('version');
    for (const [name, offset, size, , crc] of got) {
      expect(offset % 64).toBe(0);
      const bytes = buf.subarray(offset, offset + size);
      expect(crc32(bytes)).toBe(crc);
      const want = recs.find((r) => r[0] === name);
      if (want) expect(Array.from(bytes)).toEqual(Array.from(data(want[1])));
    }
  });

  test('writing a record twice is refused', () => {
    expect(() => native._ser_write_archive(null, [['a', data(1)], ['a', data(2)]])).toThrow(TorchError);
  });

  test('damaged directories are TorchErrors', () => {
    const buf = build();
    const eocd = Buffer.from(buf).lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    // PyTorch's writer always ends with a zip64 end record, which readers use.
    const eocd64 = Buffer.from(buf).lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]));
    const cd = Buffer.from(buf).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const cases: Uint8Array[] = [];
    // central directory offset beyond the file, entry count too large, bad signatures
    for (const [at, v] of [[eocd64 + 48 + 3, 0x7f], [eocd64 + 32 + 2, 0x7f], [eocd64 + 40 + 3, 0x7f], [cd, 0]] as const) {
      const b = Buffer.from(buf);
      b[at] = v;
      cases.push(b);
    }
    cases.push(buf.subarray(0, eocd));
    for (const b of cases) expect(() => archive(b)).toThrow(TorchError);
  });
});
