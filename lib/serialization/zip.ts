/**
 * The zip container of PyTorch's serialization format (PKWARE APPNOTE 6.3): stored (uncompressed)
 * records whose data start on 64-byte boundaries, as PyTorch's writer (miniz) lays them out, with
 * zip64 structures so records and archives may exceed 4 GiB.
 *
 * Writer: each record's data is written first and its local header afterwards (positional
 * writes), so the CRC is known without a data descriptor and without holding the record in
 * memory. The padding to 64 bytes is an extra field with id "FB", as PyTorch writes it.
 * Reader: every size and offset is checked against the file's length before anything is
 * allocated or read; problems are TorchErrors.
 */
import * as zlib from 'zlib';
import { TorchError } from '../errors';
import { crc32 } from './crc32';
import type { ByteSink, ByteSource } from './io';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
/** Data alignment PyTorch's writer uses (so readers may mmap records). */
export const ALIGNMENT = 64;
/** DOS date of 1980-01-01, time 00:00 (a fixed stamp keeps archives reproducible). */
const DOS_DATE = 0x0021;

class Bytes {
  readonly a: Uint8Array;
  readonly v: DataView;
  p = 0;
  constructor(n: number) {
    this.a = new Uint8Array(n);
    this.v = new DataView(this.a.buffer);
  }
  u16(x: number): this { this.v.setUint16(this.p, x, true); this.p += 2; return this; }
  u32(x: number): this { this.v.setUint32(this.p, x >>> 0, true); this.p += 4; return this; }
  u64(x: number): this { this.v.setBigUint64(this.p, BigInt(x), true); this.p += 8; return this; }
  bytes(b: Uint8Array): this { this.a.set(b, this.p); this.p += b.length; return this; }
}

interface WrittenEntry {
  name: Uint8Array;
  offset: number;
  size: number;
  crc: number;
  done: boolean;
}

/** Writes a stored zip archive to a positional sink. */
export class ZipWriter {
  private pos = 0;
  private readonly entries: WrittenEntry[] = [];
  /**
   * @param prefix the archive's top folder ("archive"); every record name is prefix/name.
   * @param forceZip64 write zip64 extra fields for every record (tests the >4 GiB layout on small files).
   */
  constructor(private readonly sink: ByteSink, private readonly prefix: string, private readonly forceZip64 = false) {}

  /** The position where the next record's data will start, for a record of `size` bytes named `name`. */
  private layout(name: Uint8Array, size: number): { headerLen: number; zip64: boolean; pad: number } {
    const zip64 = this.forceZip64 || size >= U32_MAX;
    const base = this.pos + 30 + name.length + (zip64 ? 20 : 0) + 4;
    const pad = (ALIGNMENT - (base % ALIGNMENT)) % ALIGNMENT;
    return { headerLen: 30 + name.length + (zip64 ? 20 : 0) + 4 + pad, zip64, pad };
  }

  /**
   * Adds a record of `size` bytes; `writeData(pos)` must write exactly those bytes at file
   * position `pos` and return their CRC-32.
   */
  add(name: string, size: number, writeData: (pos: number) => number): void {
    const r = this.reserve(name, size);
    r.complete(writeData(r.dataPos));
  }

  /**
   * Lays out a record of `size` bytes whose data the caller writes at `dataPos` (possibly later,
   * asynchronously); complete(crc) then writes its local header. The central directory
   * (finish()) needs every reserved record completed.
   */
  reserve(name: string, size: number): { dataPos: number; complete: (crc: number) => void } {
    const nm = Buffer.from(`${this.prefix}/${name}`, 'utf8');
    const { headerLen, zip64, pad } = this.layout(nm, size);
    const offset = this.pos;
    const entry: WrittenEntry = { name: nm, offset, size, crc: 0, done: false };
    this.entries.push(entry);
    this.pos = offset + headerLen + size;
    const complete = (c: number): void => {
      const crc = c >>> 0;
      const h = new Bytes(headerLen);
      h.u32(SIG_LOCAL).u16(zip64 ? 45 : 20).u16(0x0800).u16(0).u16(0).u16(DOS_DATE).u32(crc);
      if (zip64) h.u32(U32_MAX).u32(U32_MAX);
      else h.u32(size).u32(size);
      h.u16(nm.length).u16(headerLen - 30 - nm.length).bytes(nm);
      if (zip64) h.u16(0x0001).u16(16).u64(size).u64(size);
      h.u16(0x4246).u16(pad); // "FB": padding so the data starts on a 64-byte boundary
      h.a.fill(0x5a, h.p, h.p + pad); // 'Z', as PyTorch pads
      this.sink.write(h.a, offset);
      entry.crc = crc;
      entry.done = true;
    };
    return { dataPos: offset + headerLen, complete };
  }

