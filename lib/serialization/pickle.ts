/**
 * Python's pickle format: a restricted reader for protocols 0-5 and a protocol-2 writer.
 *
 * The reader builds Python values out of JS stand-ins (below) and never runs code: every global a
 * pickle names goes through the caller's `find_class` (an allow-list), and every call (REDUCE,
 * NEWOBJ) and state update (BUILD) through the caller's hooks, which accept only the few
 * callables they know. It is a loop over the bytes with explicit stacks (no recursion), and every
 * length read from the data is checked against the bytes left before anything is allocated.
 */
import { TorchError } from '../errors';

/** Marks an Array that stands for a Python tuple (so saving it again writes a tuple). */
export const TUPLE = Symbol.for('torch-node.tuple');

/** A Python dict or collections.OrderedDict while unpickling (keys may be any hashable value). */
export class PyDict {
  readonly keys: unknown[] = [];
  readonly values: unknown[] = [];
  private readonly index = new Map<unknown, number>();
  /** Instance attributes set by BUILD (OrderedDict's `_metadata` for state_dicts). */
  attrs: Record<string, unknown> | null = null;
  constructor(readonly ordered: boolean) {}
  set(k: unknown, v: unknown): void {
    const prim = k === null || (typeof k !== 'object' && typeof k !== 'function');
    const i = prim ? this.index.get(k) : undefined;
    if (i !== undefined) {
      this.values[i] = v;
      return;
    }
    if (prim) this.index.set(k, this.keys.length);
    this.keys.push(k);
    this.values.push(v);
  }
}

/** A Python set or frozenset while unpickling. */
export class PySet {
  readonly items: unknown[] = [];
  constructor(readonly frozen: boolean) {}
}

/** A global (module.name) that the allow-list accepted; what it stands for is the hooks' business. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  toString(): string {
    return `${this.module}.${this.name}`;
  }
}

export interface UnpickleHooks {
  /** Returns the value of an allowed global; throws (TorchError naming it) for any other. */
  find_class(module: string, name: string): unknown;
  /** Resolves a persistent id (PyTorch's storage references). */
  persistent_load(pid: unknown): unknown;
  /** REDUCE / NEWOBJ: calls an allowed callable; throws for any other. */
  call(fn: unknown, args: unknown[], op: 'REDUCE' | 'NEWOBJ'): unknown;
  /** BUILD: sets state on an object that accepts it; throws otherwise. */
  build(obj: unknown, state: unknown): void;
}

/**
 * A TorchScript object to pickle as Python pickles a torch.ScriptObject: NEWOBJ of
 * torch.ScriptObject, then BUILD with (state, class name). torch-node writes the packed weights
 * of dynamic quantized RNN layers this way so that Python's torch.load reads them back.
 */
export class ScriptObject {
  constructor(readonly cls: string, readonly state: unknown) {}
}

export function tuple(items: unknown[]): unknown[] {
  Object.defineProperty(items, TUPLE, { value: true, enumerable: false });
  return items;
}

