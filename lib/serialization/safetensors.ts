/**
 * safetensors: Hugging Face's tensor file format (https://github.com/huggingface/safetensors).
 *
 *   8 bytes        N, the header length, unsigned little-endian
 *   N bytes        a UTF-8 JSON object: {"<name>": {"dtype": "F32", "shape": [2, 3],
 *                  "data_offsets": [begin, end]}, ..., "__metadata__": {"<key>": "<string>"}},
 *                  padded with spaces so the data start on an 8-byte boundary
 *   the rest       the tensors' bytes, row-major, little-endian; offsets are relative to here
 *
 * Writing follows the reference implementation: tensors ordered by dtype (widest first) then by
 * name, so every tensor is aligned to its element size. Reading applies its checks: the header
 * fits in the file and is at most 100 MB, every tensor's byte count matches its dtype and shape,
 * and the tensors tile the data area exactly (no gaps, no overlaps, no trailing bytes).
 * Tensors are written as contiguous copies of their elements, so tensors sharing memory are
 * saved as independent tensors (Python's safetensors refuses shared tensors instead).
 */
import { native } from '../binding';
import { TorchError } from '../errors';
import { Tensor } from '../tensor';
import { describe } from '../_utils';
import { dtype as DType } from '../dtype';
import { device, DeviceLike, deviceString } from '../device';
import { ByteSource, FileSource, BufferSource, FileSink, MemorySink, ByteSink, readIntoTensor, writeFromTensor } from './io';
import { SAFETENSORS_DTYPE } from './dtypes';

const WHAT = 'safetensors';
const MAX_HEADER = 100_000_000;
/** Order of the reference implementation's Dtype enum (written widest-first). */
const RANK: Record<string, number> = { BOOL: 0, U8: 1, I8: 2, I16: 5, F16: 7, BF16: 8, I32: 9, F32: 11, F64: 12, I64: 13, C64: 14 };
const CODE_OF = new Map<DType, string>(SAFETENSORS_DTYPE.map(([c, d]) => [d, c]));
const DTYPE_OF = new Map<string, DType>(SAFETENSORS_DTYPE);

export type TensorDict = Record<string, Tensor> | Map<string, Tensor>;

interface Planned {
  name: string;
  tensor: Tensor;
  code: string;
  shape: number[];
  nbytes: number;
  begin: number;
}

function entriesOf(tensors: TensorDict): [string, Tensor][] {
  if (tensors instanceof Map) return [...tensors.entries()];
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    throw new TypeError(`${WHAT}: tensors must be an object or Map of name → Tensor, not ${describe(tensors)}`);
  }
  return Object.entries(tensors);
}

