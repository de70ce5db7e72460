/**
 * torch.save: writes PyTorch's zip serialization format, which Python's torch.load reads.
 *
 * Layout (as PyTorch 1.13 writes it, plus the byteorder record PyTorch 2.x writes):
 *   archive/data.pkl    protocol-2 pickle; tensors are torch._utils._rebuild_tensor_v2(storage,
 *                       storage_offset, size, stride, requires_grad, OrderedDict()) with the
 *                       storage as persistent id ('storage', torch.<T>Storage, key, location, numel)
 *   archive/byteorder   "little"
 *   archive/data/<key>  each storage's bytes, once per storage however many tensors view it
 *   archive/version     "3\n"
 * Records are stored uncompressed with their data on 64-byte boundaries; CRC-32s are exact. The
 * container is written by libtorch's own PyTorchStreamWriter (native _ser_write_archive), the
 * writer Python's torch.save uses.
 *
 * Memory: the pickle is built in memory (it is small); storages are written one at a time
 * straight from tensor memory (CPU tensors are not copied; other devices are copied to the CPU
 * one storage at a time).
 */
import { fileURLToPath } from 'url';
import { native } from '../binding';
import { TorchError } from '../errors';
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { dtype as DType, dtypeFromCode } from '../dtype';
import { device } from '../device';
import { Parameter } from '../nn/parameter';
import * as fs from 'fs';
import { PickleWriter, isTuple, ScriptObject, tuple } from './pickle';
import { storageClassOf } from './dtypes';

const WHAT = 'torch.save';

export interface SaveOptions {
  /** Only protocol 2 (PyTorch's default) is written. */
  pickle_protocol?: number;
  /** Must be true (the default): the legacy format is not written. */
  _use_new_zipfile_serialization?: boolean;
}

export interface SavedStorage {
  key: string;
  tensor: Tensor;
  dtype: DType;
  nbytes: number;
}

const BATCH = 1000; // items per APPENDS/SETITEMS, as Python's pickler batches them

/** Pickles JS values the way Python's pickler would pickle the corresponding Python values. */
class TorchPickler {
  readonly w = new PickleWriter();
  readonly storages = new Map<number, SavedStorage>();
  /** Tensors made while pickling (per-channel quantizer parameters); disposed after saving. */
  readonly owned: Tensor[] = [];
  private readonly memo = new Map<object, number>();
  private readonly building = new Set<object>();

