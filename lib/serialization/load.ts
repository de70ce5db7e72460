/**
 * torch.load: reads PyTorch's zip serialization format (torch.save since PyTorch 1.6).
 *
 * Three phases, so that the file I/O can run on the libuv pool (torch.load_async):
 * 1. parse: the container is opened by libtorch's own reader (native _ser_archive:
 *    caffe2::serialize::PyTorchStreamReader, with the size limits of native/serialization/
 *    container.cc), and the pickle (archive/data.pkl) goes through a restricted unpickler that
 *    rebuilds tensors, storages, OrderedDicts, containers and primitives only. Tensors come out as
 *    placeholders naming a storage record;
 * 2. read: each storage record is read once, straight into the memory of a new tensor, after its
 *    size was checked against the file; it then moves to its target device (map_location);
 * 3. finish: placeholders become tensors that view their storage (views of one storage in the
 *    file are views of one storage in memory), and Python dicts become JS objects or Maps.
 */
import { fileURLToPath } from 'url';
import { native } from '../binding';
import { TorchError } from '../errors';
import { Tensor } from '../tensor';
import { dtype as DType, uint8, complex64, complex128, float64, int64, qint8, quint8, qint32 } from '../dtype';
import { device } from '../device';
import { Parameter } from '../nn/parameter';
import * as fs from 'fs';
import { FileSource, BufferSource } from './io';
import { unpickle, PyDict, PySet, PyGlobal, tuple, isTuple, UnpickleHooks } from './pickle';
import { STORAGE_CLASS, DTYPE_GLOBALS } from './dtypes';

const WHAT = 'torch.load';

export type MapLocation = string | device | Record<string, string | device> | null | undefined;

export interface LoadOptions {
  /**
   * Where storages go: a device for all of them ('cpu', 'cuda:0', torch.device), or an object
   * mapping saved locations to devices ({'cuda:0': 'cpu'}). By default each storage returns to
   * the device it was saved from.
   */
  map_location?: MapLocation;
  /**
   * Accepted for PyTorch compatibility. torch-node's loader is always restricted to tensors,
   * containers and primitives (what PyTorch does with weights_only=True).
   */
  weights_only?: boolean;
  /**
   * torch-node's addition: also verify the CRC-32 of every tensor record (default false: like
   * PyTorch, only the pickle's CRC is checked, since checking every byte costs more than reading
   * it; structure, sizes and offsets are always checked).
   */
  check_crc?: boolean;
  /**
   * torch-node's addition: the most bytes one compressed record of the archive may inflate to
   * (default 64 MiB). torch.save never compresses records, but a zip tool may; a record that
   * declares more is refused before it is inflated, so a small hostile file cannot take a large
   * amount of memory. Pass a larger number (or Infinity) to load a trusted file whose compressed
   * pickle is bigger.
   */
  max_decompressed_bytes?: number;
}

/** Default of LoadOptions.max_decompressed_bytes. */
export const MAX_DECOMPRESSED_BYTES = 64 << 20;

/** A record of the archive, as native _ser_archive lists it. */
export interface ArchiveRecord {
  /** Name inside the archive's top folder. */
  name: string;
  /** Where its data start in the file. */
  offset: number;
  size: number;
  crc: number;
  compressed: boolean;
}

/** What native _ser_archive returns: [prefix, version, records, pkl, byteorder, torchscript]. */
export type NativeArchive = [string, number, [string, number, number, number, number, boolean][], Uint8Array, string | null, boolean];

class StorageType {
  constructor(readonly name: string, readonly dtype: DType) {}
}

/** A storage record referenced by the pickle. */
class StorageRef {
  /** A quantized storage as a 1-D uint8 tensor: finish() builds the quantized tensors over it. */
  bytes: Tensor | null = null;
  /** The tensors the pickle builds over this storage. */
  readonly views: PendingTensor[] = [];
  /** A 1-D tensor over the whole storage, when the storage itself is a value in the result. */
  whole: Tensor | null = null;
  constructor(readonly key: string, readonly dtype: DType, readonly location: string, readonly numel: number) {}
}

/** The quantizer of a quantized tensor (torch._utils._rebuild_qtensor's quantizer_params). */
type QParams =
  | { scheme: 'per_tensor_affine'; scale: number; zero_point: number }
  | { scheme: 'per_channel_affine' | 'per_channel_affine_float_qparams'; scales: PendingTensor; zero_points: PendingTensor; axis: number };