function plan(tensors: TensorDict, metadata: Record<string, string> | null | undefined): { header: Uint8Array; items: Planned[]; dataSize: number } {
  const items: Planned[] = [];
  for (const [name, t] of entriesOf(tensors)) {
    if (typeof name !== 'string') throw new TypeError(`${WHAT}: tensor names must be strings`);
    if (name === '__metadata__') throw new TypeError(`${WHAT}: '__metadata__' is reserved and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new TypeError(`${WHAT}: '${name}' is a ${describe(t)}, not a Tensor`);
    const d = t.dtype;
    const code = CODE_OF.get(d);
    if (code === undefined) throw new TypeError(`${WHAT}: '${name}' has dtype ${d}, which safetensors cannot store`);
    const shape = t.shape;
    items.push({ name, tensor: t, code, shape, nbytes: t.numel() * d.itemsize, begin: 0 });
  }
  items.sort((a, b) => RANK[b.code] - RANK[a.code] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const head: Record<string, unknown> = {};
  if (metadata !== null && metadata !== undefined) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new TypeError(`${WHAT}: metadata must be an object of strings`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new TypeError(`${WHAT}: metadata values must be strings ('${k}' is ${describe(v)})`);
    }
    head.__metadata__ = metadata;
  }
  let off = 0;
  for (const it of items) {
    it.begin = off;
    head[it.name] = { dtype: it.code, shape: it.shape, data_offsets: [off, off + it.nbytes] };
    off += it.nbytes;
  }
  let json = Buffer.from(JSON.stringify(head), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const header = new Uint8Array(8 + json.length);
  new DataView(header.buffer).setBigUint64(0, BigInt(json.length), true);
  header.set(json, 8);
  return { header, items, dataSize: off };
}

function writeAll(sink: ByteSink, header: Uint8Array, items: Planned[]): void {
  sink.write(header, 0);
  for (const it of items) {
    const b = new Tensor(native._ser_data_bytes(it.tensor._h));
    try {
      writeFromTensor(sink, header.length + it.begin, b._h, 0, it.nbytes);
    } finally {
      b.dispose();
    }
  }
}

/**
 * safetensors.save_file(tensors, filename, metadata?): writes tensors to a .safetensors file.
 *
 * Args:
 *   tensors: an object or Map of name → Tensor (any device; the bytes are written from the CPU).
 *   filename: the file path.
 *   metadata: optional string → string pairs, stored as the header's `__metadata__`.
 * Example:
 *   torch.safetensors.save_file(model.state_dict(), 'model.safetensors', {format: 'pt'})
 */
export function save_file(tensors: TensorDict, filename: string, metadata?: Record<string, string> | null): void {
  if (typeof filename !== 'string') throw new TypeError(`${WHAT}.save_file(): filename must be a string`);
  const { header, items } = plan(tensors, metadata);
  const sink = new FileSink(filename, `${WHAT}.save_file`);
  try {
    writeAll(sink, header, items);
  } finally {
    sink.close();
  }
}

/** safetensors.save(tensors, metadata?): the bytes of a .safetensors file, as a Buffer. */
export function save(tensors: TensorDict, metadata?: Record<string, string> | null): Buffer {
  const { header, items, dataSize } = plan(tensors, metadata);
  const sink = new MemorySink(header.length + dataSize);
  writeAll(sink, header, items);
  return Buffer.from(sink.buf.buffer, sink.buf.byteOffset, sink.buf.byteLength);
}

interface HeaderEntry {
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

interface Parsed {
  entries: Map<string, HeaderEntry>;
  metadata: Record<string, string> | null;
  dataStart: number;
}

function parseHeader(src: ByteSource, what: string): Parsed {
  const bad = (m: string): never => {
    throw new TorchError(`${what}: invalid safetensors file: ${m}`);
  };
  if (src.size < 8) bad(`only ${src.size} bytes (truncated?)`);
  const lenBuf = new Uint8Array(8);
  src.read(lenBuf, 0);
  const n = new DataView(lenBuf.buffer).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) bad(`header length ${n} exceeds the 100 MB limit`);
  if (Number(n) + 8 > src.size) bad(`header length ${n} runs past the end of the file (${src.size} bytes)`);
  const hb = new Uint8Array(Number(n));
  src.read(hb, 8);
  if (hb[0] !== 0x7b) bad("the header does not start with '{'");
  let head: unknown;
  try {
    head = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(hb));
  } catch (e) {
    bad(`the header is not valid JSON: ${(e as Error).message}`);
  }
  if (head === null || typeof head !== 'object' || Array.isArray(head)) bad('the header is not a JSON object');
  const dataStart = 8 + Number(n);
  const dataSize = src.size - dataStart;
  let metadata: Record<string, string> | null = null;
  const entries = new Map<string, HeaderEntry>();
  for (const [name, info] of Object.entries(head as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info)) bad('__metadata__ is not an object');
      for (const [k, v] of Object.entries(info as object)) if (typeof v !== 'string') bad(`metadata value '${k}' is not a string`);
      metadata = info as Record<string, string>;
      continue;
    }
    if (info === null || typeof info !== 'object') bad(`entry '${name}' is not an object`);
    const { dtype, shape, data_offsets: offs } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const d = typeof dtype === 'string' ? DTYPE_OF.get(dtype) : undefined;
    if (d === undefined) bad(`tensor '${name}' has unsupported dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((x) => Number.isSafeInteger(x) && x >= 0)) bad(`tensor '${name}' has a malformed shape`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((x) => Number.isSafeInteger(x) && x >= 0) || offs[1] < offs[0]) {
      bad(`tensor '${name}' has malformed data_offsets`);
    }
    let numel = 1;
    for (const s of shape as number[]) {
      numel *= s;
      if (numel > Number.MAX_SAFE_INTEGER) bad(`tensor '${name}' is too large`);
    }
    const [begin, end] = offs as number[];
    if (numel * d!.itemsize !== end - begin) {
      bad(`tensor '${name}': ${d} of shape [${(shape as number[]).join(', ')}] needs ${numel * d!.itemsize} bytes, its offsets span ${end - begin}`);
    }
    entries.set(name, { dtype: d!, shape: (shape as number[]).slice(), begin, end });
  }
  // The tensors must tile the data area exactly.
  const sorted = [...entries.entries()].sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  let at = 0;
  for (const [name, e] of sorted) {
    if (e.begin !== at) bad(`tensor '${name}' starts at ${e.begin}, expected ${at} (gap or overlap)`);
    at = e.end;
  }
  if (at !== dataSize) bad(`the tensors cover ${at} bytes but the data area has ${dataSize} (truncated or trailing bytes)`);
  return { entries, metadata, dataStart };
}