  save(v: unknown): void {
    const w = this.w;
    if (v === null || v === undefined) {
      w.none();
      return;
    }
    switch (typeof v) {
      case 'boolean': w.bool(v); return;
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) w.int(v);
        else w.float(v);
        return;
      case 'bigint': w.int(v); return;
      case 'string': w.str(v); return;
      case 'object': break;
      case 'function':
        // An nn.Module instance is a callable object: Python pickles the module with its class,
        // which needs Python code; its state_dict holds everything that can be saved.
        if (typeof (v as any).state_dict === 'function' && typeof (v as any).forward === 'function') {
          const name = typeof (v as any)._get_name === 'function' ? (v as any)._get_name() : 'Module';
          throw new TypeError(`${WHAT}: cannot save the nn.Module ${name} itself (PyTorch pickles the module's Python class, which has no JS form): save its state_dict instead, torch.save(model.state_dict(), f), and restore it with model.load_state_dict(torch.load(f))`);
        }
        throw new TypeError(`${WHAT}: cannot save a value of type ${typeof v}`);
      default: throw new TypeError(`${WHAT}: cannot save a value of type ${typeof v}`);
    }
    const o = v as object;
    const m = this.memo.get(o);
    if (m !== undefined) {
      w.get(m);
      return;
    }
    if (o instanceof Tensor) return this.tensor(o);
    if (o instanceof ScriptObject) {
      w.global('torch', 'ScriptObject');
      w.tuple(0);
      w.newobj();
      this.memo.set(o, w.put());
      this.save(tuple([o.state, o.cls]));
      w.build();
      return;
    }
    if (o instanceof DType) {
      w.global('torch', o.name);
      return;
    }
    if (o instanceof device) {
      w.global('torch', 'device');
      w.str(o.toString());
      w.tuple(1).reduce();
      this.memo.set(o, w.put());
      return;
    }
    if (Array.isArray(o)) {
      if (isTuple(o)) return this.tuple(o);
      w.emptyList();
      this.memo.set(o, w.put());
      this.batched(o.length, (i) => this.save(o[i]), () => w.appends(), () => w.append());
      return;
    }
    if (o instanceof Map) {
      this.orderedDict(o, [...o.keys()], (k) => o.get(k));
      return;
    }
    if (o instanceof Set) {
      // Protocol 2 writes a set as builtins.set([items]) (spelled __builtin__ for Python 2 readers).
      w.global('__builtin__', 'set');
      w.emptyList();
      const items = [...o];
      this.batched(items.length, (i) => this.save(items[i]), () => w.appends(), () => w.append());
      w.tuple(1).reduce();
      this.memo.set(o, w.put());
      return;
    }
    if (o instanceof Uint8Array) {
      // Protocol 2 writes bytes b as _codecs.encode(b.decode('latin1'), 'latin1').
      w.global('_codecs', 'encode');
      w.str(Buffer.from(o.buffer, o.byteOffset, o.byteLength).toString('latin1'));
      w.str('latin1');
      w.tuple(2).reduce();
      this.memo.set(o, w.put());
      return;
    }
    const proto = Object.getPrototypeOf(o);
    if (proto === Object.prototype || proto === null) {
      const rec = o as Record<string, unknown>;
      this.orderedDict(o, Object.keys(rec), (k) => rec[k as string]);
      return;
    }
    throw new TypeError(
      `${WHAT}: cannot save a ${describe(o)}: only tensors, numbers, bigints, strings, booleans, null, arrays, ` +
        'plain objects, Maps, Sets, Uint8Arrays, dtypes and devices can be saved',
    );
  }

  private batched(n: number, item: (i: number) => void, many: () => void, one: () => void): void {
    for (let i = 0; i < n; i += BATCH) {
      const k = Math.min(BATCH, n - i);
      if (k === 1) {
        item(i);
        one();
        continue;
      }
      this.w.mark();
      for (let j = 0; j < k; j++) item(i + j);
      many();
    }
  }

  private tuple(items: unknown[]): void {
    if (this.building.has(items)) throw new TypeError(`${WHAT}: a tuple that contains itself cannot be saved`);
    this.building.add(items);
    if (items.length > 3) this.w.mark();
    for (const x of items) this.save(x);
    this.w.tuple(items.length);
    this.building.delete(items);
    this.memo.set(items, this.w.put());
  }

  private orderedDict(o: object, keys: unknown[], get: (k: unknown) => unknown): void {
    const w = this.w;
    w.global('collections', 'OrderedDict');
    w.tuple(0).reduce();
    this.memo.set(o, w.put());
    this.batched(keys.length, (i) => {
      this.save(keys[i]);
      this.save(get(keys[i]));
    }, () => w.setitems(), () => w.setitem());
    // A state_dict's _metadata (kept by torch.load as a non-enumerable property) goes back as
    // the OrderedDict's instance attribute, as Python writes it.
    const md = Object.getOwnPropertyDescriptor(o, '_metadata');
    if (md && !md.enumerable && !(o instanceof Map)) {
      w.emptyDict();
      w.str('_metadata');
      this.save(md.value);
      w.setitem();
      w.build();
    }
  }

  private tensor(t: Tensor): void {
    const w = this.w;
    if (t.is_disposed) throw new TorchError(`${WHAT}: a tensor in the object was disposed`);
    const [sid, nbytes, offset, size, stride, dcode, dev, requires_grad] = native._ser_tensor_info(t._h) as
      [number, number, number, number[], number[], number, string, boolean];
    const dt = dtypeFromCode(dcode);
    const cls = storageClassOf(dt);
    let s = this.storages.get(sid);
    if (s === undefined) {
      if (nbytes % dt.itemsize !== 0) throw new TorchError(`${WHAT}: a ${dt} tensor's storage holds ${nbytes} bytes, not a whole number of elements`);
      s = { key: String(this.storages.size), tensor: t, dtype: dt, nbytes };
      this.storages.set(sid, s);
    } else if (s.dtype !== dt) {
      throw new TorchError(`${WHAT}: Cannot save multiple tensors or storages that view the same data as different types`);
    }
    if (native._is_quantized(t._h)) return this.qtensor(t, s, offset, size, stride);
    // An nn.Parameter is written as Python writes one.
    const isParam = t instanceof Parameter;
    if (isParam) w.global('torch._utils', '_rebuild_parameter');
    w.global('torch._utils', '_rebuild_tensor_v2');
    w.mark();
    w.mark().str('storage').global('torch', cls).str(s.key).str(dev).int(nbytes / dt.itemsize).tuple(5);
    w.binpersid();
    w.int(offset);
    this.ints(size);
    this.ints(stride);
    w.bool(isParam ? false : requires_grad);
    w.global('collections', 'OrderedDict').tuple(0).reduce();
    w.tuple(6).reduce();
    if (isParam) {
      w.bool(requires_grad);
      w.global('collections', 'OrderedDict').tuple(0).reduce();
      w.tuple(3).reduce();
    }
    this.memo.set(t, w.put());
  }

  /**
   * A quantized tensor, as Python writes one: torch._utils._rebuild_qtensor(storage, offset,
   * size, stride, quantizer_params, requires_grad, OrderedDict()), quantizer_params being
   * (torch.per_tensor_affine, scale, zero_point) or (torch.per_channel_affine[_float_qparams],
   * scales, zero_points, axis).
   */
  private qtensor(t: Tensor, s: SavedStorage, offset: number, size: number[], stride: number[]): void {
    const w = this.w;
    const scheme = native._qscheme(t._h) as string;
    if (scheme !== 'per_tensor_affine' && scheme !== 'per_channel_affine' && scheme !== 'per_channel_affine_float_qparams') {
      throw new TorchError(`${WHAT}: Serialization is not supported for tensors of type torch.${scheme}`);
    }
    w.global('torch._utils', '_rebuild_qtensor');
    w.mark();
    w.mark().str('storage').global('torch', storageClassOf(s.dtype)).str(s.key).str('cpu').int(s.nbytes / s.dtype.itemsize).tuple(5);
    w.binpersid();
    w.int(offset);
    this.ints(size);
    this.ints(stride);
    if (scheme !== 'per_tensor_affine') w.mark();
    w.global('torch', scheme);
    if (scheme === 'per_tensor_affine') {
      w.float(native._q_scale(t._h));
      w.int(native._q_zero_point(t._h));
      w.tuple(3);
    } else {
      const sc = new Tensor(native._q_per_channel_scales(t._h));
      this.owned.push(sc);
      const zp = new Tensor(native._q_per_channel_zero_points(t._h));
      this.owned.push(zp);
      this.save(sc);
      this.save(zp);
      w.int(native._q_per_channel_axis(t._h));
      w.tuple(4);
    }
    w.bool(false);
    w.global('collections', 'OrderedDict').tuple(0).reduce();
    w.tuple(7).reduce();
    this.memo.set(t, w.put());
  }

  private ints(xs: number[]): void {
    if (xs.length > 3) this.w.mark();
    for (const x of xs) this.w.int(x);
    this.w.tuple(xs.length);
  }
}