/** A tensor to build over a storage once the storage is read. */
class PendingTensor {
  requires_grad: boolean;
  parameter = false;
  tensor: Tensor | null = null;
  /** Set for quantized tensors. */
  q: QParams | null = null;
  constructor(
    readonly storage: StorageRef, readonly offset: number, readonly size: number[], readonly stride: number[], rg: boolean,
  ) {
    this.requires_grad = rg;
    storage.views.push(this);
  }
}

// The globals a torch file may name. Anything else is refused before it is looked at further.
const G = {
  OrderedDict: new PyGlobal('collections', 'OrderedDict'),
  rebuild_v2: new PyGlobal('torch._utils', '_rebuild_tensor_v2'),
  rebuild: new PyGlobal('torch._utils', '_rebuild_tensor'),
  rebuild_param: new PyGlobal('torch._utils', '_rebuild_parameter'),
  rebuild_param_state: new PyGlobal('torch._utils', '_rebuild_parameter_with_state'),
  from_type_v2: new PyGlobal('torch._tensor', '_rebuild_from_type_v2'),
  Tensor: new PyGlobal('torch', 'Tensor'),
  Parameter: new PyGlobal('torch.nn.parameter', 'Parameter'),
  Size: new PyGlobal('torch', 'Size'),
  device: new PyGlobal('torch', 'device'),
  set: new PyGlobal('builtins', 'set'),
  frozenset: new PyGlobal('builtins', 'frozenset'),
  bytes: new PyGlobal('builtins', 'bytes'),
  encode: new PyGlobal('_codecs', 'encode'),
  rebuild_qtensor: new PyGlobal('torch._utils', '_rebuild_qtensor'),
  ScriptObject: new PyGlobal('torch', 'ScriptObject'),
};
/** The quantization schemes a quantized tensor may name (GLOBAL torch <scheme>). */
const QSCHEMES = new Map<string, PyGlobal>(
  ['per_tensor_affine', 'per_channel_affine', 'per_channel_affine_float_qparams', 'per_tensor_symmetric', 'per_channel_symmetric']
    .map((n) => [n, new PyGlobal('torch', n)]),
);
/**
 * The TorchScript classes whose pickled state may be loaded, as data: the packed weights of
 * dynamic quantized Linear and RNN layers (Python pickles a torch.ScriptObject as NEWOBJ, then
 * BUILD with (its __getstate__(), class name)). They load as their state: a LinearPackedParamsBase
 * as the tuple (weight, bias), a CellParamsBase as its state tuple, which torch-node's quantized
 * modules accept in load_state_dict().
 */
const SCRIPT_CLASSES = new Set(['__torch__.torch.classes.quantized.LinearPackedParamsBase', '__torch__.torch.classes.rnn.CellParamsBase']);

/** A torch.ScriptObject being unpickled: its state arrives with BUILD. */
class ScriptObjectState {
  cls: string | null = null;
  state: unknown = null;
}
const ALLOWED = new Map<string, unknown>();
for (const g of Object.values(G)) ALLOWED.set(`${g.module}.${g.name}`, g);
const STORAGE_TYPES = new Map<string, StorageType>();
for (const [name, dt] of STORAGE_CLASS) STORAGE_TYPES.set(name, new StorageType(name, dt));
STORAGE_TYPES.set('UntypedStorage', new StorageType('UntypedStorage', uint8));

function refuse(module: string, name: string): never {
  throw new TorchError(
    `${WHAT}: refusing to load the global '${module}.${name}': only tensors, storages, OrderedDict, ` +
      'containers and primitive values can be loaded (loading never runs code from the file)',
  );
}

const isQuantized = (d: DType): boolean => d === qint8 || d === quint8 || d === qint32;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
function intTuple(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => isInt(x))) throw new TorchError(`${WHAT}: ${what} must be a tuple of integers`);
  return v as number[];
}
function ascii(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
}

/** The unpickler hooks for PyTorch files. */
class TorchHooks implements UnpickleHooks {
  readonly storages = new Map<string, StorageRef>();

  find_class(module: string, name: string): unknown {
    // Python 3 reads protocol-2 names of Python 2 modules; torch.tensor moved to torch._tensor.
    if (module === '__builtin__') module = 'builtins';
    if (module === 'torch.tensor') module = 'torch._tensor';
    if ((module === 'torch' || module === 'torch.cuda') && name.endsWith('Storage')) {
      const st = STORAGE_TYPES.get(name);
      if (st) return st;
      throw new TorchError(`${WHAT}: storages of type torch.${name} are not supported`);
    }
    if (module === 'torch' && DTYPE_GLOBALS.has(name)) return DTYPE_GLOBALS.get(name);
    if (module === 'torch' && QSCHEMES.has(name)) return QSCHEMES.get(name);
    const g = ALLOWED.get(`${module}.${name}`);
    if (g === undefined) refuse(module, name);
    return g;
  }

