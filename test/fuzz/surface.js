// The public surface, walked at run time so that new functions are covered without a list: every
// function exported by torch and its namespaces (linalg, special, fft, nn.functional, nn.init,
// autograd, quantization, jit, ...), every Tensor method, every nn Module class and optimizer, and
// the file loaders. Parameter types come from the generated op table (scripts/codegen/ops_table.json)
// where the name is an ATen op; other functions get their arity and untyped parameters.
'use strict';
const path = require('path');

const table = require(path.join(__dirname, '..', '..', 'scripts', 'codegen', 'ops_table.json')).ops;

// Namespaces walked for functions, and the op-table prefix of their ATen names.
const NAMESPACES = [
  ['', ''], ['linalg', 'linalg_'], ['special', 'special_'], ['fft', 'fft_'], ['nn.functional', ''],
  ['nn.init', ''], ['nn.utils', ''], ['autograd', ''], ['autograd.functional', ''], ['quantization', ''],
  ['jit', ''], ['sparse', 'sparse_'], ['cuda', ''], ['backends.quantized', ''], ['random', ''],
];

// Left out, each for a reason a bad argument cannot change:
const EXCLUDE = new Set([
  // write files where they are told to (a junk string is a file name in the working directory)
  'save', 'save_async', 'jit.save', 'safetensors.save_file',
  // block by design until peers join (PyTorch waits the same way)
  'distributed',
  // utils: DataLoader workers, TensorBoard writers and checkpoints take callables and paths
  'utils',
  // helpers other modules import, marked @internal (not PyTorch names)
  'autograd.parseArgs', 'autograd.tensor_backward',
]);
// Names starting with '_' are private, in PyTorch as here (F._in_projection, nn._ConvNd): skipped.

function lookup(root, dotted) {
  let o = root;
  for (const k of dotted.split('.')) { if (o == null) return undefined; o = o[k]; }
  return o;
}

function isClass(f) {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

// ATen overloads by the name a caller uses: 'add', 'linalg.solve', 'nn.functional.pad', 'Tensor#add'.
function opIndex() {
  const idx = new Map();
  const add = (k, args) => { if (!idx.has(k)) idx.set(k, []); idx.get(k).push(args); };
  for (const op of table) {
    const args = op.args.map((a) => ({ name: a.name, type: a.type, optional: a.default !== null || /\?$/.test(a.type), kw: a.kwarg_only }));
    const m = op.python_module;
    const fnName = m === 'linalg' ? `linalg.${op.name.replace(/^linalg_/, '')}`
      : m === 'special' ? `special.${op.name.replace(/^special_/, '')}`
        : m === 'fft' ? `fft.${op.name.replace(/^fft_/, '')}`
          : m === 'nn' ? `nn.functional.${op.name}`
            : m === 'sparse' ? `sparse.${op.name.replace(/^sparse_/, '')}` : op.name;
    if (op.variants.includes('function')) add(fnName, args);
    if (op.variants.includes('method')) add(`Tensor#${op.name}`, args.filter((a) => a.name !== 'self'));
    if (m === null && op.variants.includes('function')) add(`nn.functional.${op.name}`, args);
  }
  return idx;
}

function untyped(n) {
  return Array.from({ length: n }, (_, i) => ({ name: `arg${i}`, type: 'any', optional: false, kw: false }));
}

/** The list of targets: {id, kind: 'fn'|'method'|'new'|'nn'|'optim', path, signatures}. */
function walk(torch) {
  const idx = opIndex();
  const out = [];
  const seen = new Set();
  for (const [ns] of NAMESPACES) {
    if (EXCLUDE.has(ns)) continue;
    const obj = ns ? lookup(torch, ns) : torch;
    if (!obj || typeof obj !== 'object' && typeof obj !== 'function') continue;
    for (const k of Object.keys(obj).sort()) {
      const id = ns ? `${ns}.${k}` : k;
      if (EXCLUDE.has(id) || EXCLUDE.has(k) && !ns) continue;
      let f;
      try { f = obj[k]; } catch { continue; }
      if (typeof f !== 'function' || isClass(f) || /^[A-Z_]/.test(k)) continue;
      if (seen.has(f) && !idx.has(id)) continue;
      seen.add(f);
      const sigs = idx.get(id) || [untyped(Math.min(Math.max(f.length, 1), 4))];
      out.push({ id, kind: 'fn', path: id, signatures: sigs });
    }
  }
  const proto = torch.Tensor.prototype;
  for (const k of Object.getOwnPropertyNames(proto).sort()) {
    if (k === 'constructor' || k.startsWith('_')) continue;
    const dsc = Object.getOwnPropertyDescriptor(proto, k);
    if (!dsc || typeof dsc.value !== 'function') continue;
    const sigs = idx.get(`Tensor#${k}`) || [untyped(Math.min(dsc.value.length, 3))];
    out.push({ id: `Tensor#${k}`, kind: 'method', path: k, signatures: sigs });
  }
  for (const k of Object.keys(torch).sort()) {
    let C;
    try { C = torch[k]; } catch { continue; }
    if (typeof C !== 'function' || !/^[A-Z]/.test(k) || k === 'TorchError') continue;
    out.push({ id: `new ${k}`, kind: 'new', path: k, signatures: [untyped(Math.min(Math.max(C.length, 1), 3))] });
  }
  const Module = torch.nn.Module;
  for (const k of Object.keys(torch.nn).sort()) {
    const C = torch.nn[k];
    if (!isClass(C) || k.startsWith('_') || !(C === Module || C.prototype instanceof Module)) continue;
    out.push({ id: `nn.${k}`, kind: 'nn', path: k, signatures: [untyped(Math.min(Math.max(C.length, 1), 4))] });
  }
  for (const k of Object.keys(torch.optim).sort()) {
    const C = torch.optim[k];
    if (!isClass(C) || !/^[A-Z]/.test(k) || k === 'Optimizer') continue;
    out.push({ id: `optim.${k}`, kind: 'optim', path: k, signatures: [untyped(2)] });
  }
  return out;
}

module.exports = { walk, lookup, isClass };