function checkOptions(opts: SaveOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TypeError('torch.save(): options must be an object');
  for (const k of Object.keys(opts)) {
    if (!['pickle_protocol', '_use_new_zipfile_serialization', 'pickle_module'].includes(k)) {
      throw new TypeError(`save() got an unexpected keyword argument '${k}'`);
    }
  }
  if (opts.pickle_protocol !== undefined && opts.pickle_protocol !== 2) throw new TypeError('torch.save(): only pickle_protocol 2 (the default) is supported');
  if (opts._use_new_zipfile_serialization === false) throw new TypeError('torch.save(): the legacy format (_use_new_zipfile_serialization=false) is not supported');
}

/**
 * torch.save(obj, f): saves an object to a file in PyTorch's format (what Python's torch.save
 * writes), so Python's torch.load reads it.
 *
 * Args:
 *   obj: tensors, and numbers, bigints, strings, booleans, null/undefined, arrays, plain
 *     objects, Maps, Sets, Uint8Arrays, dtypes and devices holding them, nested freely.
 *   f: the file path.
 *
 * How JS values are written:
 *   - Tensor → torch.Tensor with its dtype, shape, strides, storage offset and requires_grad;
 *     tensors that share a storage (views) are written as views of one storage; an nn.Parameter
 *     is written as torch.nn.Parameter;
 *   - plain object and Map → collections.OrderedDict (what `model.state_dict()` is in Python;
 *     an OrderedDict is a dict, so Python code expecting a dict accepts it). Map keys may be
 *     strings, numbers, bigints, booleans, null or tuples;
 *   - Array → list; an Array from `torch.serialization.tuple([...])` (or a tuple torch.load read)
 *     → tuple; Set → set; Uint8Array → bytes;
 *   - number → int when it is a safe integer (|x| ≤ 2^53 − 1, so 3 and 3.0 both become int 3),
 *     float otherwise (1.5, NaN, ±Infinity, -0); bigint → int; string → str; boolean → bool;
 *     null and undefined → None.
 *
 * Memory: storages are written one at a time from the tensors' own memory (no copy of CPU
 * tensors), so saving needs little beyond the tensors themselves.
 *
 * Example:
 *   torch.save(model.state_dict(), 'model.pth')
 *   torch.save({epoch: 3, model: model.state_dict(), optimizer: opt.state_dict()}, 'ckpt.pt')
 */
