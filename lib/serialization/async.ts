/**
 * torch.save_async / torch.load_async (torch-node's additions): the same files as torch.save and
 * torch.load, byte for byte and bit for bit, with the file I/O and the storage bytes (reads,
 * writes, CRC-32s, byte swaps) on the libuv thread pool.
 *
 * What stays on the JS thread, because it builds or walks JS values: pickling the object
 * (save_async, before the Promise is returned) and unpickling data.pkl and making the result's
 * JS objects (load_async). Both are proportional to the number of tensors, not their bytes.
 * Each file read is an fs.promises read; the storages are read by one native job.
 */
import * as fs from 'fs';
import { fileURLToPath } from 'url';
import { native } from '../binding';
import { TorchError } from '../errors';
import { Tensor } from '../tensor';
import { ByteSource, BufferSource, PendingSink } from './io';
import { ZipWriter } from './zip';
import { prepareSave, save, SaveOptions } from './save';
import {
  load, LoadOptions, ParsedArchive, parseArchive, finish, viewSpecs, placeViews, targetDevice, swapSize, checkLoadOptions,
} from './load';

/** Thrown by PrefetchSource for bytes not fetched yet; the caller fetches them and retries. */
class Miss {
  constructor(readonly pos: number, readonly len: number) {}
}

const PREFETCH = 64 << 10;

/**
 * The file's small parts (zip directory, pickle, local headers), fetched asynchronously and
 * then read synchronously by the zip reader and the unpickler.
 */
class PrefetchSource implements ByteSource {
  private readonly ranges: { pos: number; buf: Uint8Array }[] = [];
  constructor(readonly fh: fs.promises.FileHandle, readonly size: number, readonly what: string) {}

  async fetch(pos: number, len: number): Promise<void> {
    const start = Math.max(0, Math.min(pos, this.size));
    const end = Math.min(this.size, Math.max(pos + len, start));
    if (end <= start) return;
    const buf = new Uint8Array(end - start);
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await this.fh.read(buf, done, buf.length - done, start + done);
      if (bytesRead <= 0) throw new TorchError(`${this.what}: the file is truncated (unexpected end at byte ${start + done})`);
      done += bytesRead;
    }
    this.ranges.push({ pos: start, buf });
  }

  has(pos: number, len: number): boolean {
    return this.ranges.some((r) => pos >= r.pos && pos + len <= r.pos + r.buf.length);
  }

  read(dst: Uint8Array, pos: number): void {
    if (pos < 0 || pos + dst.length > this.size) throw new TorchError(`${this.what}: the file is truncated (needs bytes up to ${pos + dst.length}, has ${this.size})`);
    for (const r of this.ranges) {
      if (pos >= r.pos && pos + dst.length <= r.pos + r.buf.length) {
        dst.set(r.buf.subarray(pos - r.pos, pos - r.pos + dst.length));
        return;
      }
    }
    throw new Miss(pos, dst.length);
  }

  close(): void {}
}

function wrap(e: unknown, what: string): unknown {
  if (e instanceof TorchError && !e.message.startsWith(what)) return new TorchError(`${what}: ${e.message}`);
  return e;
}

/** Calls a native job with a Node-style callback. */
function job<T>(start: (cb: (err: Error | null, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, v) => (err ? reject(err) : resolve(v))));
}

/**
 * torch.load_async(f, {map_location, check_crc}) → Promise: torch.load without blocking the event
 * loop (torch-node's addition). Takes torch.load's arguments and resolves to what torch.load
 * returns, tensor for tensor bit-equal. File reads and the storage bytes (reading, CRC-32 with
 * check_crc, byte swapping, moving to map_location) run on the libuv thread pool; the pickle is
 * parsed on the JS thread.
 *
 * Errors (a missing file, a corrupt or truncated archive, a refused global) reject with the
 * TorchError torch.load throws; bad arguments reject with TypeError.
 *
 * Example:
 *   model.load_state_dict(await torch.load_async('model.pth'))
 */
