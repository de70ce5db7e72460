/**
 * Tensor printing, as PyTorch prints (torch/_tensor_str.py): `tensor([[1., 2.],\n        [3., 4.]],
 * requires_grad=True)`. The same rules: a formatter chosen from all (or the summarized) values —
 * integer mode, fixed point with `precision` digits or scientific notation —, right-aligned
 * columns, lines wrapped at `linewidth`, summarization with `...` above `threshold` elements, and
 * the suffixes (device, dtype, size, grad_fn, requires_grad). Numbers are formatted exactly as
 * Python formats floats (correctly rounded, ties to even).
 */
import { native } from './binding';
import { Tensor } from './tensor';
import { pyFloat } from './_utils';
import { dtype, get_default_dtype, float64, int64, bool as tbool, complex64, complex128 } from './dtype';

interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sci_mode: boolean | null;
}
const PRINT_OPTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: null };

/**
 * torch.set_printoptions({precision, threshold, edgeitems, linewidth, profile, sci_mode}): options
 * for printing tensors (NumPy's).
 *
 * Args:
 *   precision: digits after the decimal point (default 4).
 *   threshold: number of elements above which the output is summarized (default 1000).
 *   edgeitems: items shown at the start and end of each summarized dimension (default 3).
 *   linewidth: characters per line (default 80).
 *   profile: 'default', 'short' or 'full' presets.
 *   sci_mode: true/false to force scientific notation on/off; null (default) chooses.
 */
export function set_printoptions(...args: unknown[]): void {
  const names = ['precision', 'threshold', 'edgeitems', 'linewidth', 'profile', 'sci_mode'];
  const o: Record<string, any> = {};
  let pos = args;
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object') {
    pos = args.slice(0, -1);
    for (const k of Object.keys(last)) {
      if (!names.includes(k)) throw new TypeError(`set_printoptions() got an unexpected keyword argument '${k}'`);
      o[k] = (last as any)[k];
    }
  }
  pos.forEach((v, i) => (o[names[i]] = v));
  if (o.profile !== undefined && o.profile !== null) {
    const p = ({
      default: [4, 1000, 3, 80],
      short: [2, 1000, 2, 80],
      full: [4, Infinity, 3, 80],
    } as Record<string, number[]>)[o.profile];
    if (!p) throw new RangeError(`set_printoptions(): unknown profile '${o.profile}'`);
    [PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth] = p;
  }
  for (const k of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) {
    if (o[k] !== undefined && o[k] !== null) {
      if (typeof o[k] !== 'number' || Number.isNaN(o[k])) throw new TypeError(`set_printoptions(): '${k}' must be a number`);
      PRINT_OPTS[k] = o[k];
    }
  }
  PRINT_OPTS.sci_mode = o.sci_mode === undefined ? null : o.sci_mode;
}

/** @internal The current print options (a copy). */
export function get_printoptions(): PrintOptions {
  return { ...PRINT_OPTS };
}

// ------------------------------------------------------------------ exact float formatting

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** |x| = m * 2^e exactly (x finite, nonzero). */
function decompose(x: number): [bigint, number] {
  F64[0] = x;
  const lo = U32[0];
  const hi = U32[1];
  const ex = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (ex === 0) return [m, -1074];
  m |= 1n << 52n;
  return [m, ex - 1075];
}
const pow10 = (n: number): bigint => 10n ** BigInt(n);
/** round-half-even of num/den */
function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}
/** |x| as num/den */
function rational(x: number): [bigint, bigint] {
  const [m, e] = decompose(Math.abs(x));
  return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)];
}
const negative = (x: number): boolean => x < 0 || Object.is(x, -0);

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** Python's '{:.{p}f}'.format(x) */
export function formatFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = negative(x) ? '-' : '';
  if (x === 0) return sign + (p > 0 ? '0.' + '0'.repeat(p) : '0');
  const [num, den] = rational(x);
  const q = roundDiv(num * pow10(p), den).toString().padStart(p + 1, '0');
  return sign + (p > 0 ? q.slice(0, q.length - p) + '.' + q.slice(q.length - p) : q);
}