export function save(obj: unknown, f: string | URL, opts: SaveOptions = {}): void {
  const job = prepareSave(obj, f, opts);
  try {
    const fd = openForWriting(job.path, WHAT);
    try {
      // Each storage is written from the memory of a tensor that views it (no JS wrapper, no copy
      // on CPU).
      native._ser_write_archive(fd, archiveRecords(job, job.storages.map((s) => s.tensor._h)));
    } catch (e) {
      throw e instanceof TorchError && !e.message.startsWith(WHAT) ? new TorchError(`${WHAT}: cannot write '${job.path}': ${e.message}`) : e;
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    for (const t of job.owned) t.dispose();
  }
}

/** Opens path for writing, with torch.save's message when it cannot. */
export function openForWriting(path: string, what: string): number {
  try {
    return fs.openSync(path, 'w');
  } catch (e) {
    throw new TorchError(`${what}: cannot open '${path}' for writing: ${(e as Error).message}`);
  }
}

/**
 * The records of the archive, in the order PyTorch writes them (the writer adds `version`):
 * data.pkl, byteorder, then each storage, from the handle of a tensor over it (`handles[i]` for
 * storage i; native writes all bytes of that tensor's storage).
 */
export function archiveRecords(job: SaveJob, handles: number[]): [string, Uint8Array | number][] {
  const recs: [string, Uint8Array | number][] = [['data.pkl', job.pkl], ['byteorder', Buffer.from('little')]];
  job.storages.forEach((s, i) => recs.push([`data/${s.key}`, handles[i]]));
  return recs;
}

/** What torch.save and torch.save_async write: the pickle and the storages it references. */
export interface SaveJob {
  path: string;
  pkl: Uint8Array;
  storages: SavedStorage[];
  /** Tensors made while pickling, to dispose once the storages are written. */
  owned: Tensor[];
}

/** Checks the arguments and pickles obj (on the calling thread; the pickle is small). */
export function prepareSave(obj: unknown, f: string | URL, opts: SaveOptions, what = WHAT): SaveJob {
  checkOptions(opts);
  if (typeof f !== 'string' && !(f instanceof URL)) throw new TypeError(`${what}(): f must be a file path, not ${describe(f)}`);
  const path = f instanceof URL ? fileURLToPath(f) : f;
  const p = new TorchPickler();
  try {
    p.save(obj);
  } catch (e) {
    for (const t of p.owned) t.dispose();
    throw e;
  }
  return { path, pkl: p.w.finish(), storages: [...p.storages.values()], owned: p.owned };
}