  persistent_load(pid: unknown): unknown {
    if (!Array.isArray(pid) || pid.length !== 5 || ascii(pid[0]) !== 'storage') {
      throw new TorchError(`${WHAT}: unknown persistent id (expected ('storage', type, key, location, numel))`);
    }
    const [, type, rawKey, rawLoc, numel] = pid;
    const key = ascii(rawKey);
    const location = ascii(rawLoc);
    if (!(type instanceof StorageType)) throw new TorchError(`${WHAT}: persistent id names ${String(type)}, not a storage type`);
    if (typeof key !== 'string' || typeof location !== 'string' || !isInt(numel) || numel < 0) {
      throw new TorchError(`${WHAT}: malformed storage reference`);
    }
    const prev = this.storages.get(key);
    if (prev) {
      if (prev.dtype !== type.dtype || prev.numel !== numel) {
        throw new TorchError(`${WHAT}: storage '${key}' is referenced with different types or sizes`);
      }
      return prev;
    }
    const s = new StorageRef(key, type.dtype, location, numel);
    this.storages.set(key, s);
    return s;
  }

  call(fn: unknown, args: unknown[], op: 'REDUCE' | 'NEWOBJ'): unknown {
    if (!(fn instanceof PyGlobal)) {
      throw new TorchError(`${WHAT}: ${op} of ${fn instanceof StorageType ? 'torch.' + fn.name : 'a non-callable value'} is not allowed`);
    }
    switch (fn) {
      case G.OrderedDict: {
        const d = new PyDict(true);
        if (args.length === 1 && Array.isArray(args[0])) {
          for (const kv of args[0] as unknown[]) {
            if (!Array.isArray(kv) || kv.length !== 2) throw new TorchError(`${WHAT}: OrderedDict() items must be pairs`);
            d.set(kv[0], kv[1]);
          }
        } else if (args.length !== 0) throw new TorchError(`${WHAT}: unexpected OrderedDict() arguments`);
        return d;
      }
      case G.rebuild_v2:
      case G.rebuild: {
        if (args.length < 4) throw new TorchError(`${WHAT}: ${fn} expects at least 4 arguments`);
        const [storage, offset, size, stride, rg] = args;
        if (!(storage instanceof StorageRef)) throw new TorchError(`${WHAT}: ${fn}: the first argument is not a storage`);
        if (!isInt(offset) || offset < 0) throw new TorchError(`${WHAT}: ${fn}: bad storage offset`);
        const sz = intTuple(size, 'a tensor size');
        const st = intTuple(stride, 'a tensor stride');
        if (sz.length !== st.length) throw new TorchError(`${WHAT}: tensor size and stride have different lengths`);
        return new PendingTensor(storage, offset, sz.slice(), st.slice(), rg === true);
      }
      case G.rebuild_qtensor: {
        // (storage, storage_offset, size, stride, quantizer_params, requires_grad, backward_hooks)
        if (args.length < 6) throw new TorchError(`${WHAT}: ${fn} expects at least 6 arguments`);
        const [storage, offset, size, stride, qp] = args;
        if (!(storage instanceof StorageRef) || !isQuantized(storage.dtype)) throw new TorchError(`${WHAT}: ${fn}: the first argument is not a quantized storage`);
        if (!isInt(offset) || offset < 0) throw new TorchError(`${WHAT}: ${fn}: bad storage offset`);
        const sz = intTuple(size, 'a tensor size');
        const st = intTuple(stride, 'a tensor stride');
        if (sz.length !== st.length) throw new TorchError(`${WHAT}: tensor size and stride have different lengths`);
        const t = new PendingTensor(storage, offset, sz.slice(), st.slice(), false);
        const bad = (): never => { throw new TorchError(`${WHAT}: ${fn}: malformed quantizer parameters`); };
        if (!Array.isArray(qp) || !(qp[0] instanceof PyGlobal)) bad();
        const qa = qp as unknown[];
        const scheme = (qa[0] as PyGlobal).name;
        if (scheme === 'per_tensor_affine') {
          if (qa.length !== 3 || typeof qa[1] !== 'number' || !isInt(qa[2])) bad();
          t.q = { scheme, scale: qa[1] as number, zero_point: qa[2] as number };
        } else if (scheme === 'per_channel_affine' || scheme === 'per_channel_affine_float_qparams') {
          if (qa.length !== 4 || !(qa[1] instanceof PendingTensor) || !(qa[2] instanceof PendingTensor) || !isInt(qa[3])) bad();
          t.q = { scheme, scales: qa[1] as PendingTensor, zero_points: qa[2] as PendingTensor, axis: qa[3] as number };
        } else throw new TorchError(`${WHAT}: quantized tensors with qscheme torch.${scheme} are not supported`);
        return t;
      }
      case G.ScriptObject:
        if (op !== 'NEWOBJ' || args.length !== 0) throw new TorchError(`${WHAT}: unexpected torch.ScriptObject() arguments`);
        return new ScriptObjectState();
      case G.rebuild_param:
      case G.rebuild_param_state: {
        const [data, rg] = args;
        if (!(data instanceof PendingTensor)) throw new TorchError(`${WHAT}: ${fn}: the first argument is not a tensor`);
        data.requires_grad = rg === true;
        data.parameter = true;
        return data;
      }
      case G.from_type_v2: {
        const [func, type, fargs] = args;
        if (!(func instanceof PyGlobal) || ![G.rebuild_v2, G.rebuild, G.rebuild_param, G.rebuild_param_state].includes(func)) {
          throw new TorchError(`${WHAT}: ${fn} with ${String(func)} is not allowed`);
        }
        if (type !== G.Tensor && type !== G.Parameter) throw new TorchError(`${WHAT}: tensor subclass ${String(type)} is not supported`);
        if (!Array.isArray(fargs)) throw new TorchError(`${WHAT}: ${fn}: malformed arguments`);
        const t = this.call(func, fargs as unknown[], op) as PendingTensor;
        if (type === G.Parameter) t.parameter = true;
        return t;
      }
      case G.Size:
        return tuple(intTuple(args[0] ?? [], 'torch.Size').slice());
      case G.device: {
        const [t, i] = args;
        if (typeof t !== 'string' || (i !== undefined && i !== null && !isInt(i))) throw new TorchError(`${WHAT}: malformed torch.device`);
        try {
          return i === undefined || i === null ? new device(t) : new device(t, i as number);
        } catch (e) {
          throw new TorchError(`${WHAT}: bad torch.device: ${(e as Error).message}`);
        }
      }
      case G.set:
      case G.frozenset: {
        const s = new PySet(fn === G.frozenset);
        if (args.length > 0) {
          if (!Array.isArray(args[0])) throw new TorchError(`${WHAT}: ${fn}() of a non-list`);
          for (const x of args[0] as unknown[]) s.items.push(x);
        }
        return s;
      }
      case G.bytes:
        if (args.length !== 0) throw new TorchError(`${WHAT}: bytes() with arguments is not supported`);
        return new Uint8Array(0);
      case G.encode: {
        // Protocol 2 writes bytes b as _codecs.encode(b.decode('latin1'), 'latin1').
        const [s, enc] = args;
        if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new TorchError(`${WHAT}: only _codecs.encode(str, 'latin1') is allowed`);
        return new Uint8Array(Buffer.from(s, 'latin1'));
      }
      default:
        throw new TorchError(`${WHAT}: calling ${fn} is not allowed`);
    }
  }

