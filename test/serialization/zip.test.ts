/**
 * The zip and CRC-32 layers on their own: CRCs against the ones Python's torch.save stored, the
 * writer's layout read back by the reader (with and without zip64 fields), and directory damage.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { crc32, crc32_js } from '../../lib/serialization/crc32';
import { ZipReader, ZipWriter, ALIGNMENT } from '../../lib/serialization/zip';
import { BufferSource, FileSource, MemorySink } from '../../lib/serialization/io';
import { TorchError } from '../../lib';
import { FIXTURES } from './helpers';

describe('CRC-32', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pt'));
  test.each(files)('the table implementation reproduces the CRCs Python stored in %s', (f) => {
    const src = new FileSource(path.join(FIXTURES, f), 'test');
    const z = new ZipReader(src, 'test');
    for (const name of z.names) {
      const e = z.get(name)!;
      const data = new Uint8Array(e.usize);
      src.read(data, z.dataOffset(e));
      expect(crc32_js(data)).toBe(e.crc);
      expect(crc32(data)).toBe(e.crc);
    }
    src.close();
  });

  test('continuing a CRC over chunks equals the CRC of the whole', () => {
    const data = new Uint8Array(100003).map((_, i) => (i * 2654435761) >>> 24);
    const whole = crc32_js(data);
    let c = 0;
    for (let i = 0; i < data.length; i += 4097) c = crc32_js(data.subarray(i, i + 4097), c);
    expect(c).toBe(whole);
    const z = (zlib as any).crc32;
    if (typeof z === 'function') expect(z(data)).toBe(whole);
  });
});

describe('zip writer and reader', () => {
  function build(force64: boolean): Uint8Array {
    const recs = [['a', 5], ['bb/c', 0], ['d', 130]] as const;
    let size = 0;
    const parts: [number, Uint8Array][] = [];
    const sink = { write: (b: Uint8Array, pos: number) => { parts.push([pos, b.slice()]); size = Math.max(size, pos + b.length); }, close() {} };
    const w = new ZipWriter(sink as any, 'archive', force64);
    for (const [name, n] of recs) w.addBytes(name, new Uint8Array(n).map((_, i) => i + n));
    w.finish();
    const out = new MemorySink(size);
    for (const [pos, b] of parts) out.write(b, pos);
    return out.buf;
  }

  test.each([false, true])('records read back, data aligned to 64 bytes (zip64 fields: %s)', (force64) => {
    const buf = build(force64);
    const z = new ZipReader(new BufferSource(buf, 'test'), 'test');
    expect(z.names).toEqual(['archive/a', 'archive/bb/c', 'archive/d']);
    for (const name of z.names) {
      const e = z.get(name)!;
      expect(z.dataOffset(e) % ALIGNMENT).toBe(0);
      const n = e.usize;
      expect(Array.from(z.read(e))).toEqual(Array.from(new Uint8Array(n).map((_, i) => i + n)));
    }
  });

  test('damaged directories are TorchErrors', () => {
    const buf = build(false);
    const eocd = Buffer.from(buf).lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cases: Uint8Array[] = [];
    // central directory offset beyond the file (zip64 record), entry count too large, bad signature
    for (const [at, v] of [[eocd - 20 - 56 + 48, 0xff], [eocd - 20 - 56 + 32, 0x7f], [eocd - 20 - 56, 0]] as const) {
      const b = Buffer.from(buf);
      b[at] = v;
      cases.push(b);
    }
    const noLocator = Buffer.from(buf);
    noLocator[eocd - 20] = 0;
    noLocator.writeUInt32LE(0xffffffff, eocd + 16);
    cases.push(noLocator);
    for (const b of cases) expect(() => new ZipReader(new BufferSource(b, 'test'), 'test')).toThrow(TorchError);
  });
});
