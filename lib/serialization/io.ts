/**
 * Positional byte I/O for the serialization formats, and the moves between files and tensor
 * memory. Everything here is synchronous and works on plain (fd, position, length) requests, so
 * that the async variants can run the same requests with fs.read/fs.write or in a worker.
 *
 * Loading reads files with pread straight into the memory of the tensor being loaded (native
 * _ser_pread; on Windows, fs.readSync into a 16 MiB scratch buffer then a copy). Saving copies
 * each storage through a 16 MiB scratch buffer. (torch.save's zip archives are read and written
 * by libtorch's container, native/serialization/container.cc; this is for safetensors.) No JS object
 * points into tensor memory, so disposing a tensor frees its memory at once, and memory use stays
 * the tensors plus a few MiB.
 */
import * as fs from 'fs';
import { native } from '../binding';
import { TorchError } from '../errors';

/** Largest single fs read/write request (Linux caps one syscall at ~2 GiB). */
const CHUNK = 1 << 30;
const SCRATCH = 16 << 20;

/** A readable byte range: a file (read at positions) or an in-memory buffer. */
export interface ByteSource {
  readonly size: number;
  /** The operation name used in error messages. */
  readonly what: string;
  /** Fills `dst` with the bytes at [pos, pos + dst.length); throws TorchError past the end. */
  read(dst: Uint8Array, pos: number): void;
  close(): void;
}

export class FileSource implements ByteSource {
  readonly size: number;
  /** @internal */
  fd: number;
  constructor(readonly path: string, readonly what: string) {
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
  constructor(private readonly buf: Uint8Array, readonly what: string) {
    this.size = buf.length;
  }
  /** A view of bytes [pos, pos + n) (no copy). */
  bytes(pos: number, n: number): Uint8Array {
    return this.buf.subarray(pos, pos + n);
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

const NATIVE_PREAD = process.platform !== 'win32';

/**
 * Reads n bytes at `pos` of `src` into the byte tensor `h` at byte `start`: files by pread straight
 * into the tensor's memory (on Windows through a JS scratch buffer, in 16 MiB pieces).
 */
export function readIntoTensor(src: ByteSource, pos: number, h: number, start: number, n: number): void {
  if (n === 0) return;
  if (pos < 0 || pos + n > src.size) throw new TorchError(`${src.what}: the file is truncated (needs bytes up to ${pos + n}, has ${src.size})`);
  if (src instanceof FileSource && NATIVE_PREAD) {
    try {
      native._ser_pread(src.fd, pos, h, start, n);
    } catch (e) {
      throw e instanceof TorchError ? new TorchError(`${src.what}: ${e.message}`) : e;
    }
    return;
  }
  if (src instanceof BufferSource) {
    native._ser_copy(h, start, src.bytes(pos, n), true);
    return;
  }
  const scratch = new Uint8Array(Math.min(SCRATCH, n));
  for (let off = 0; off < n; off += SCRATCH) {
    const w = scratch.subarray(0, Math.min(SCRATCH, n - off));
    src.read(w, pos + off);
    native._ser_copy(h, start + off, w, true);
  }
}

/** Writes n bytes of the byte tensor `h` from byte `start` to `sink` at `pos`, through a 16 MiB JS scratch buffer. */
export function writeFromTensor(sink: ByteSink, pos: number, h: number, start: number, n: number): void {
  if (n === 0) return;
  const scratch = new Uint8Array(Math.min(SCRATCH, n));
  for (let off = 0; off < n; off += SCRATCH) {
    const w = scratch.subarray(0, Math.min(SCRATCH, n - off));
    native._ser_copy(h, start + off, w, false);
    sink.write(w, pos + off);
  }
}