  build(obj: unknown, state: unknown): void {
    if (obj instanceof ScriptObjectState) {
      if (!Array.isArray(state) || state.length !== 2 || typeof state[1] !== 'string') throw new TorchError(`${WHAT}: malformed torch.ScriptObject state`);
      if (!SCRIPT_CLASSES.has(state[1])) {
        throw new TorchError(`${WHAT}: refusing to load a torch.ScriptObject of class '${state[1]}': only the packed weights of dynamic quantized Linear and RNN layers can be loaded`);
      }
      if (obj.cls !== null) throw new TorchError(`${WHAT}: torch.ScriptObject state set twice`);
      obj.cls = state[1];
      obj.state = state[0];
      return;
    }
    // OrderedDict keeps instance attributes (a state_dict's `_metadata`); tensors may carry
    // Python attributes, which are dropped.
    if (Array.isArray(state) && state.length === 2) state = state[0] ?? state[1];
    if (obj instanceof PyDict && state instanceof PyDict) {
      const attrs: Record<string, unknown> = {};
      for (let i = 0; i < state.keys.length; i++) if (typeof state.keys[i] === 'string') attrs[state.keys[i] as string] = state.values[i];
      obj.attrs = attrs;
      return;
    }
    if (obj instanceof PendingTensor && (state === null || state instanceof PyDict)) return;
    throw new TorchError(`${WHAT}: BUILD (setting object state) is only allowed on OrderedDict`);
  }
}

