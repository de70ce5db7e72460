/**
 * torch.save_async / torch.load_async (torch-node's additions): the same files as torch.save and
 * torch.load, byte for byte and bit for bit, with the file I/O and the storage bytes (reads,
 * writes, CRC-32s, byte swaps) on the libuv thread pool.
 *
 * What stays on the JS thread, because it builds or walks JS values: pickling the object
 * (save_async, before the Promise is returned) and unpickling data.pkl and making the result's
 * JS objects (load_async). Both are proportional to the number of tensors, not their bytes.
 * The container is opened (libtorch's PyTorchStreamReader), the storages read and the archive
 * written (PyTorchStreamWriter) by native jobs, the same code torch.save and torch.load run.
 */
import * as fs from 'fs';
import { fileURLToPath } from 'url';
import { native } from '../binding';
import { TorchError } from '../errors';
import { Tensor } from '../tensor';
import { prepareSave, save, SaveOptions, archiveRecords } from './save';
import {
  load, LoadOptions, ParsedArchive, NativeArchive, parseArchive, finish, checkLoadOptions, checkHead, decompressLimit, asLoadError,
  storageReads, placeStorages,
} from './load';

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
      let source: number | Uint8Array;
      if (fh) {
        const st = await fh.stat();
        if (!st.isFile()) throw new TorchError(`${what}: '${String(f)}' is not a regular file`);
        const head = new Uint8Array(Math.min(4, st.size));
        if (head.length) await fh.read(head, 0, head.length, 0);
        checkHead(head, st.size);
        source = fh.fd;
      } else {
        const b = f as Uint8Array;
        checkHead(b.subarray(0, 4), b.length);
        source = b;
      }
      // The container (libtorch's reader) on the pool; the pickle here.
      const na = await job<NativeArchive>((cb) => native._ser_archive_async(source, decompressLimit(opts), cb));
      a = parseArchive(na);
      const { reads, order } = storageReads(a, opts.map_location, opts.check_crc === true);
      const hs = await job<number[][]>((cb) => native._ser_read_async(source, reads, cb));
      placeStorages(order, hs, made);
      const out = finish(a, made);
      ok = true;
      return out;
    } catch (e) {
      throw asLoadError(e);
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
      const p = job<void>((cb) => native._ser_write_async(fh.fd, archiveRecords(job0, bytes.map((b) => b._h)), cb));
      // The job holds its own references now.
      for (const b of bytes) b.dispose();
      bytes.length = 0;
      await p;
    } catch (e) {
      throw e instanceof TypeError ? e : new TorchError(`${what}: cannot write '${job0.path}': ${(e as Error).message}`);
    } finally {
      for (const b of bytes) b.dispose();
      await fh.close().catch(() => undefined);
    }
  })();
}
