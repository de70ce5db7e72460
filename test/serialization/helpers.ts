/**
 * Shared by the serialization tests: compares a JS value with the JSON description Python's
 * test/serialization/describe.py gives of the corresponding Python value, and runs that script.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../../lib';
import { native } from '../../lib/binding';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'serialization');
export const EXPECTED: Record<string, { value?: any; refused?: string; error?: string }> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'serialization.json'), 'utf8'),
);
export const fixture = (name: string): string => path.join(FIXTURES, name);

const PY = '/usr/bin/python3';
/** Why Python checks cannot run here, or null when /usr/bin/python3 has torch. */
export const pythonMissing: string | null = (() => {
  if (!fs.existsSync(PY)) return `${PY} does not exist`;
  const r = spawnSync(PY, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PY} cannot import torch (${(r.stderr || '').trim().split('\n').pop()})`;
})();

/** Python's description of what torch.load gives for each file (in one Python run). */
export function pythonDescribe(files: string[]): { ok?: any; error?: string }[] {
  const r = spawnSync(PY, [path.join(__dirname, 'describe.py'), ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`describe.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-ser-'));
}

/** The storage identity of a tensor (views of one storage share it). */
export function storageId(t: torch.Tensor): number {
  return native._ser_tensor_info(t._h)[0];
}
export function requiresGrad(t: torch.Tensor): boolean {
  return native._ser_tensor_info(t._h)[7];
}
function hex(t: torch.Tensor): string {
  const a = t.to_typed_array();
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

/**
 * Checks that JS value `v` corresponds to Python description `d`.
 * mode 'load': v came from torch.load of the Python value (ints and floats both arrive as numbers,
 *   dict and OrderedDict as objects/Maps).
 * mode 'save': v was saved by torch.save and Python loaded it: checks torch-node's documented
 *   mapping (safe integers → int, other numbers → float, objects and Maps → OrderedDict).
 * Storage sharing must correspond one to one: `groups` maps JS storage ids to Python numbers.
 */
export function expectMatches(v: any, d: any, mode: 'load' | 'save', where = '$', groups = new Map<number, number>(), back = new Map<number, number>()): void {
  const fail = (m: string): never => {
    throw new Error(`${where}: ${m} (JS ${describeJs(v)}, Python ${JSON.stringify(d).slice(0, 200)})`);
  };
  if (d === null) {
    if (!(v === null || (mode === 'save' && v === undefined))) fail('expected null');
    return;
  }
  if (typeof d === 'string' || typeof d === 'boolean') {
    if (v !== d) fail('value differs');
    return;
  }
  const [tag] = Object.keys(d).filter((k) => k.startsWith('__'));
  const body = d[tag];
  switch (tag) {
    case '__int__': {
      const big = BigInt(body);
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      if (mode === 'load') {
        if (safe ? v !== Number(big) : v !== big) fail('int differs');
      } else if (!(typeof v === 'bigint' ? v === big : Number.isSafeInteger(v) && BigInt(v) === big)) fail('int differs');
      return;
    }
    case '__float__': {
      const x = body === 'nan' ? NaN : body === 'inf' ? Infinity : body === '-inf' ? -Infinity : Number(body);
      if (typeof v !== 'number' || !Object.is(v, x)) fail('float differs');
      if (mode === 'save' && Number.isSafeInteger(v) && !Object.is(v, -0)) fail('a safe integer was written as float');
      return;
    }
    case '__bytes__':
      if (!(v instanceof Uint8Array) || Buffer.from(v).toString('hex') !== body) fail('bytes differ');
      return;
    case '__dtype__':
      if (!(v instanceof torch.dtype) || v.name !== body) fail('dtype differs');
      return;
    case '__device__':
      if (!(v instanceof torch.device) || v.toString() !== body) fail('device differs');
      return;
    case '__list__':
    case '__tuple__':
      if (!Array.isArray(v)) fail('expected an Array');
      if (torch.serialization.isTuple(v) !== (tag === '__tuple__')) fail(`tuple marking differs`);
      if (v.length !== body.length) fail('length differs');
      body.forEach((x: any, i: number) => expectMatches(v[i], x, mode, `${where}[${i}]`, groups, back));
      return;
    case '__set__': {
      if (!(v instanceof Set)) fail('expected a Set');
      const items = [...v];
      if (items.length !== body.length) fail('set size differs');
      for (const x of body) {
        if (!items.some((y) => { try { expectMatches(y, x, mode, where, groups, back); return true; } catch { return false; } })) fail('set member missing');
      }
      return;
    }
    case '__dict__': {
      if (mode === 'save' && d.kind !== 'OrderedDict') fail('objects and Maps must be written as OrderedDict');
      const pairs: [any, any][] = body;
      const allStrings = pairs.every(([k]) => typeof k === 'string');
      let entries: [any, any][];
      if (v instanceof Map) {
        if (mode === 'load' && allStrings) fail('string-keyed dicts load as plain objects');
        entries = [...v.entries()];
      } else {
        if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) fail('expected a plain object or Map');
        if (!allStrings) fail('dicts with non-string keys load as Maps');
        entries = Object.entries(v);
      }
      if (entries.length !== pairs.length) fail('key count differs');
      pairs.forEach(([k, x], i) => {
        expectMatches(entries[i][0], k, mode, `${where}.key${i}`, groups, back);
        expectMatches(entries[i][1], x, mode, `${where}.${String(entries[i][0])}`, groups, back);
      });
      return;
    }
    case '__tensor__': {
      if (!(v instanceof torch.Tensor)) fail('expected a Tensor');
      const t = v as torch.Tensor;
      if (t.dtype.name !== body.dtype) fail(`dtype ${t.dtype.name} != ${body.dtype}`);
      if (JSON.stringify(t.shape) !== JSON.stringify(body.shape)) fail('shape differs');
      if (JSON.stringify(t.stride()) !== JSON.stringify(body.stride)) fail('stride differs');
      if (t.storage_offset() !== body.offset) fail('storage offset differs');
      if (requiresGrad(t) !== body.requires_grad) fail('requires_grad differs');
      if ((t instanceof torch.nn.Parameter) !== body.param) fail('nn.Parameter-ness differs');
      if (hex(t) !== body.hex) fail('bytes differ');
      const [sid, nbytes] = native._ser_tensor_info(t._h);
      if (nbytes !== body.storage_nbytes) fail('storage size differs');
      const g = groups.get(sid);
      const b = back.get(body.storage);
      if ((g === undefined) !== (b === undefined) || (g !== undefined && (g !== body.storage || b !== sid))) fail('storage sharing differs');
      groups.set(sid, body.storage);
      back.set(body.storage, sid);
      return;
    }
    default:
      fail(`unknown description ${tag}`);
  }
}

function describeJs(v: any): string {
  if (v instanceof torch.Tensor) return `Tensor(${v.is_disposed ? 'disposed' : v.dtype + ' ' + JSON.stringify(v.shape)})`;
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return JSON.stringify(v)?.slice(0, 120) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Python's description with the differences a JS round trip may introduce removed. */
export function normalize(d: any): any {
  if (d === null || typeof d !== 'object') return d;
  if (Array.isArray(d)) return d.map(normalize);
  const out: any = {};
  for (const [k, v] of Object.entries(d)) {
    if (k === 'kind') continue; // dict and OrderedDict are both written back as OrderedDict
    out[k] = normalize(v);
  }
  // A float with an integral value comes back as an int.
  if (out.__float__ !== undefined && /^-?\d+\.0$/.test(out.__float__) && out.__float__ !== '-0.0') return { __int__: out.__float__.slice(0, -2) };
  return out;
}