  /** Adds a record held in memory. */
  addBytes(name: string, data: Uint8Array): void {
    this.add(name, data.length, (pos) => {
      this.sink.write(data, pos);
      return crc32(data);
    });
  }

  /** Writes the central directory and the end records. Returns the archive's size. */
  finish(): number {
    const cdStart = this.pos;
    const parts: Uint8Array[] = [];
    for (const e of this.entries) {
      if (!e.done) throw new Error(`zip: record '${Buffer.from(e.name).toString()}' was reserved but not completed`);
      const big = this.forceZip64 || e.size >= U32_MAX || e.offset >= U32_MAX;
      const extra = big ? 4 + 24 : 0;
      const c = new Bytes(46 + e.name.length + extra);
      c.u32(SIG_CENTRAL).u16(big ? 45 : 20).u16(big ? 45 : 20).u16(0x0800).u16(0).u16(0).u16(DOS_DATE).u32(e.crc);
      if (big) c.u32(U32_MAX).u32(U32_MAX);
      else c.u32(e.size).u32(e.size);
      c.u16(e.name.length).u16(extra).u16(0).u16(0).u16(0).u32(0);
      c.u32(big ? U32_MAX : e.offset).bytes(e.name);
      if (big) c.u16(0x0001).u16(24).u64(e.size).u64(e.size).u64(e.offset);
      parts.push(c.a);
    }
    let cdSize = 0;
    for (const p of parts) cdSize += p.length;
    const cd = new Uint8Array(cdSize);
    let o = 0;
    for (const p of parts) {
      cd.set(p, o);
      o += p.length;
    }
    this.sink.write(cd, cdStart);
    const n = this.entries.length;
    // zip64 end record and locator, always written (as PyTorch does); the classic end record
    // saturates its fields when they overflow.
    const end = new Bytes(56 + 20 + 22);
    const eocd64 = cdStart + cdSize;
    end.u32(SIG_EOCD64).u64(44).u16(45).u16(45).u32(0).u32(0).u64(n).u64(n).u64(cdSize).u64(cdStart);
    end.u32(SIG_LOCATOR64).u32(0).u64(eocd64).u32(1);
    end.u32(SIG_EOCD).u16(0).u16(0).u16(Math.min(n, U16_MAX)).u16(Math.min(n, U16_MAX));
    end.u32(Math.min(cdSize, U32_MAX)).u32(Math.min(cdStart, U32_MAX)).u16(0);
    this.sink.write(end.a, eocd64);
    return eocd64 + end.a.length;
  }
}

export interface ZipEntry {
  /** Full name, including the archive's top folder. */
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
  readonly localOffset: number;
}

function safe64(v: DataView, p: number, what: string): number {
  const x = v.getBigUint64(p, true);
  if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw new TorchError(`${what}: a zip size or offset is out of range (${x})`);
  return Number(x);
}

