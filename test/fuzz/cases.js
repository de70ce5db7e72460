// Case generator: from each parameter's declared type, valid values and bad ones (wrong types,
// null/NaN/±Infinity, huge and negative ints, INT64_MIN, BigInt, ragged/empty/holey/cyclic arrays,
// disposed, sparse, quantized, empty, 0-dim, mismatched and wrongly typed tensors). Deterministic
// for a seed: the same seed gives the same cases.
'use strict';

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const T = (shape, dtype = 'float32', flag) => (flag ? ['t', shape, dtype, flag] : ['t', shape, dtype]);
const N = (v) => ['n', v];
const INT64_MIN = ['b', '-9223372036854775808'];
const INT64_MAX = ['b', '9223372036854775807'];

const VALID = {
  Tensor: [T([2, 3]), T([3]), T([2, 2], 'float64'), T([1, 2, 4, 4]), T([4], 'int64'), T([]), T([2, 3, 4])],
  int: [N(0), N(1), N(2), N(-1)],
  'int[]': [['arr', [N(1)]], ['arr', [N(2), N(3)]], ['arr', [N(0), N(1)]], ['arr', []]],
  float: [N(0.5), N(1), N(2)],
  bool: [['bool', true], ['bool', false]],
  Scalar: [N(1), N(0.5), N(2)],
  ScalarType: [['dtype', 'float32'], ['dtype', 'int64'], ['dtype', 'float64']],
  str: [['s', 'mean'], ['s', 'sum'], ['s', 'none'], ['s', 'reflect'], ['s', 'constant'], ['s', 'linear'], ['s', 'fro'], ['s', 'reduced']],
  Device: [['s', 'cpu']],
  Layout: [['null']],
  Generator: [['null']],
  MemoryFormat: [['null']],
  'Tensor[]': [['arr', [T([2, 3]), T([2, 3])]], ['arr', [T([3])]]],
  'Tensor?[]': [['arr', [T([2], 'int64')]]],
  'float[]': [['arr', [N(1), N(2)]]],
  any: [T([2, 3]), N(1), ['arr', [N(2), N(3)]], T([4])],
};

const JUNK_TENSOR = [
  T([2, 3], 'float32', 'disposed'), T([2, 3], 'float32', 'sparse'), T([2, 3], 'quint8', 'quantized'),
  T([2, 3], 'qint8', 'quantized'), T([0]), T([0, 3]), T([]), T([5, 7]), T([2, 3], 'int64'), T([2, 3], 'bool'),
  T([2, 3], 'complex64'), T([2, 3], 'float16'), T([2, 3], 'int8'), T([3, 2], 'float32', 'noncontig'),
  T([2, 3], 'float32', 'grad'), T([1, 1, 1, 1, 1, 1, 1, 1, 1]), T([4], 'uint8'), T([2, 3], 'bfloat16'),
];
const JUNK_INT = [
  N(1e18), N(-1e18), N(2 ** 53), N(1e300), N(-1), N(-(2 ** 31)), N(1.5), N('NaN'), N('Infinity'),
  N('-Infinity'), N('-0'), INT64_MIN, INT64_MAX, ['b', '18446744073709551616'], ['b', '-1'], N(2 ** 31 - 1),
  N(-2), N(100000),
];
const JUNK_LIST = [
  ['arr', []], ['arr', [['arr', [N(1)]], ['arr', [N(2), N(3)]]]], ['arr', [N('NaN')]], ['arr', [N(-1), N(-1)]],
  ['arr', [N(1e18)]], ['arr', [INT64_MIN]], ['arr', [INT64_MIN, N(3)]], ['cyc'], ['holey', 1e9], ['arr', [['null']]],
  ['arr', [['s', 'a']]], ['arr', [N(0), N(0), N(0), N(0), N(0), N(0), N(0), N(0), N(0), N(0)]], ['arr', [N(-1e18), N(2)]],
  ['arr', [T([2, 3])]], ['arr', [N(2), N(-3)]],
];
const JUNK_OTHER = [
  ['null'], ['undef'], ['s', ''], ['s', 'abc'], ['bool', true], ['obj'], ['fn'], ['sym'], ['date'], ['mod'],
  ['ab', 8], ['dtype', 'float32'], ['dtype', 'qint8'], ['dtype', 'quint8'], ['dtype', 'complex64'], ['dtype', 'bool'],
  ['kw', { __proto__x: N(1) }],
];
const JUNK = [...JUNK_TENSOR, ...JUNK_INT, ...JUNK_LIST, ...JUNK_OTHER];

