/**
 * Positional byte I/O for the serialization formats, and the moves between files and tensor
 * memory. Everything here is synchronous and works on plain (fd, position, length) requests, so
 * that the async variants can run the same requests with fs.read/fs.write or in a worker.
 *
 * Tensor bytes never pass through an intermediate JS copy when the runtime allows external
 * ArrayBuffers: native code hands out an ArrayBuffer over the tensor's own memory and fs reads and
 * writes go straight into and out of it. Under a V8 sandbox (Electron) that refuses external
 * buffers, a 16 MiB scratch buffer is used instead.
 */
import * as fs from 'fs';
import { native } from '../binding';
import { TorchError } from '../errors';
import { crc32 } from './crc32';

/** Largest single fs read/write request (Linux caps one syscall at ~2 GiB). */
const CHUNK = 1 << 30;
const SCRATCH = 16 << 20;

/** A readable byte range: a file (read at positions) or an in-memory buffer. */
export interface ByteSource {
  readonly size: number;
  /** Fills `dst` with the bytes at [pos, pos + dst.length); throws TorchError past the end. */
  read(dst: Uint8Array, pos: number): void;
  close(): void;
}

export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number;
  constructor(readonly path: string, private readonly what: string) {
    try {
      this.fd = fs.openSync(path, 'r');
    } catch (e) {
      throw new TorchError(`${what}: cannot open '${path}': ${(e as Error).message}`);
    }
    const st = fs.fstatSync(this.fd);
    if (!st.isFile()) {
      fs.closeSync(this.fd);
      throw new TorchError(`${what}: '${path}' is not a regular file`);
    }
    this.size = st.size;
  }
  read(dst: Uint8Array, pos: number): void {
    if (pos < 0 || pos + dst.length > this.size) throw new TorchError(`${this.what}: the file is truncated (needs bytes up to ${pos + dst.length}, has ${this.size})`);
    let done = 0;
    while (done < dst.length) {
      const n = fs.readSync(this.fd, dst, done, Math.min(dst.length - done, CHUNK), pos + done);
      if (n <= 0) throw new TorchError(`${this.what}: the file is truncated (unexpected end at byte ${pos + done})`);
      done += n;
    }
  }
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {
    this.size = buf.length;
  }
  read(dst: Uint8Array, pos: number): void {
    if (pos < 0 || pos + dst.length > this.size) throw new TorchError(`${this.what}: the data is truncated (needs bytes up to ${pos + dst.length}, has ${this.size})`);
    dst.set(this.buf.subarray(pos, pos + dst.length));
  }
  close(): void {}
}

/** A writable file, written at explicit positions. */
export class FileSink {
  private fd: number;
  constructor(readonly path: string, what: string) {
    try {
      this.fd = fs.openSync(path, 'w');
    } catch (e) {
      throw new TorchError(`${what}: cannot open '${path}' for writing: ${(e as Error).message}`);
    }
  }
  write(src: Uint8Array, pos: number): void {
    let done = 0;
    while (done < src.length) {
      const n = fs.writeSync(this.fd, src, done, Math.min(src.length - done, CHUNK), pos + done);
      done += n;
    }
  }
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** A sink that gathers the bytes in memory (safetensors.save). */
export class MemorySink {
  readonly buf: Uint8Array;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  write(src: Uint8Array, pos: number): void {
    this.buf.set(src, pos);
  }
  close(): void {}
}

export type ByteSink = FileSink | MemorySink;

/**
 * Calls `fn` with consecutive windows over bytes [start, start + n) of a contiguous CPU uint8
 * tensor (handle `h`). `fill`: the windows are to be filled (copied into the tensor afterwards
 * when they are scratch memory); otherwise they hold the tensor's bytes.
 */
function windows(h: number, start: number, n: number, fill: boolean, fn: (w: Uint8Array, off: number) => void): void {
  if (n === 0) return;
  const ab: ArrayBuffer | null = native._ser_external(h);
  if (ab !== null) {
    for (let off = 0; off < n; off += CHUNK) fn(new Uint8Array(ab, start + off, Math.min(CHUNK, n - off)), off);
    return;
  }
  const scratch = new Uint8Array(Math.min(SCRATCH, n));
  for (let off = 0; off < n; off += SCRATCH) {
    const w = scratch.subarray(0, Math.min(SCRATCH, n - off));
    if (!fill) native._ser_copy(h, start + off, w, false);
    fn(w, off);
    if (fill) native._ser_copy(h, start + off, w, true);
  }
}

/** Reads n bytes at `pos` of `src` into the byte tensor `h` at byte `start`; returns their CRC-32 when asked. */
export function readIntoTensor(src: ByteSource, pos: number, h: number, start: number, n: number, withCrc: boolean): number {
  let crc = 0;
  windows(h, start, n, true, (w, off) => {
    src.read(w, pos + off);
    if (withCrc) crc = crc32(w, crc);
  });
  return crc;
}

/** Writes n bytes of the byte tensor `h` from byte `start` to `sink` at `pos`; returns their CRC-32. */
export function writeFromTensor(sink: ByteSink, pos: number, h: number, start: number, n: number, withCrc: boolean): number {
  let crc = 0;
  windows(h, start, n, false, (w, off) => {
    if (withCrc) crc = crc32(w, crc);
    sink.write(w, pos + off);
  });
  return crc;
}
