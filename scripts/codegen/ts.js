// The TypeScript emitter: lib/generated/ops.ts (the overload table lib/dispatch.ts parses with,
// the torch.* functions and the Tensor methods, typed) and types/generated/native_ops.d.ts (the
// typed native entry points).
'use strict';
const { HEADER, KIND, retInfo, nativeName } = require('./model');

const TS_TYPE = [
  'Tensor', 'Tensor | null', 'Tensor[]', '(Tensor | null)[]', 'number', 'number | null', 'number | number[]',
  'number | number[] | null', 'number', 'number | null', 'number[] | null', 'boolean', 'boolean | null',
  'Scalar', 'Scalar | null', 'dtype', 'dtype | null', 'layout | null', 'DeviceLike | null', 'memory_format | null',
  'string', 'string | null', 'GeneratorLike | null', 'Tensor | Scalar',
];
const PY_TYPE = [
  'Tensor', 'Tensor?', 'Tensor[]', 'Tensor?[]', 'int', 'int?', 'int[]', 'int[]?', 'float', 'float?', 'float[]?',
  'bool', 'bool?', 'Number', 'Number?', 'dtype', 'dtype?', 'layout?', 'device?', 'memory_format?', 'str', 'str?',
  'Generator?', 'Tensor',
];

function jsDefault(a) {
  const d = a.default;
  if (d === null || d === undefined) return undefined;
  if (d === 'None') return 'null';
  if (d === 'True') return 'true';
  if (d === 'False') return 'false';
  if (d === 'Mean') return "1 (mean)";
  if (d === 'long') return 'torch.int64';
  return d.replace(/^'|'$/g, '"');
}

function ovEntry(op) {
  const ri = retInfo(op);
  const params = op.args.map((a) => [a.name, KIND[a.type], a.default !== null && a.default !== undefined ? 1 : 0, a.kwarg_only ? 1 : 0]);
  // PyTorch's var-args int list: when the only positional parameter (besides a method's self) is an
  // int list, `x.view(2, 3)` means `x.view([2, 3])`.
  const pos = op.args.filter((a, i) => !a.kwarg_only && !(i === 0 && a.name === 'self' && op.variants.includes('method')));
  const varargs = pos.length === 1 && KIND[pos[0].type] === 6 ? 1 : 0;
  const posFn = op.args.filter((a) => !a.kwarg_only);
  const varargsFn = posFn.length === 1 && KIND[posFn[0].type] === 6 ? 1 : 0;
  return [nativeName(op), params, ri.code, ri.code === 1 ? ri.alias : ri.code === 3 ? ri.elems : 0, varargs, varargsFn];
}

function pyName(ns, name) {
  if (ns === 'linalg') return name.replace(/^linalg_/, '');
  if (ns === 'special') return name.replace(/^special_/, '');
  if (ns === 'fft') return name.replace(/^fft_/, '');
  return name;
}

const RESERVED = new Set(['delete', 'new', 'in', 'for', 'if', 'var', 'function', 'class', 'return', 'default', 'import', 'export', 'with', 'typeof', 'void', 'switch', 'case', 'do', 'while', 'else', 'try', 'catch', 'finally', 'throw', 'const', 'let', 'this', 'super', 'extends', 'instanceof', 'break', 'continue', 'debugger', 'enum', 'yield', 'await', 'static', 'null', 'true', 'false']);
const safeParam = (n) => (RESERVED.has(n) ? n + '_' : n);

// Named tuples (`x.max(1).values`) get one module-level alias each (namedTuples: type text -> alias): a type literal written inside
// the merged `interface Tensor` would be re-instantiated for every Tensor subclass (the class's
// `this` counts as possibly referenced once Tensor has several declarations), and relating those
// copies (tuple & object) made type-checking a Parameter against a Tensor take minutes.
function namedTuple(namedTuples, text, names) {
  if (!namedTuples.has(text)) {
    const base = 'NamedTuple_' + names.join('_');
    let alias = base;
    for (let i = 2; [...namedTuples.values()].includes(alias); i++) alias = base + i;
    namedTuples.set(text, alias);
  }
  return namedTuples.get(text);
}