/** Parsed archive: the pickle's result with placeholders, and the storages it references. */
export interface ParsedArchive {
  root: unknown;
  storages: StorageRef[];
  entries: Map<StorageRef, ArchiveRecord>;
  prefix: string;
  bigEndian: boolean;
}

/** Checks the first bytes of a file (before the container is opened), for PyTorch's messages. */
export function checkHead(head: Uint8Array, size: number): void {
  if (size === 0) throw new TorchError(`${WHAT}: the file is empty`);
  if (!(head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) {
    if (head[0] === 0x80) {
      throw new TorchError(
        `${WHAT}: this file uses PyTorch's legacy (pre-1.6) format, which torch-node does not read; ` +
          're-save it in Python with torch.save(obj, path) (the default zip format)',
      );
    }
    const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new TorchError(`${WHAT}: invalid magic number: not a file written by torch.save (expected a zip archive, found bytes ${hex})`);
  }
}

/** The container's limit for this load (LoadOptions.max_decompressed_bytes). */
export function decompressLimit(opts: LoadOptions): number {
  return opts.max_decompressed_bytes ?? MAX_DECOMPRESSED_BYTES;
}

/** Prefixes a native TorchError with torch.load's name. */
export function asLoadError(err: unknown): unknown {
  return err instanceof TorchError && !err.message.startsWith(WHAT) ? new TorchError(`${WHAT}: ${err.message}`) : err;
}

/** Opens the container of src with libtorch's reader (native _ser_archive). */
export function openArchive(src: FileSource | BufferSource, opts: LoadOptions): NativeArchive {
  const head = new Uint8Array(Math.min(4, src.size));
  src.read(head, 0);
  checkHead(head, src.size);
  try {
    return native._ser_archive(src instanceof FileSource ? src.fd : src.bytes(0, src.size), decompressLimit(opts)) as NativeArchive;
  } catch (e) {
    throw asLoadError(e);
  }
}

/** Phase 1: unpickles data.pkl of an opened container and matches its storages with records. */
export function parseArchive(na: NativeArchive): ParsedArchive {
  const [prefix, , recs, pkl, byteorder, torchscript] = na;
  if (torchscript) throw new TorchError(`${WHAT}: this is a TorchScript archive (torch.jit.save), not a torch.save file; load it with torch.jit.load(f), which returns a ScriptModule`);
  const records = new Map<string, ArchiveRecord>();
  for (const [name, offset, size, , crc, compressed] of recs) records.set(name, { name, offset, size, crc, compressed });
  if (!records.has('data.pkl')) throw new TorchError(`${WHAT}: corrupt archive: no ${prefix}/data.pkl record`);
  let bigEndian = false;
  if (byteorder !== null) {
    const s = byteorder.trim();
    if (s === 'big') bigEndian = true;
    else if (s !== 'little') throw new TorchError(`${WHAT}: unknown byte order '${s}'`);
  }
  const hooks = new TorchHooks();
  const root = unpickle(pkl, hooks, WHAT);
  const entries = new Map<StorageRef, ArchiveRecord>();
  for (const s of hooks.storages.values()) {
    const e = records.get(`data/${s.key}`);
    if (!e) throw new TorchError(`${WHAT}: corrupt archive: no record for storage '${s.key}'`);
    const nbytes = s.numel * s.dtype.itemsize;
    if (e.size !== nbytes) {
      throw new TorchError(`${WHAT}: sizes do not add up: storage '${s.key}' holds ${s.numel} ${s.dtype} elements (${nbytes} bytes) but its record has ${e.size} bytes`);
    }
    if (e.compressed) throw new TorchError(`${WHAT}: storage record '${prefix}/${e.name}' is compressed; torch.save writes storages uncompressed`);
    entries.set(s, e);
  }
  return { root, storages: [...hooks.storages.values()], entries, prefix, bigEndian };
}

function cudaAvailable(): boolean {
  return native._cuda_info()[0];
}

function targetDevice(location: string, map: MapLocation): string {
  let dev: string = location;
  if (map === null || map === undefined) dev = location;
  else if (typeof map === 'string') dev = map;
  else if (map instanceof device) dev = map.toString();
  else if (typeof map === 'object') {
    const m = (map as Record<string, string | device>)[location];
    if (m !== undefined) dev = m instanceof device ? m.toString() : String(m);
  }
  if (dev.startsWith('cuda') && !cudaAvailable()) {
    throw new TorchError(
      'Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. ' +
        "If you are running on a CPU-only machine, please use torch.load with map_location='cpu' to map your storages to the CPU.",
    );
  }
  return dev;
}

/**
 * The views the native reader makes over storage s: [dtype, storage_offset, size, stride,
 * requires_grad] each. bare: one 1-D view over the whole storage instead (a storage no tensor
 * views, or one with quantized tensors, which finish() builds over those bytes).
 */
export function viewSpecs(s: StorageRef): { specs: unknown[][]; bare: boolean } {
  if (isQuantized(s.dtype) || s.views.length === 0) {
    return { specs: [isQuantized(s.dtype) ? [uint8._code, 0, [s.numel * s.dtype.itemsize], [1], false] : [s.dtype._code, 0, [s.numel], [1], false]], bare: true };
  }
  return { specs: s.views.map((p) => [s.dtype._code, p.offset, p.size, p.stride, p.requires_grad]), bare: false };
}

/** Files the tensors the native reader returned for storage s (in viewSpecs' order). */
export function placeViews(s: StorageRef, bare: boolean, ts: Tensor[], made: Tensor[]): void {
  for (const t of ts) made.push(t);
  if (!bare) s.views.forEach((p, i) => (p.tensor = ts[i]));
  else if (isQuantized(s.dtype)) s.bytes = ts[0];
  else s.whole = ts[0];
}

/** The storage's device for this load (map_location applied). */
export { targetDevice };

/** The byte-swap group for storage s (1: none). */
export function swapSize(a: ParsedArchive, s: StorageRef): number {
  return !a.bigEndian ? 1 : s.dtype === complex64 || s.dtype === complex128 ? s.dtype.itemsize / 2 : s.dtype.itemsize;
}

/**
 * The native read specs of every storage, in file order (native _ser_read_storages /
 * _ser_read_async): [position, nbytes, device|null, swap, views, crc|null, name].
 */
export function storageReads(a: ParsedArchive, map: MapLocation, checkCrc: boolean): { reads: unknown[][]; order: { s: StorageRef; bare: boolean }[] } {
  const sorted = [...a.entries.entries()].sort((x, y) => x[1].offset - y[1].offset);
  const order: { s: StorageRef; bare: boolean }[] = [];
  const reads = sorted.map(([s, e]) => {
    const { specs, bare } = viewSpecs(s);
    order.push({ s, bare });
    const dev = targetDevice(s.location, map);
    return [e.offset, e.size, dev === 'cpu' ? null : dev, swapSize(a, s), specs, checkCrc ? e.crc : null, `${a.prefix}/${e.name}`];
  });
  return { reads, order };
}

/** Wraps the handles the native reader returned and files them under their storages. */
export function placeStorages(order: { s: StorageRef; bare: boolean }[], hs: number[][], made: Tensor[]): void {
  // Wrap every handle before anything else can fail.
  const ts = hs.map((row) => row.map((h) => new Tensor(h)));
  order.forEach((o, i) => placeViews(o.s, o.bare, ts[i], made));
}

/**
 * Phase 2: reads every storage once, in file order, straight into the memory of a new tensor
 * (pread from the file at the offset libtorch's reader gives, or a copy from the Buffer; with
 * check_crc its CRC-32 is checked there too), and makes the tensors over it, all in one native call.
 */
export function readStorages(src: FileSource | BufferSource, a: ParsedArchive, map: MapLocation, made: Tensor[], checkCrc: boolean): void {
  const { reads, order } = storageReads(a, map, checkCrc);
  let hs: number[][];
  try {
    hs = native._ser_read_storages(src instanceof FileSource ? src.fd : src.bytes(0, src.size), reads);
  } catch (err) {
    throw asLoadError(err);
  }
  placeStorages(order, hs, made);
}

const OBJECT_PROTO_KEY = '__proto__';
/** The deepest nesting of containers finish() rebuilds (it recurses once per level). */
const MAX_DEPTH = 1000;

/** Phase 3: turns placeholders into tensors and Python containers into JS ones. */
export function finish(a: ParsedArchive, created: Tensor[]): unknown {
  const seen = new Map<object, unknown>();
  const view = (s: StorageRef, offset: number, size: number[], stride: number[], rg: boolean): Tensor => {
    const b = s.bytes ?? s.views.find((p) => p.tensor !== null)?.tensor ?? s.whole;
    if (!b) throw new TorchError(`${WHAT}: storage '${s.key}' was not read`);
    const t = new Tensor(native._ser_view(b._h, s.dtype._code, offset, size, stride, rg));
    created.push(t);
    return t;
  };
  const qview = (p: PendingTensor, q: QParams): Tensor => {
    const s = p.storage;
    const b = s.bytes;
    if (!b) throw new TorchError(`${WHAT}: storage '${s.key}' was not read`);
    let h: number;
    if (q.scheme === 'per_tensor_affine') {
      h = native._ser_qview(b._h, s.dtype._code, p.offset, p.size, p.stride, q.scale, q.zero_point);
    } else {
      const sc = walk(q.scales, 1);
      const zp = walk(q.zero_points, 1);
      if (!(sc instanceof Tensor) || !(zp instanceof Tensor)) throw new TorchError(`${WHAT}: malformed per-channel quantizer`);
      // PyTorch keeps per-channel scales as float64 and zero points as int64 (float for float_qparams).
      const scales = sc.dtype === float64 ? sc : sc.to(float64);
      const zps = q.scheme === 'per_channel_affine' && zp.dtype !== int64 ? zp.to(int64) : zp;
      try {
        h = native._ser_qview(b._h, s.dtype._code, p.offset, p.size, p.stride, scales._h, zps._h, q.axis);
      } finally {
        if (scales !== sc) scales.dispose();
        if (zps !== zp) zps.dispose();
      }
    }
    const t = new Tensor(h);
    created.push(t);
    return t;
  };
  const make = (p: PendingTensor): Tensor => {
    if (p.q) return qview(p, p.q);
    const t = p.tensor ?? view(p.storage, p.offset, p.size, p.stride, p.requires_grad);
    if (!p.parameter) return t;
    // nn.Parameter aliases t's storage; t itself is no longer needed.
    const param = new Parameter(t, p.requires_grad);
    created.push(param);
    t.dispose();
    return param;
  };
  function walk(v: unknown, depth: number): unknown {
    if (v === null || typeof v !== 'object') return v;
    const hit = seen.get(v);
    if (hit !== undefined) return hit;
    if (depth > MAX_DEPTH) {
      throw new TorchError(
        `${WHAT}: the pickle is nested more than ${MAX_DEPTH} levels deep, the limit torch-node reads ` +
          "(Python's pickler cannot write deeper data with its default recursion limit of 1000)",
      );
    }
    if (v instanceof PendingTensor) {
      const t = make(v);
      seen.set(v, t);
      return t;
    }
    if (v instanceof StorageRef) {
      // A bare storage (torch.save(t.storage())): a 1-D tensor over all of it.
      const t = v.whole ?? view(v, 0, [v.numel], [1], false);
      seen.set(v, t);
      return t;
    }
    if (Array.isArray(v)) {
      seen.set(v, v);
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i], depth + 1);
      return v;
    }
    if (v instanceof PyDict) {
      const allStrings = v.keys.every((k) => typeof k === 'string');
      if (allStrings) {
        const o: Record<string, unknown> = {};
        seen.set(v, o);
        for (let i = 0; i < v.keys.length; i++) {
          const k = v.keys[i] as string;
          const val = walk(v.values[i], depth + 1);
          if (k === OBJECT_PROTO_KEY) Object.defineProperty(o, k, { value: val, enumerable: true, writable: true, configurable: true });
          else o[k] = val;
        }
        if (v.attrs && '_metadata' in v.attrs) {
          Object.defineProperty(o, '_metadata', { value: walk(v.attrs._metadata, depth + 1), enumerable: false, writable: true, configurable: true });
        }
        return o;
      }
      const m = new Map<unknown, unknown>();
      seen.set(v, m);
      for (let i = 0; i < v.keys.length; i++) m.set(walk(v.keys[i], depth + 1), walk(v.values[i], depth + 1));
      return m;
    }
    if (v instanceof PySet) {
      const s = new Set<unknown>();
      seen.set(v, s);
      for (const x of v.items) s.add(walk(x, depth + 1));
      return s;
    }
    if (v instanceof ScriptObjectState) {
      if (v.cls === null) throw new TorchError(`${WHAT}: a torch.ScriptObject without state`);
      const r = walk(v.state, depth + 1);
      seen.set(v, r);
      return r;
    }
    if (v instanceof PyGlobal) return `${v.module}.${v.name}`;
    if (v instanceof StorageType) return `torch.${v.name}`;
    return v; // Uint8Array, dtype, device
  }
  return walk(a.root, 0);
}