function contiguousStrides(shape: number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= Math.max(shape[i], 1);
  }
  return st;
}

function readTensor(src: ByteSource, p: Parsed, e: HeaderEntry, dev: string | null): Tensor {
  const n = e.end - e.begin;
  const b = new Tensor(native._ser_empty_bytes(n));
  let t: Tensor;
  try {
    readIntoTensor(src, p.dataStart + e.begin, b._h, 0, n);
    t = new Tensor(native._ser_view(b._h, e.dtype._code, 0, e.shape, contiguousStrides(e.shape), false));
  } finally {
    b.dispose();
  }
  if (dev !== null && dev !== 'cpu') {
    const moved = t.to(dev);
    t.dispose();
    t = moved;
  }
  return t;
}

function loadAll(src: ByteSource, dev: string | null, what: string): Record<string, Tensor> {
  const made: Tensor[] = [];
  try {
    const p = parseHeader(src, what);
    const out: Record<string, Tensor> = {};
    for (const [name, e] of p.entries) {
      const t = readTensor(src, p, e, dev);
      made.push(t);
      if (name === '__proto__') Object.defineProperty(out, name, { value: t, enumerable: true, writable: true, configurable: true });
      else out[name] = t;
    }
    return out;
  } catch (err) {
    for (const t of made) t.dispose();
    throw err;
  } finally {
    src.close();
  }
}

function devOpt(device: DeviceLike | null | undefined): string | null {
  return device === undefined || device === null ? null : deviceString(device);
}

/**
 * safetensors.load_file(filename, {device}): the tensors of a .safetensors file, as an object
 * name → Tensor (in the header's order).
 *
 * Args:
 *   filename: the file path.
 *   device: where to put the tensors (default 'cpu').
 * Example:
 *   model.load_state_dict(torch.safetensors.load_file('model.safetensors'))
 */
export function load_file(filename: string, opts: { device?: DeviceLike | null } | DeviceLike = {}): Record<string, Tensor> {
  if (typeof filename !== 'string') throw new TypeError(`${WHAT}.load_file(): filename must be a string`);
  const dev = typeof opts === 'string' || opts instanceof device ? devOpt(opts) : devOpt(opts?.device);
  return loadAll(new FileSource(filename, `${WHAT}.load_file`), dev, `${WHAT}.load_file`);
}

/** safetensors.load(data): the tensors held in the bytes of a .safetensors file. */
export function load(data: Uint8Array): Record<string, Tensor> {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${WHAT}.load(): data must be a Uint8Array or Buffer`);
  return loadAll(new BufferSource(data, `${WHAT}.load`), null, `${WHAT}.load`);
}

/**
 * safetensors.safe_open(filename, {framework, device}): opens a file for reading tensors one at a
 * time: keys(), metadata(), get_tensor(name); close() (or `using`) releases the file.
 */
export class safe_open {
  private src: FileSource | null;
  private readonly parsed: Parsed;
  private readonly dev: string | null;
  constructor(filename: string, opts: { framework?: string; device?: DeviceLike | null } = {}) {
    if (opts.framework !== undefined && opts.framework !== 'pt') throw new TypeError(`${WHAT}.safe_open(): only framework 'pt' is supported`);
    this.dev = devOpt(opts.device);
    this.src = new FileSource(filename, `${WHAT}.safe_open`);
    try {
      this.parsed = parseHeader(this.src, `${WHAT}.safe_open`);
    } catch (e) {
      this.src.close();
      throw e;
    }
  }
  keys(): string[] {
    return [...this.parsed.entries.keys()];
  }
  metadata(): Record<string, string> | null {
    return this.parsed.metadata;
  }
  get_tensor(name: string): Tensor {
    if (this.src === null) throw new TorchError(`${WHAT}: the file is closed`);
    const e = this.parsed.entries.get(name);
    if (e === undefined) throw new TorchError(`${WHAT}: no tensor named '${name}'`);
    return readTensor(this.src, this.parsed, e, this.dev);
  }
  close(): void {
    this.src?.close();
    this.src = null;
  }
  [Symbol.dispose](): void {
    this.close();
  }
}