function retType(op, namedTuples) {
  const ri = retInfo(op);
  const one = (t) => (t === 'Tensor' ? 'Tensor' : t === 'Tensor[]' ? 'Tensor[]' : t === 'ScalarType' ? 'dtype' : t === 'bool' ? 'boolean' : t === 'Scalar' ? 'number | boolean' : 'number');
  if (ri.code === 6) return 'void';
  if (ri.code === 3) {
    const tup = `[${op.returns.map((r) => one(r.type)).join(', ')}]`;
    if (!op.returns.every((r) => r.name)) return tup;
    return namedTuple(namedTuples, `${tup} & { ${op.returns.map((r) => `${r.name}: ${one(r.type)}`).join('; ')} }`, op.returns.map((r) => r.name));
  }
  return one(op.returns[0].type);
}

// TS signatures of one overload: every prefix of positionals, then an options object holding the rest.
function signatures(op, dropSelf, fname, namedTuples) {
  const args = dropSelf ? op.args.slice(1) : op.args;
  const pos = args.filter((a) => !a.kwarg_only);
  const kw = args.filter((a) => a.kwarg_only);
  const req = (a) => a.default === null || a.default === undefined;
  const firstOptional = pos.findIndex((a) => !req(a));
  const nreq = firstOptional < 0 ? pos.length : firstOptional;
  const rt = retType(op, namedTuples);
  const out = [];
  const ty = (a) => TS_TYPE[KIND[a.type]];
  for (let i = nreq; i <= pos.length; i++) {
    const head = pos.slice(0, i).map((a) => `${safeParam(a.name)}${req(a) ? '' : '?'}: ${ty(a)}`);
    const rest = [...pos.slice(i), ...kw];
    const params = [...head];
    if (rest.length) params.push(`options?: { ${rest.map((a) => `${a.name}?: ${ty(a)}`).join('; ')} }`);
    out.push(`${fname}(${params.join(', ')}): ${rt};`);
  }
  // PyTorch's var-args int list: torch.zeros(2, 3), x.view(2, -1).
  if (pos.length === 1 && KIND[pos[0].type] === 6) {
    const n = safeParam(pos[0].name);
    out.push(`${fname}(...${n}: number[]): ${rt};`);
    if (kw.length) out.push(`${fname}(...${n}: [...number[], { ${kw.map((a) => `${a.name}?: ${ty(a)}`).join('; ')} }]): ${rt};`);
  }
  // Required positionals given by name: all of them (torch.sum({input, dim})), or the first j
  // positionally and the rest by name (torch.sum(x, {dim: 1}), x.view({size: [2, -1]})). Python
  // names a function's first tensor `input` (`self` is accepted too at run time).
  const byName = (a) => `${dropSelf === false && a.name === 'self' ? 'input' : a.name}${req(a) && !a.kwarg_only ? '' : '?'}: ${ty(a)}`;
  for (let j = 0; j < nreq; j++) {
    if (j === 0 && dropSelf === false && nreq === 1 && pos[0].name === 'self') continue;
    const head = pos.slice(0, j).map((a) => `${safeParam(a.name)}: ${ty(a)}`);
    const rest = [...pos.slice(j), ...kw];
    out.push(`${fname}(${[...head, `options: { ${rest.map(byName).join('; ')} }`].join(', ')}): ${rt};`);
  }
  return out;
}

// PyTorch's Python bindings add `requires_grad` (and `out`) to every op that takes TensorOptions
// (dtype, layout, device, pin_memory): torch.randn(2, 3, {requires_grad: true}), x.new_zeros(2,
// {requires_grad: true}). The schema lacks them; dispatch.ts _factory applies them after the call.
const isFactory = (op) => op.args.some((a) => a.name === 'pin_memory' && a.kwarg_only);
const FACTORY_KW = [
  { name: 'requires_grad', type: 'bool', default: 'False', kwarg_only: true },
  { name: 'out', type: 'Tensor?', default: 'None', kwarg_only: true },
];
// `out` as PyTorch has it: on the torch.* factories, not on *_like functions nor on x.new_*.
const withFactoryKw = (op, method) => {
  if (!isFactory(op)) return op;
  const kw = method || op.name.endsWith('_like') ? FACTORY_KW.filter((a) => a.name !== 'out') : FACTORY_KW;
  return { ...op, args: [...op.args, ...kw] };
};
const caller = (list) => (list.some(isFactory) ? '_factory' : '_call');

function schemaDoc(op) {
  const args = op.args.map((a) => {
    const d = jsDefault(a);
    return `${PY_TYPE[KIND[a.type]]} ${a.name}${d !== undefined ? '=' + d : ''}`;
  });
  return `${op.name}(${args.join(', ')})`;
}