function checkOptions(opts: LoadOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TypeError('torch.load(): options must be an object {map_location, weights_only}');
  for (const k of Object.keys(opts)) {
    if (!['map_location', 'weights_only', 'check_crc', 'max_decompressed_bytes', 'pickle_module', 'mmap'].includes(k)) throw new TypeError(`load() got an unexpected keyword argument '${k}'`);
  }
  const lim = opts.max_decompressed_bytes;
  if (lim !== undefined && (typeof lim !== 'number' || !(lim >= 0))) {
    throw new TypeError(`torch.load(): max_decompressed_bytes must be a non-negative number, not ${String(lim)}`);
  }
  const m = opts.map_location;
  if (typeof m === 'function') throw new TypeError('torch.load(): a function as map_location is not supported; pass a device or an object mapping locations to devices');
  if (m !== undefined && m !== null && typeof m !== 'string' && !(m instanceof device) && typeof m !== 'object') {
    throw new TypeError(`torch.load(): map_location must be a device, a string or an object, not ${typeof m}`);
  }
}

/**
 * torch.load(f, {map_location}): loads an object saved with torch.save (PyTorch's or
 * torch-node's).
 *
 * Args:
 *   f: a file path, or the file's bytes (Uint8Array / Buffer).
 *   map_location: where tensors go: a device ('cpu', 'cuda:0', torch.device) for all of them, or
 *     an object mapping saved locations to devices ({'cuda:0': 'cpu'}). By default, the device
 *     each tensor was saved from.
 *   weights_only: accepted for compatibility; loading is always restricted (see below).
 *   check_crc: torch-node's addition: verify the CRC-32 of every tensor record too (slower; by
 *     default tensor records are not checked, as in PyTorch).
 *   max_decompressed_bytes: torch-node's addition: the most bytes one compressed record may
 *     inflate to (default 64 MiB; torch.save never compresses, but a zip tool may). A record
 *     declaring more is refused before it is inflated.
 *
 * What comes back:
 *   - tensors with their dtype, shape, strides and storage offset; tensors that shared a storage
 *     in the file share one storage; nn.Parameters come back as nn.Parameter;
 *   - dict and collections.OrderedDict (a `model.state_dict()`): a plain object when every key is
 *     a string (so `model.load_state_dict(torch.load('model.pth'))` and `sd['fc.weight']` work;
 *     note that JS lists integer-like keys such as '10' before other keys), otherwise a Map (an
 *     optimizer's state with integer keys). A state_dict's `_metadata` becomes a non-enumerable
 *     `_metadata` property;
 *   - list → Array; tuple → Array (marked, so torch.save writes it back as a tuple); set and
 *     frozenset → Set; int → number, or bigint beyond ±(2^53 − 1); float → number; str → string;
 *     bytes → Uint8Array; None → null; torch.dtype → torch.dtype; torch.device → torch.device;
 *     torch.Size → Array.
 *
 * Loading is restricted: only tensors, storages, OrderedDict, containers and primitive values are
 * rebuilt; any other global a file names (a class, or a function such as os.system) is refused
 * with a TorchError naming it, and no code from the file ever runs. Truncated or corrupt files,
 * wrong magic numbers, unknown format versions, duplicate records, record names that leave the
 * archive folder, pickles nested too deeply and sizes that do not add up are TorchErrors; no
 * allocation is made before its size is checked against the file. The legacy (pre-1.6, non-zip) format is not read.
 *
 * Example:
 *   model.load_state_dict(torch.load('model.pth'))
 *   const ckpt = torch.load('ckpt.pt', {map_location: 'cpu'})
 */
