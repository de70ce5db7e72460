// Argument descriptors: a JSON-able description of one argument value. The parent process builds
// and shrinks cases as descriptors; the child materializes them (`make`), and a finding is
// printed as JavaScript source (`source`), so every reproduction is one line of code.
//   ['t', shape, dtype, flag?]   a tensor of ones*0.5 (flag: disposed | sparse | quantized | noncontig | grad)
//   ['n', 'NaN' | 'Infinity' | '-Infinity' | '-0' | number]   a number
//   ['b', '123']                 a BigInt
//   ['s', str] ['bool', v] ['null'] ['undef'] ['dtype', name] ['fn'] ['sym'] ['obj'] ['date']
//   ['arr', [descs]]             an array of descriptors
//   ['kw', {name: desc}]         an options object
//   ['cyc']                      an array that contains itself
//   ['holey', n]                 an empty array of length n
//   ['ab', n]                    an ArrayBuffer of n bytes
//   ['mod']                      an nn.Linear(2, 2) where something else is expected
//   ['file', path]               a Buffer read from path (malformed-file cases)
'use strict';

function make(d, torch, made) {
  switch (d[0]) {
    case 't': return tensor(d, torch, made);
    case 'n': return typeof d[1] === 'number' ? d[1] : Number(d[1]);
    case 'b': return BigInt(d[1]);
    case 's': return d[1];
    case 'bool': return d[1];
    case 'null': return null;
    case 'undef': return undefined;
    case 'dtype': return torch[d[1]];
    case 'fn': return () => 1;
    case 'sym': return Symbol('fuzz');
    case 'obj': return {};
    case 'date': return new Date(0);
    case 'arr': return d[1].map((x) => make(x, torch, made));
    case 'kw': {
      const o = {};
      for (const [k, v] of Object.entries(d[1])) o[k] = make(v, torch, made);
      return o;
    }
    case 'cyc': { const a = [1]; a.push(a); return a; }
    case 'holey': return new Array(d[1]);
    case 'ab': return new ArrayBuffer(d[1]);
    case 'mod': return new torch.nn.Linear(2, 2);
    case 'file': return require('fs').readFileSync(d[1]);
    default: throw new Error(`unknown descriptor ${JSON.stringify(d)}`);
  }
}

function tensor(d, torch, made) {
  const [, shape, dtype, flag] = d;
  let t;
  if (flag === 'quantized') {
    t = torch.quantize_per_tensor(torch.full(shape, 0.5), 0.1, 0, torch[dtype || 'quint8']);
  } else if (flag === 'sparse') {
    t = torch.full(shape, 0.5, { dtype: torch[dtype] }).to_sparse();
  } else if (flag === 'noncontig') {
    t = torch.full(shape.slice().reverse(), 0.5, { dtype: torch[dtype] }).permute(...shape.map((_, i) => shape.length - 1 - i));
  } else {
    t = torch.full(shape, dtype === 'bool' ? 1 : 0.5, { dtype: torch[dtype] });
    if (flag === 'grad') t.requires_grad_(true);
  }
  if (flag === 'disposed') t.dispose();
  else made.push(t);
  return t;
}

const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

function source(d) {
  switch (d[0]) {
    case 't': {
      const [, shape, dtype, flag] = d;
      const sh = JSON.stringify(shape);
      if (flag === 'quantized') return `torch.quantize_per_tensor(torch.full(${sh}, 0.5), 0.1, 0, torch.${dtype || 'quint8'})`;
      const base = `torch.full(${sh}, ${dtype === 'bool' ? 1 : 0.5}, {dtype: torch.${dtype}})`;
      if (flag === 'sparse') return `${base}.to_sparse()`;
      if (flag === 'noncontig') return `torch.full(${JSON.stringify(shape.slice().reverse())}, 0.5, {dtype: torch.${dtype}}).permute(${shape.map((_, i) => shape.length - 1 - i).join(', ')})`;
      if (flag === 'grad') return `${base}.requires_grad_(true)`;
      if (flag === 'disposed') return `(t => (t.dispose(), t))(${base})`;
      return base;
    }
    case 'n': return typeof d[1] === 'number' ? (Object.is(d[1], -0) ? '-0' : String(d[1])) : SPECIAL.has(d[1]) ? d[1] : String(d[1]);
    case 'b': return `${d[1]}n`;
    case 's': return JSON.stringify(d[1]);
    case 'bool': return String(d[1]);
    case 'null': return 'null';
    case 'undef': return 'undefined';
    case 'dtype': return `torch.${d[1]}`;
    case 'fn': return '() => 1';
    case 'sym': return "Symbol('fuzz')";
    case 'obj': return '{}';
    case 'date': return 'new Date(0)';
    case 'arr': return `[${d[1].map(source).join(', ')}]`;
    case 'kw': return `{${Object.entries(d[1]).map(([k, v]) => `${k}: ${source(v)}`).join(', ')}}`;
    case 'cyc': return '(a => (a.push(a), a))([1])';
    case 'holey': return `new Array(${d[1]})`;
    case 'ab': return `new ArrayBuffer(${d[1]})`;
    case 'mod': return 'new torch.nn.Linear(2, 2)';
    case 'file': return `fs.readFileSync(${JSON.stringify(d[1])})`;
    default: return '?';
  }
}

// How simple a descriptor is, for the shrinker: smaller is simpler.
function weight(d) {
  switch (d[0]) {
    case 'null': case 'undef': return 1;
    case 'n': case 'bool': case 'b': case 's': case 'dtype': return 2;
    case 't': return 3 + d[1].length + (d[3] ? 2 : 0);
    case 'arr': return 2 + d[1].reduce((s, x) => s + weight(x), 0);
    case 'kw': return 2 + Object.values(d[1]).reduce((s, x) => s + weight(x), 0);
    default: return 4;
  }
}

module.exports = { make, source, weight };