/** lib/generated/ops.ts. */
function emitOps(model) {
  const { byName, byMethod, methodNames } = model;
  const namedTuples = new Map();
  const tsLines = [
    `// ${HEADER}`,
    '/* eslint-disable */',
    "import { Tensor } from '../tensor';",
    "import type { dtype } from '../dtype';",
    "import type { layout } from '../layout';",
    "import type { DeviceLike } from '../device';",
    "import { _call, _factory, Scalar, memory_format, GeneratorLike, Overload } from '../dispatch';",
    '',
    '/** The overload table: [native entry, params [name, kind, has default, kwarg-only], return kind, return info]. */',
    'const O: Record<string, Overload[]> = {',
  ];
  const tableKeys = new Map();
  function tableKey(prefix, name, list) {
    const k = `${prefix}${name}`;
    tableKeys.set(k, list);
    return k;
  }
  for (const [name, list] of byName) tableKey('f:', name, list);
  for (const [name, list] of byMethod) tableKey('m:', name, list);
  for (const [k, list] of tableKeys) tsLines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(list.map(ovEntry))},`);
  tsLines.push('};', '');

  function emitFunction(ns, name, list, indent) {
    const fname = pyName(ns, name);
    const lines = [];
    lines.push(`${indent}/**`, `${indent} * torch${ns ? '.' + ns : ''}.${fname}: see PyTorch's documentation. Schemas:`);
    for (const op of list) lines.push(`${indent} *   ${schemaDoc(op)}`);
    lines.push(`${indent} */`);
    const seen = new Set();
    for (const op of list) for (const s of signatures(withFactoryKw(op, false), false, `export function ${safeParam(fname)}`, namedTuples)) {
      if (!seen.has(s)) { seen.add(s); lines.push(indent + s); }
    }
    lines.push(`${indent}export function ${safeParam(fname)}(...args: any[]): any {`, `${indent}  return ${caller(list)}(${JSON.stringify(fname)}, O[${JSON.stringify('f:' + name)}], undefined, args);`, `${indent}}`);
    return lines;
  }

  const nsGroups = { '': [], linalg: [], special: [], fft: [], _nn: [] };
  for (const [name, list] of byName) {
    const pm = list[0].python_module;
    const ns = pm === 'nn' ? '_nn' : pm === 'linalg' ? 'linalg' : pm === 'special' ? 'special' : pm === 'fft' ? 'fft' : '';
    nsGroups[ns].push([name, list]);
  }
  for (const [name, list] of nsGroups['']) tsLines.push(...emitFunction('', name, list, ''), '');
  for (const ns of ['linalg', 'special', 'fft', '_nn']) {
    tsLines.push(`/** torch.${ns}${ns === '_nn' ? ' (torch._C._nn: the ATen kernels behind torch.nn.functional)' : ''} */`, `export namespace ${ns} {`);
    for (const [name, list] of nsGroups[ns]) tsLines.push(...emitFunction(ns, name, list, '  '), '');
    tsLines.push('}', '');
  }

  // Tensor methods
  tsLines.push("declare module '../tensor' {", '  interface Tensor {');
  for (const name of methodNames) {
    const list = byMethod.get(name);
    const seen = new Set();
    tsLines.push(`    /** Tensor.${name}: ${list.map(schemaDoc).join(' | ').replace(/\*\//g, '* /')} */`);
    for (const op of list) for (const s of signatures(withFactoryKw(op, true), true, safeParam(name) === name ? name : JSON.stringify(name), namedTuples)) {
      if (!seen.has(s)) { seen.add(s); tsLines.push('    ' + s); }
    }
  }
  tsLines.push('  }', '}', '');
  tsLines.push('/** Installs the generated methods on Tensor.prototype (skipping hand-written ones). */');
  tsLines.push(`const METHODS: string[] = ${JSON.stringify(methodNames)};`);
  tsLines.push(`const FACTORY_METHODS = new Set<string>(${JSON.stringify(methodNames.filter((n) => byMethod.get(n).some(isFactory)))});`);
  tsLines.push('for (const name of METHODS) {');
  tsLines.push("  if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) continue;");
  tsLines.push("  const ovs = O['m:' + name];");
  tsLines.push('  const call = FACTORY_METHODS.has(name) ? _factory : _call;');
  tsLines.push('  Object.defineProperty(Tensor.prototype, name, {');
  tsLines.push('    value: function (this: Tensor, ...args: any[]) { return call(name, ovs, this, args); },');
  tsLines.push('    writable: true, configurable: true, enumerable: false,');
  tsLines.push('  });');
  tsLines.push('}', '');
  tsLines.push('// Named tuples: an array of the results that also carries them by name (`x.max(1).values`).');
  for (const [text, alias] of namedTuples) tsLines.push(`export type ${alias} = ${text};`);
  tsLines.push('');
  return tsLines.join('\n');
}

// ---------------------------------------------------------------- the native surface
// What each entry point of native/generated takes from JS (native/common/core.h's *_arg helpers
// and lib/dispatch.ts convert): tensors as handles, dtypes/layouts/memory formats as their codes,
// devices as strings, generators as ids, a number for a `Tensor|number` parameter boxed as [n].
const NATIVE_ARG = {
  'Tensor': 'Handle', 'Tensor?': 'Handle | null', 'Tensor[]': 'Handle[]', 'Tensor?[]': '(Handle | null)[]',
  'Tensor|number': 'Handle | [Scalar]', 'int': 'Int', 'SymInt': 'Int', 'int?': 'Int | null', 'SymInt?': 'Int | null',
  'int[]': 'Int | Int[]', 'SymInt[]': 'Int | Int[]', 'int[]?': 'Int | Int[] | null', 'SymInt[]?': 'Int | Int[] | null',
  'float': 'number', 'float?': 'number | null', 'float[]?': 'number | number[] | null', 'bool': 'boolean', 'bool?': 'boolean | null',
  'Scalar': 'Scalar', 'Scalar?': 'Scalar | null', 'ScalarType': 'number', 'ScalarType?': 'number | null',
  'Layout?': "number | 'strided' | null", 'Device?': 'string | null', 'MemoryFormat?': 'number | null',
  'str': 'string', 'str?': 'string | null', 'Generator?': 'number | null',
};
// What they return: handles for tensors, codes for dtypes, numbers and booleans as they are.
const NATIVE_RET = { 'Tensor': 'Handle', 'Tensor[]': 'Handle[]', 'ScalarType': 'number', 'int': 'number', 'float': 'number', 'bool': 'boolean', 'Scalar': 'number | boolean' };

function nativeSignature(op) {
  // A parameter with a default, or of an optional type, takes null/undefined for its default; it
  // is `?` where no required parameter follows it.
  const nullish = (a) => (a.default !== null && a.default !== undefined) || a.type.endsWith('?');
  let tail = op.args.length;
  while (tail > 0 && nullish(op.args[tail - 1])) tail--;
  const params = op.args.map((a, i) => {
    const t = NATIVE_ARG[a.type];
    if (!t) throw new Error(`no native type for ${a.type}`);
    if (i >= tail) return `${safeParam(a.name)}?: ${t}${t.endsWith('| null') ? '' : ' | null'}`;
    return nullish(a) ? `${safeParam(a.name)}: ${t}${t.endsWith('| null') ? '' : ' | null'} | undefined` : `${safeParam(a.name)}: ${t}`;
  });
  const ri = retInfo(op);
  const one = (r) => NATIVE_RET[r.type] || (() => { throw new Error(`no native return type for ${r.type}`); })();
  const rt = ri.code === 1 || ri.code === 6 ? 'void' : ri.code === 3 ? `[${op.returns.map(one).join(', ')}]` : one(op.returns[0]);
  return `${nativeName(op)}(${params.join(', ')}): ${rt};`;
}

/** types/generated/native_ops.d.ts: the NativeOps interface, one member per bound overload. */
function emitNativeOps(model) {
  const lines = [
    `// ${HEADER}`,
    '/**',
    ' * The generated ATen entry points of torch_node.node (native/generated/ops_<k>.cc), one per bound',
    ' * overload, in the form lib/dispatch.ts calls them: arguments in schema order, tensors as handles,',
    ' * dtypes, layouts and memory formats as their codes, devices as strings, generators as ids. An',
    ' * in-place or out= overload returns nothing (the caller returns the aliased argument).',
    ' */',
    'type Handle = number;',
    'type Int = number | bigint;',
    'type Scalar = number | boolean | bigint;',
    '',
    'export interface NativeOps {',
  ];
  for (const op of model.ops) {
    const sig = `${op.name}${op.overload ? '.' + op.overload : ''}(${op.args.map((a) => `${a.type} ${a.name}${a.default !== null && a.default !== undefined ? '=' + a.default : ''}`).join(', ')})`;
    lines.push(`  /** ${sig.replace(/\*\//g, '* /')} */`, `  ${nativeSignature(op)}`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

module.exports = { emitOps, emitNativeOps };