/** Python's '{:.{p}e}'.format(x) */
export function formatSci(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const sign = negative(x) ? '-' : '';
  let e10 = 0;
  let digits: string;
  if (x === 0) digits = '0'.repeat(p + 1);
  else {
    const [num, den] = rational(x);
    e10 = Math.floor(Math.log10(Math.abs(x)));
    // make 10^e10 <= |x| < 10^(e10+1) exact
    const ge = (e: number) => (e >= 0 ? num >= pow10(e) * den : num * pow10(-e) >= den);
    while (!ge(e10)) e10--;
    while (ge(e10 + 1)) e10++;
    const s = p - e10;
    let d = s >= 0 ? roundDiv(num * pow10(s), den) : roundDiv(num, den * pow10(-s));
    if (d === pow10(p + 1)) {
      d = pow10(p);
      e10++;
    }
    digits = d.toString();
  }
  const mant = p > 0 ? digits[0] + '.' + digits.slice(1) : digits;
  const ae = Math.abs(e10);
  return `${sign}${mant}e${e10 < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

// ------------------------------------------------------------------ the formatter

type Val = number | bigint | boolean;

class Formatter {
  floating: boolean;
  int_mode = true;
  sci_mode = false;
  max_width = 1;

  constructor(values: ArrayLike<Val>, floating: boolean) {
    this.floating = floating;
    const n = values.length;
    if (!floating) {
      for (let i = 0; i < n; i++) this.max_width = Math.max(this.max_width, plain(values[i]).length);
    } else {
      const vals: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (Number.isFinite(v) && v !== 0) vals.push(v);
      }
      // As in PyTorch, without a nonzero finite value the defaults stay (print options ignored).
      if (vals.length === 0) return;
      {
        let min = Infinity;
        let max = 0;
        for (const v of vals) {
          const a = Math.abs(v);
          if (a < min) min = a;
          if (a > max) max = a;
          if (this.int_mode && v !== Math.ceil(v)) this.int_mode = false;
        }
        const P = PRINT_OPTS.precision;
        if (this.int_mode) {
          if (max / min > 1000.0 || max > 1.0e8) {
            this.sci_mode = true;
            for (const v of vals) this.max_width = Math.max(this.max_width, formatSci(v, P).length);
          } else {
            for (const v of vals) this.max_width = Math.max(this.max_width, formatFixed(v, 0).length + 1);
          }
        } else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4) {
          this.sci_mode = true;
          for (const v of vals) this.max_width = Math.max(this.max_width, formatSci(v, P).length);
        } else {
          for (const v of vals) this.max_width = Math.max(this.max_width, formatFixed(v, P).length);
        }
      }
    }
    if (PRINT_OPTS.sci_mode !== null) this.sci_mode = PRINT_OPTS.sci_mode;
  }

  width(): number {
    return this.max_width;
  }

  format(value: Val): string {
    let r: string;
    if (this.floating) {
      const v = value as number;
      if (this.sci_mode) r = formatSci(v, PRINT_OPTS.precision);
      else if (this.int_mode) {
        r = formatFixed(v, 0);
        if (Number.isFinite(v)) r += '.';
      } else r = formatFixed(v, PRINT_OPTS.precision);
    } else r = plain(value);
    return r.length < this.max_width ? ' '.repeat(this.max_width - r.length) + r : r;
  }
}

function plain(v: Val): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

// ------------------------------------------------------------------ layout

interface Data {
  shape: number[]; // original sizes
  sshape: number[]; // sizes of the (possibly summarized) values
  real: ArrayLike<Val>;
  imag: ArrayLike<Val> | null;
}

function layout(d: Data, summarize: boolean, f1: Formatter, f2: Formatter | null, indent0: number): string {
  const E = PRINT_OPTS.edgeitems;
  const ndim = d.shape.length;
  const strides = new Array(ndim).fill(1);
  for (let i = ndim - 2; i >= 0; i--) strides[i] = strides[i + 1] * d.sshape[i + 1];
  const val = (k: number): string => {
    if (f2 === null) return f1.format(d.real[k]);
    const re = f1.format(d.real[k]);
    const im = (f2.format(d.imag![k]) + 'j').trimStart();
    return im[0] === '+' || im[0] === '-' ? re + im : re + '+' + im;
  };
  // Along a summarized dim the values hold the first E and the last E rows; '...' goes between.
  const rows = (dim: number): [number[], boolean] => [
    Array.from({ length: d.sshape[dim] }, (_, i) => i),
    summarize && d.shape[dim] > 2 * E,
  ];
  const rec = (dim: number, off: number, indent: number): string => {
    if (dim === ndim) return val(off);
    const [idx, cut] = rows(dim);
    if (dim === ndim - 1) {
      let elementLength = f1.width() + 2;
      if (f2 !== null) elementLength += f2.width() + 1;
      const perLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - indent) / elementLength));
      const data: string[] = [];
      idx.forEach((i, j) => {
        if (cut && j === E) data.push(' ...');
        data.push(val(off + i * strides[dim]));
      });
      const lines: string[] = [];
      for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
    }
    const slices: string[] = [];
    idx.forEach((i, j) => {
      if (cut && j === E) slices.push('...');
      slices.push(rec(dim + 1, off + i * strides[dim], indent + 1));
    });
    return '[' + slices.join(',' + '\n'.repeat(ndim - dim - 1) + ' '.repeat(indent + 1)) + ']';
  };
  return rec(0, 0, indent0);
}

function readValues(t: Tensor, summarize: boolean): Data {
  const shape = t.shape;
  const p = new Tensor(native._print_data(t._h, summarize, PRINT_OPTS.edgeitems));
  try {
    const d = p.dtype;
    const sshape = p.shape;
    const flat = p.to_typed_array();
    if (t.dtype.is_complex) {
      const n = flat.length / 2;
      const re = new Array<number>(n);
      const im = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        re[i] = flat[2 * i] as number;
        im[i] = flat[2 * i + 1] as number;
      }
      return { shape, sshape: sshape.slice(0, -1), real: re, imag: im };
    }
    let real: ArrayLike<Val> = flat as ArrayLike<number>;
    if (d === tbool) real = Array.from(flat as Uint8Array, (v) => v !== 0);
    else if (d === int64) real = Array.from(flat as BigInt64Array);
    return { shape, sshape, real, imag: null };
  } finally {
    p.dispose();
  }
}

function tensorStr(t: Tensor, indent: number): string {
  const numel = t.numel();
  if (numel === 0) return '[]';
  const summarize = numel > PRINT_OPTS.threshold;
  const d = readValues(t, summarize);
  const floating = t.dtype.is_floating_point || t.dtype.is_complex;
  let f2: Formatter | null = null;
  const f1 = new Formatter(d.real, floating);
  if (d.imag !== null) f2 = new Formatter(d.imag, true);
  return layout(d, summarize, f1, f2, indent);
}

function addSuffixes(tensorStr: string, suffixes: string[], indent: number, forceNewline = false): string {
  const out = [tensorStr];
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (forceNewline || lastLineLen + s.length + 2 > PRINT_OPTS.linewidth) {
      out.push(',\n' + ' '.repeat(indent) + s);
      lastLineLen = indent + s.length;
      forceNewline = false;
    } else {
      out.push(', ' + s);
      lastLineLen += s.length + 2;
    }
  }
  out.push(')');
  return out.join('');
}

/** A quantized tensor's values (dequantized) and its suffixes, as PyTorch's _tensor_str prints them. */
function quantizedBody(t: Tensor, suffixes: string[], indent: number): string {
  suffixes.push('size=' + shapeStr(t.shape));
  suffixes.push(`dtype=${t.dtype}`);
  const scheme: string = native._qscheme(t._h);
  suffixes.push(`quantization_scheme=torch.${scheme}`);
  if (scheme === 'per_tensor_affine' || scheme === 'per_tensor_symmetric') {
    suffixes.push('scale=' + pyFloat(native._q_scale(t._h)));
    suffixes.push('zero_point=' + String(native._q_zero_point(t._h)));
  } else {
    for (const [name, fn] of [['scale', native._q_per_channel_scales], ['zero_point', native._q_per_channel_zero_points]] as const) {
      const q = new Tensor(fn(t._h));
      suffixes.push(`${name}=` + tensor_repr(q));
      q.dispose();
    }
    suffixes.push('axis=' + String(native._q_per_channel_axis(t._h)));
  }
  if (t.numel() === 0) return '[]';
  const dq = new Tensor(native.a_dequantize_self(t._h));
  try {
    return tensorStr(dq, indent);
  } finally {
    dq.dispose();
  }
}

const shapeStr = (s: number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);

/**
 * @internal str(tensor) / repr(tensor) as PyTorch prints it. `prefix` is 'tensor(' for tensors
 * (nn.Parameter prints through its own repr).
 */
export function tensor_repr(t: Tensor, prefix = 'tensor('): string {
  if (t.is_disposed) return 'tensor(<disposed>)';
  const indent = prefix.length;
  const suffixes: string[] = [];
  const dev = t.device;
  if (dev.type !== 'cpu') suffixes.push(`device='${dev}'`);
  const dt: dtype = t.dtype;
  const def = get_default_dtype();
  const defComplex = def === float64 ? complex128 : complex64;
  const hasDefault = dt === def || dt === defComplex || dt === int64 || dt === tbool;
  let body: string;
  const sparse = t.is_sparse;
  if (sparse) {
    // tensor(indices=tensor(...),\n values=tensor(...),\n size=..., nnz=..., layout=torch.sparse_coo)
    suffixes.push('size=' + shapeStr(t.shape), 'nnz=' + (t as any)._nnz());
    if (!hasDefault) suffixes.push(`dtype=${dt}`);
    const part = (name: string, v: Tensor): string => {
      try {
        const p = name + '=tensor(';
        let str = tensorStr(v, indent + p.length);
        if (v.numel() === 0) str += ', size=' + shapeStr(v.shape);
        return p + str + ')';
      } finally {
        v.dispose();
      }
    };
    body = part('indices', (t as any)._indices()) + ',\n' + ' '.repeat(indent) + part('values', (t as any)._values());
    suffixes.push(`layout=${t.layout}`);
  } else if (native._is_quantized(t._h)) {
    body = quantizedBody(t, suffixes, indent);
  } else if (t.numel() === 0) {
    if (t.dim() !== 1) suffixes.push('size=' + shapeStr(t.shape));
    if (dt !== def) suffixes.push(`dtype=${dt}`);
    body = '[]';
  } else {
    if (!hasDefault) suffixes.push(`dtype=${dt}`);
    body = tensorStr(t, indent);
  }
  const gf = native._grad_fn(t._h);
  if (gf !== null) {
    const name: string = native._node_name(gf);
    const k = name.lastIndexOf('::');
    suffixes.push(`grad_fn=<${k < 0 ? name : name.slice(k + 2)}>`);
  } else if (native._requires_grad(t._h)) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent, sparse);
}