export function load(f: string | URL | Uint8Array, opts: LoadOptions = {}): any {
  checkOptions(opts);
  let src: FileSource | BufferSource;
  if (f instanceof Uint8Array) src = new BufferSource(f, WHAT);
  else if (typeof f === 'string' || f instanceof URL) src = openFile(f instanceof URL ? fileURLToPath(f) : f);
  else throw new TypeError(`torch.load(): f must be a path or a Uint8Array, not ${f === null ? 'null' : typeof f}`);
  const made: Tensor[] = [];
  let ok = false;
  let a: ParsedArchive | null = null;
  try {
    a = parseArchive(openArchive(src, opts));
    readStorages(src, a, opts.map_location, made, opts.check_crc === true);
    const out = finish(a, made);
    ok = true;
    return out;
  } finally {
    src.close();
    // The byte tensors of quantized storages go now (their tensors keep the storages); on error,
    // everything made so far.
    if (a) for (const s of a.storages) s.bytes?.dispose();
    if (!ok) for (const t of made) t.dispose();
  }
}

/**
 * The file to load: an open descriptor (read by pread), or on Windows, where the native reader
 * has no pread, the file's bytes.
 */
function openFile(path: string): FileSource | BufferSource {
  const fsrc = new FileSource(path, WHAT);
  if (process.platform !== 'win32') return fsrc;
  try {
    return new BufferSource(fs.readFileSync(fsrc.fd), WHAT);
  } finally {
    fsrc.close();
  }
}

export { tuple, isTuple };
export { checkOptions as checkLoadOptions };