export function load_async(f: string | URL | Uint8Array, opts: LoadOptions = {}): Promise<any> {
  const what = 'torch.load';
  try {
    checkLoadOptions(opts);
    if (!(f instanceof Uint8Array) && typeof f !== 'string' && !(f instanceof URL)) {
      throw new TypeError(`torch.load_async(): f must be a path or a Uint8Array, not ${f === null ? 'null' : typeof f}`);
    }
  } catch (e) {
    return Promise.reject(e);
  }
  if (process.platform === 'win32') {
    // No pread job on Windows: the synchronous loader, after this turn of the event loop.
    return new Promise((resolve, reject) => setImmediate(() => { try { resolve(load(f, opts)); } catch (e) { reject(e); } }));
  }
  return (async () => {
    let fh: fs.promises.FileHandle | null = null;
    if (!(f instanceof Uint8Array)) {
      const path = f instanceof URL ? fileURLToPath(f) : f;
      try {
        fh = await fs.promises.open(path, 'r');
      } catch (e) {
        throw new TorchError(`${what}: cannot open '${path}': ${(e as Error).message}`);
      }
    }
    const made: Tensor[] = [];
    let ok = false;
    let a: ParsedArchive | null = null;
    try {
      if (fh) {
        const st = await fh.stat();
        if (!st.isFile()) throw new TorchError(`${what}: '${String(f)}' is not a regular file`);
        const pf = new PrefetchSource(fh, st.size, what);
        const tail = Math.min(st.size, 22 + 0xffff + 20);
        await Promise.all([pf.fetch(0, PREFETCH), pf.fetch(st.size - tail, tail)]);
        // The zip directory and the pickle: parse, fetching what was missing, until complete.
        for (let tries = 0; ; tries++) {
          try {
            a = parseArchive(pf);
            break;
          } catch (e) {
            if (!(e instanceof Miss)) throw e;
            if (tries > 16) throw new TorchError(`${what}: corrupt archive: its directory and pickle are scattered over too many places`);
            await pf.fetch(e.pos, Math.max(e.len, PREFETCH));
          }
        }
        // The local headers of the storage records (30 bytes each).
        const need = [...(a as ParsedArchive).entries.values()].filter((e) => !pf.has(e.localOffset, 30));
        await Promise.all(need.map((e) => pf.fetch(e.localOffset, 30)));
      } else {
        a = parseArchive(new BufferSource(f as Uint8Array, what));
      }
      const arch = a as ParsedArchive;
      const order = [...arch.entries.entries()].sort((x, y) => x[1].localOffset - y[1].localOffset);
      const layouts = order.map(([s, e]) => {
        const { specs, bare } = viewSpecs(s);
        const dev = targetDevice(s.location, opts.map_location);
        return { s, bare, spec: [arch.zip.dataOffset(e), e.usize, dev === 'cpu' ? null : dev, swapSize(arch, s), specs, opts.check_crc === true ? e.crc : null, e.name] };
      });
      const source = fh ? fh.fd : (f as Uint8Array);
      const hs = await job<number[][]>((cb) => native._ser_read_async(source, layouts.map((l) => l.spec), cb));
      // Wrap every handle before anything else can fail.
      const ts = hs.map((row) => row.map((h) => new Tensor(h)));
      layouts.forEach((l, i) => placeViews(l.s, l.bare, ts[i], made));
      const out = finish(arch, made);
      ok = true;
      return out;
    } catch (e) {
      throw wrap(e, what);
    } finally {
      if (fh) await fh.close().catch(() => undefined);
      if (a) for (const s of a.storages) s.bytes?.dispose();
      if (!ok) for (const t of made) t.dispose();
    }
  })();
}

/**
 * torch.save_async(obj, f) → Promise<void>: torch.save without blocking the event loop
 * (torch-node's addition). Takes torch.save's arguments and writes the same bytes.
 *
 * The object is pickled, and every tensor's storage is referenced, before this returns: the
 * caller may change the object or dispose its tensors at once (the file holds their values at
 * the call; in-place writes to a tensor while the save is in flight are a race, as in PyTorch).
 * The file is opened and written, and the CRC-32s are computed, on the libuv thread pool.
 *
 * Errors reject the Promise: a value that cannot be saved with TypeError, a file that cannot be
 * written with TorchError.
 *
 * Example:
 *   await torch.save_async(model.state_dict(), 'model.pth')
 */
export function save_async(obj: unknown, f: string | URL, opts: SaveOptions = {}): Promise<void> {
  const what = 'torch.save';
  if (process.platform === 'win32') {
    try {
      save(obj, f, opts);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  let prepared: ReturnType<typeof prepareSave>;
  const bytes: Tensor[] = [];
  try {
    prepared = prepareSave(obj, f, opts, 'torch.save_async');
    // Our own references to the storages: the caller may dispose its tensors from now on.
    for (const s of prepared.storages) bytes.push(new Tensor(native._ser_storage_bytes(s.tensor._h)));
    for (const t of prepared.owned) t.dispose();
  } catch (e) {
    for (const b of bytes) b.dispose();
    return Promise.reject(e);
  }
  const job0 = prepared;
  return (async () => {
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(job0.path, 'w');
    } catch (e) {
      for (const b of bytes) b.dispose();
      throw new TorchError(`${what}: cannot open '${job0.path}' for writing: ${(e as Error).message}`);
    }
    try {
      const sink = new PendingSink();
      const z = new ZipWriter(sink, 'archive', job0.force64);
      z.addBytes('data.pkl', job0.pkl);
      z.addBytes('byteorder', Buffer.from('little'));
      const records = job0.storages.map((s) => z.reserve(`data/${s.key}`, s.nbytes));
      let crcs: number[];
      try {
        const p = job<number[]>((cb) => native._ser_write_async(fh.fd, bytes.map((b, i) => [b._h, records[i].dataPos]), cb));
        // The job holds its own references now.
        for (const b of bytes) b.dispose();
        bytes.length = 0;
        crcs = await p;
      } catch (e) {
        throw wrap(e, what);
      }
      records.forEach((r, i) => r.complete(crcs[i]));
      z.addBytes('version', Buffer.from('3\n'));
      z.finish();
      await Promise.all(sink.writes.map(([buf, pos]) => writeAll(fh, buf, pos)));
    } catch (e) {
      throw e instanceof TorchError || e instanceof TypeError ? e : new TorchError(`${what}: cannot write '${job0.path}': ${(e as Error).message}`);
    } finally {
      for (const b of bytes) b.dispose();
      await fh.close().catch(() => undefined);
    }
  })();
}

async function writeAll(fh: fs.promises.FileHandle, buf: Uint8Array, pos: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, pos + done);
    done += bytesWritten;
  }
}