/** Reads the central directory of a zip archive; records are read on demand. */
export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();
  /** Entry names in directory order. */
  readonly names: string[] = [];

  constructor(private readonly src: ByteSource, private readonly what: string) {
    const size = src.size;
    const bad = (m: string): never => {
      throw new TorchError(`${what}: corrupt zip archive: ${m}`);
    };
    if (size < 22) bad(`the file is only ${size} bytes long (truncated?)`);
    // The end of central directory record: within the last 22 + 65535 bytes.
    const tailLen = Math.min(size, 22 + 0xffff + 20);
    const tail = new Uint8Array(tailLen);
    src.read(tail, size - tailLen);
    const tv = new DataView(tail.buffer);
    let e = -1;
    for (let p = tailLen - 22; p >= 0; p--) {
      if (tv.getUint32(p, true) === SIG_EOCD && p + 22 + tv.getUint16(p + 20, true) <= tailLen) {
        e = p;
        break;
      }
    }
    if (e < 0) bad('no end of central directory record (the file is truncated or not a zip archive)');
    const eocdPos = size - tailLen + e;
    let count = tv.getUint16(e + 10, true);
    let cdSize = tv.getUint32(e + 12, true);
    let cdOffset = tv.getUint32(e + 16, true);
    let cdLimit = eocdPos;
    // zip64: a locator right before the end record points at the zip64 end record.
    if (e >= 20 && tv.getUint32(e - 20, true) === SIG_LOCATOR64) {
      const recPos = safe64(tv, e - 20 + 8, what);
      if (recPos + 56 > eocdPos - 20) bad('zip64 end record out of range');
      const rec = new Uint8Array(56);
      src.read(rec, recPos);
      const rv = new DataView(rec.buffer);
      if (rv.getUint32(0, true) !== SIG_EOCD64) bad('bad zip64 end record signature');
      count = safe64(rv, 32, what);
      cdSize = safe64(rv, 40, what);
      cdOffset = safe64(rv, 48, what);
      cdLimit = recPos;
    } else if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
      bad('zip64 fields without a zip64 end record');
    }
    if (cdOffset + cdSize > cdLimit) bad(`central directory (offset ${cdOffset}, ${cdSize} bytes) runs past its end (${cdLimit})`);
    if (count * 46 > cdSize) bad(`${count} entries cannot fit in a ${cdSize}-byte central directory`);
    const cd = new Uint8Array(cdSize);
    src.read(cd, cdOffset);
    const v = new DataView(cd.buffer);
    const dec = new TextDecoder('utf-8', { fatal: false });
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cdSize || v.getUint32(p, true) !== SIG_CENTRAL) bad(`central directory entry ${i} is malformed`);
      const method = v.getUint16(p + 10, true);
      const crc = v.getUint32(p + 16, true);
      let csize = v.getUint32(p + 20, true);
      let usize = v.getUint32(p + 24, true);
      const nlen = v.getUint16(p + 28, true);
      const xlen = v.getUint16(p + 30, true);
      const clen = v.getUint16(p + 32, true);
      let local = v.getUint32(p + 42, true);
      if (p + 46 + nlen + xlen + clen > cdSize) bad(`central directory entry ${i} runs past the directory`);
      const name = dec.decode(cd.subarray(p + 46, p + 46 + nlen));
      // zip64 extended information: the fields that are saturated, in order.
      let x = p + 46 + nlen;
      const xend = x + xlen;
      while (x + 4 <= xend) {
        const id = v.getUint16(x, true);
        const len = v.getUint16(x + 2, true);
        if (x + 4 + len > xend) bad(`extra field of '${name}' runs past its entry`);
        if (id === 0x0001) {
          let q = x + 4;
          const take = (): number => {
            if (q + 8 > x + 4 + len) bad(`zip64 field of '${name}' is too short`);
            const val = safe64(v, q, what);
            q += 8;
            return val;
          };
          if (usize === U32_MAX) usize = take();
          if (csize === U32_MAX) csize = take();
          if (local === U32_MAX) local = take();
        }
        x += 4 + len;
      }
      if (local + 30 + csize > cdOffset) bad(`record '${name}' (offset ${local}, ${csize} bytes) overlaps the central directory or runs past the file`);
      if (method === 0 && csize !== usize) bad(`stored record '${name}' has different compressed (${csize}) and uncompressed (${usize}) sizes`);
      if (method !== 0 && method !== 8) bad(`record '${name}' uses compression method ${method} (only stored and deflated records are supported)`);
      if (!this.entries.has(name)) {
        this.entries.set(name, { name, method, crc, csize, usize, localOffset: local });
        this.names.push(name);
      }
      p += 46 + nlen + xlen + clen;
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.entries.get(name);
  }

  /** The file position where the entry's (stored or compressed) data start, checked against the file. */
  dataOffset(e: ZipEntry): number {
    const h = new Uint8Array(30);
    this.src.read(h, e.localOffset);
    const v = new DataView(h.buffer);
    if (v.getUint32(0, true) !== SIG_LOCAL) throw new TorchError(`${this.what}: corrupt zip archive: bad local header for '${e.name}'`);
    const start = e.localOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
    if (start + e.csize > this.src.size) throw new TorchError(`${this.what}: the file is truncated: record '${e.name}' needs bytes up to ${start + e.csize}, the file has ${this.src.size}`);
    return start;
  }

  /** Reads a whole record into memory (small records: the pickle, version, byteorder), checking its CRC. */
  read(e: ZipEntry): Uint8Array {
    const start = this.dataOffset(e);
    const raw = new Uint8Array(e.csize);
    this.src.read(raw, start);
    let out = raw;
    if (e.method === 8) {
      // A deflate stream expands at most ~1032:1; a larger claim is a corrupt (or hostile) entry.
      if (e.usize > e.csize * 1032 + 64) throw new TorchError(`${this.what}: corrupt zip archive: record '${e.name}' claims an impossible compression ratio`);
      try {
        out = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.usize) });
      } catch (err) {
        throw new TorchError(`${this.what}: corrupt zip archive: cannot inflate '${e.name}': ${(err as Error).message}`);
      }
      if (out.length !== e.usize) throw new TorchError(`${this.what}: corrupt zip archive: '${e.name}' inflates to ${out.length} bytes, not ${e.usize}`);
    }
    if (crc32(out) !== e.crc) throw new TorchError(`${this.what}: corrupt zip archive: CRC-32 mismatch in '${e.name}'`);
    return out;
  }
}