export function isTuple(v: unknown): v is unknown[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** Limit on the byte length of a Python int (LONG1/LONG4); torch files never come close. */
const MAX_LONG_BYTES = 4096;

const OPNAMES: Record<number, string> = {
  0x50: 'PERSID', 0x56: 'UNICODE', 0x53: 'STRING', 0x69: 'INST', 0x6f: 'OBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Reads one pickle from `data` with the given hooks. */
export function unpickle(data: Uint8Array, hooks: UnpickleHooks, what: string): unknown {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  let p = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const fail = (m: string): never => {
    throw new TorchError(`${what}: corrupt pickle data at byte ${p}: ${m}`);
  };
  const need = (k: number): void => {
    if (k < 0 || p + k > n) fail(`needs ${k} more bytes, ${n - p} left (truncated?)`);
  };
  const u8 = (): number => {
    need(1);
    return data[p++];
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(p, true);
    p += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(p, true);
    p += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(n)) fail(`length ${v} exceeds the data`);
    return Number(v);
  };
  const bytes = (k: number): Uint8Array => {
    need(k);
    const b = data.subarray(p, p + k);
    p += k;
    return b;
  };
  const line = (): string => {
    const e = data.indexOf(0x0a, p);
    if (e < 0) fail('unterminated text argument');
    const s = latin1.decode(data.subarray(p, e));
    p = e + 1;
    return s;
  };
  const str = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      return fail('invalid UTF-8 in a string');
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) fail('MARK missing');
    stack = prev!;
    return items;
  };
  const long = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    if (b.length > MAX_LONG_BYTES) fail(`an integer of ${b.length} bytes is too large`);
    let x = 0n;
    for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) x -= 1n << BigInt(8 * b.length);
    return toNum(x);
  };
  const memoGet = (k: number): unknown => {
    if (!memo.has(k)) fail(`memo key ${k} is not defined`);
    return memo.get(k);
  };
  const setItems = (d: unknown, items: unknown[]): void => {
    if (items.length % 2 !== 0) fail('odd number of items for SETITEMS');
    if (!(d instanceof PyDict)) fail('SETITEM(S) on a value that is not a dict');
    for (let i = 0; i < items.length; i += 2) (d as PyDict).set(items[i], items[i + 1]);
  };
  const appendTo = (l: unknown, items: unknown[]): void => {
    if (!Array.isArray(l) || isTuple(l)) fail('APPEND(S) on a value that is not a list');
    for (const x of items) (l as unknown[]).push(x);
  };
  const addTo = (s: unknown, items: unknown[]): void => {
    if (!(s instanceof PySet) || s.frozen) fail('ADDITEMS on a value that is not a set');
    for (const x of items) (s as PySet).items.push(x);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unsupported pickle protocol');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || metastack.length !== 0) fail('unbalanced stack at STOP');
        return stack[0];
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: need(4); stack.push(view.getInt32(p, true)); p += 4; break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(long(bytes(u8()))); break; // LONG1
      case 0x8b: { // LONG4
        need(4);
        const k = view.getInt32(p, true);
        p += 4;
        if (k < 0) fail('negative LONG4 length');
        stack.push(long(bytes(k)));
        break;
      }
      case 0x49: { // INT (text)
        const s = line();
        if (s === '01') stack.push(true);
        else if (s === '00') stack.push(false);
        else stack.push(parseIntText(s, fail));
        break;
      }
      case 0x4c: { // LONG (text)
        const s = line();
        stack.push(parseIntText(s.endsWith('L') ? s.slice(0, -1) : s, fail));
        break;
      }
      case 0x46: { // FLOAT (text)
        const s = line().trim();
        const v = Number(s === 'inf' ? 'Infinity' : s === '-inf' ? '-Infinity' : s);
        if (Number.isNaN(v) && s !== 'nan') fail(`bad float '${s}'`);
        stack.push(v);
        break;
      }
      case 0x47: need(8); stack.push(view.getFloat64(p, false)); p += 8; break; // BINFLOAT
      case 0x58: stack.push(str(bytes(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(str(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(str(bytes(u64()))); break; // BINUNICODE8
      case 0x54: { // BINSTRING (Python 2 str): decoded as latin-1, as torch.load's default encoding does
        need(4);
        const k = view.getInt32(p, true);
        p += 4;
        if (k < 0) fail('negative BINSTRING length');
        stack.push(latin1.decode(bytes(k)));
        break;
      }
      case 0x55: stack.push(latin1.decode(bytes(u8()))); break; // SHORT_BINSTRING
      case 0x42: stack.push(bytes(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(bytes(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(bytes(u64()).slice()); break; // BINBYTES8
      case 0x96: stack.push(bytes(u64()).slice()); break; // BYTEARRAY8
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
      case 0x61: { const x = pop(); appendTo(top(), [x]); break; } // APPEND
      case 0x65: { const items = popMark(); appendTo(top(), items); break; } // APPENDS
      case 0x29: stack.push(tuple([])); break; // EMPTY_TUPLE
      case 0x74: { const items = popMark(); stack.push(tuple(items)); break; } // TUPLE
      case 0x85: { const a = pop(); stack.push(tuple([a])); break; } // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(tuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(tuple([a, b, c])); break; } // TUPLE3
      case 0x7d: stack.push(new PyDict(false)); break; // EMPTY_DICT
      case 0x64: { const d = new PyDict(false); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x8f: stack.push(new PySet(false)); break; // EMPTY_SET
      case 0x90: { const items = popMark(); addTo(top(), items); break; } // ADDITEMS
      case 0x91: { const s = new PySet(true); for (const x of popMark()) s.items.push(x); stack.push(s); break; } // FROZENSET
      case 0x63: { // GLOBAL
        const module = line();
        const name = line();
        stack.push(hooks.find_class(module, name));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(hooks.find_class(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
        stack.push(hooks.call(fn, args as unknown[], 'REDUCE'));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        if (!Array.isArray(args)) fail('NEWOBJ arguments are not a tuple');
        stack.push(hooks.call(cls, args as unknown[], 'NEWOBJ'));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!Array.isArray(args)) fail('NEWOBJ_EX arguments are not a tuple');
        if (!(kwargs instanceof PyDict) || kwargs.keys.length !== 0) fail(`NEWOBJ_EX with keyword arguments for ${String(cls)} is not supported`);
        stack.push(hooks.call(cls, args as unknown[], 'NEWOBJ'));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        hooks.build(top(), state);
        break;
      }
      case 0x51: stack.push(hooks.persistent_load(pop())); break; // BINPERSID
      case 0x68: stack.push(memoGet(u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(u32())); break; // LONG_BINGET
      case 0x67: stack.push(memoGet(parseIndex(line(), fail))); break; // GET
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(parseIndex(line(), fail), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      default:
        fail(`unsupported pickle opcode ${OPNAMES[op] ?? '0x' + op.toString(16).padStart(2, '0')}`);
    }
  }
}

function parseIntText(s: string, fail: (m: string) => never): number | bigint {
  if (!/^[+-]?\d+$/.test(s.trim())) fail(`bad integer '${s}'`);
  if (s.length > MAX_LONG_BYTES) fail('integer too large');
  return toNum(BigInt(s.trim()));
}
function parseIndex(s: string, fail: (m: string) => never): number {
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v < 0) fail(`bad memo index '${s}'`);
  return v;
}
/** A Python int as a JS number when it is exactly representable, else a bigint. */
function toNum(x: bigint): number | bigint {
  return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}

// ------------------------------------------------------------------ writer (protocol 2)

/** Emits protocol-2 pickle opcodes into a growing buffer. Memo ids are handed out by put(). */
export class PickleWriter {
  private buf = new Uint8Array(1 << 12);
  private view = new DataView(this.buf.buffer);
  private n = 0;
  private memoCount = 0;
  private readonly globals = new Map<string, number>();

  constructor() {
    this.op(0x80);
    this.byte(2);
  }
  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + k) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.n));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }
  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.n++] = b;
  }
  op(code: number): this {
    this.byte(code);
    return this;
  }
  private raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  private u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.n, v, true);
    this.n += 4;
  }

  none(): this { return this.op(0x4e); }
  bool(v: boolean): this { return this.op(v ? 0x88 : 0x89); }
  mark(): this { return this.op(0x28); }
  /** A Python int. */
  int(v: number | bigint): this {
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      if (v >= 0 && v < 256) { this.op(0x4b); this.byte(v); return this; }
      if (v >= 0 && v < 65536) { this.op(0x4d); this.ensure(2); this.view.setUint16(this.n, v, true); this.n += 2; return this; }
      if (v >= -0x80000000 && v <= 0x7fffffff) { this.op(0x4a); this.ensure(4); this.view.setInt32(this.n, v, true); this.n += 4; return this; }
    }
    // LONG1: minimal two's complement, little-endian.
    let x = BigInt(v);
    const out: number[] = [];
    if (x !== 0n) {
      for (;;) {
        const b = Number(x & 0xffn);
        out.push(b);
        x >>= 8n;
        if ((x === 0n && (b & 0x80) === 0) || (x === -1n && (b & 0x80) !== 0)) break;
      }
    }
    if (out.length > 255) throw new RangeError('torch.save: integer too large to pickle');
    this.op(0x8a);
    this.byte(out.length);
    for (const b of out) this.byte(b);
    return this;
  }
  /** A Python float. */
  float(v: number): this {
    this.op(0x47);
    this.ensure(8);
    this.view.setFloat64(this.n, v, false);
    this.n += 8;
    return this;
  }
  str(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.op(0x58);
    this.u32(b.length);
    this.raw(b);
    return this;
  }
  /** A module-level global, memoized so each is spelled once. */
  global(module: string, name: string): this {
    const key = `${module}\n${name}\n`;
    const id = this.globals.get(key);
    if (id !== undefined) return this.get(id);
    this.op(0x63);
    this.raw(Buffer.from(key, 'latin1'));
    this.globals.set(key, this.put());
    return this;
  }
  /** A tuple of the `k` values just pushed (after mark() when k > 3). */
  tuple(k: number): this {
    if (k === 0) return this.op(0x29);
    if (k <= 3) return this.op(0x84 + k);
    return this.op(0x74);
  }
  emptyList(): this { return this.op(0x5d); }
  appends(): this { return this.op(0x65); }
  append(): this { return this.op(0x61); }
  emptyDict(): this { return this.op(0x7d); }
  setitems(): this { return this.op(0x75); }
  setitem(): this { return this.op(0x73); }
  reduce(): this { return this.op(0x52); }
  build(): this { return this.op(0x62); }
  newobj(): this { return this.op(0x81); }
  binpersid(): this { return this.op(0x51); }
  /** Memoizes the top of the stack; returns its memo id. */
  put(): number {
    const id = this.memoCount++;
    if (id < 256) {
      this.op(0x71);
      this.byte(id);
    } else {
      this.op(0x72);
      this.u32(id);
    }
    return id;
  }
  get(id: number): this {
    if (id < 256) {
      this.op(0x68);
      this.byte(id);
    } else {
      this.op(0x6a);
      this.u32(id);
    }
    return this;
  }
  /** Ends the pickle and returns its bytes. */
  finish(): Uint8Array {
    this.op(0x2e);
    return this.buf.subarray(0, this.n);
  }
}