function baseType(t) {
  const s = t.replace(/\?$/, '');
  if (s === 'SymInt') return 'int';
  if (s === 'SymInt[]') return 'int[]';
  if (s === 'float[]') return 'float[]';
  if (s === 'Tensor|number') return 'Tensor';
  if (/^int\[\d*\]$/.test(s)) return 'int[]';
  return s;
}

function valid(r, type) {
  return r.pick(VALID[baseType(type)] || VALID.any);
}

function junk(r, type) {
  const b = baseType(type);
  // three in four draws come from the pool that fits the declared type's failure modes
  if (r.chance(0.75)) {
    if (b === 'Tensor' || b === 'any') return r.pick(JUNK_TENSOR.concat(JUNK_INT.slice(0, 4)));
    if (b === 'int' || b === 'float' || b === 'Scalar') return r.pick(JUNK_INT);
    if (/\[\]$/.test(b)) return r.pick(JUNK_LIST.concat(JUNK_INT.slice(0, 6)));
  }
  return r.pick(JUNK);
}

// Arguments for one signature: positional, or the tail as a trailing options object.
function argsFor(r, sig) {
  const mode = r.next();
  const bad = mode < 0.1 ? new Set() : mode < 0.75 ? new Set([r.int(Math.max(sig.length, 1))])
    : new Set(sig.map((_, i) => i).filter(() => r.chance(0.5)));
  let n = sig.length;
  while (n > 0 && sig[n - 1].optional && !bad.has(n - 1) && r.chance(0.5)) n--;
  const vals = sig.slice(0, n).map((p, i) => (bad.has(i) ? junk(r, p.type) : valid(r, p.type)));
  if (sig.length === 0 && bad.size) vals.push(junk(r, 'any'));
  const kwFrom = sig.findIndex((p) => p.kw);
  const cut = kwFrom >= 0 && kwFrom < n ? kwFrom : r.chance(0.15) && n > 1 ? 1 + r.int(n - 1) : -1;
  if (cut >= 0 && !sig.slice(cut, n).some((p) => p.type === 'any')) {
    const kw = {};
    sig.slice(cut, n).forEach((p, i) => { kw[p.name] = vals[cut + i]; });
    if (r.chance(0.05)) kw.no_such_option = N(1);
    return vals.slice(0, cut).concat([['kw', kw]]);
  }
  return vals;
}

// A layer of 2**31 features is a legal request for 8 GiB or more, which PyTorch would allocate
// too: such sizes are left out of constructor arguments (absurd ones, 1e18 and up, stay).
function ctorJunk(r) {
  for (;;) {
    const d = junk(r, 'int');
    const v = d[0] === 'n' ? Number(d[1]) : d[0] === 'b' ? Number(BigInt(d[1])) : 0;
    if (!(Math.abs(v) >= 2 ** 16 && Math.abs(v) < 2 ** 50)) return d;
  }
}
const NN_CTOR = [N(2), N(4), N(3), N(1)];
const NN_INPUT = [T([2, 4]), T([1, 2, 4, 4]), T([4]), T([2, 2, 4]), T([3, 2, 4]), T([1, 4, 4, 4, 4]), T([2, 4], 'int64')];

/** One case for a target: {target, recv?, args, fwd?}. */
function caseFor(r, target) {
  const sig = r.pick(target.signatures);
  if (target.kind === 'method') {
    const recv = r.chance(0.2) ? r.pick(JUNK_TENSOR) : r.pick(VALID.Tensor);
    return { target: target.id, kind: 'method', recv, args: argsFor(r, sig) };
  }
  if (target.kind === 'nn') {
    const n = 1 + r.int(4);
    const args = Array.from({ length: n }, () => (r.chance(0.25) ? ctorJunk(r) : r.pick(NN_CTOR)));
    const fwd = r.chance(0.25) ? [junk(r, 'Tensor')] : [r.pick(NN_INPUT)];
    if (r.chance(0.2)) fwd.push(r.chance(0.5) ? r.pick(NN_INPUT) : junk(r, 'Tensor'));
    return { target: target.id, kind: 'nn', args, fwd };
  }
  if (target.kind === 'optim') {
    const params = r.chance(0.7) ? ['arr', [T([2, 3], 'float32', 'grad')]] : junk(r, 'Tensor[]');
    const lr = r.chance(0.5) ? ['kw', { lr: r.chance(0.5) ? N(0.1) : junk(r, 'float') }] : junk(r, 'float');
    return { target: target.id, kind: 'optim', args: [params, lr] };
  }
  return { target: target.id, kind: target.kind, args: argsFor(r, sig) };
}

module.exports = { rng, caseFor, JUNK, VALID };
