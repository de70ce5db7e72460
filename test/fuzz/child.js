// Child process of the fuzz runner: runs cases[start..] from a JSON file, one at a time, and
// reports each on stdout with synchronous writes (so the parent knows which case was in flight
// when a crash or a hang stopped the process):
//   S <i>            case i starts
//   R <i> <json>     case i ended: {o: 'ok'|'clean'|'unclean'|'unhelpful'|'setup', c: class, m: message, kb: peak KiB}
// Usage: node child.js CASES.json START
'use strict';
const fs = require('fs');
const path = require('path');
const torch = require(path.join(__dirname, '..', '..', 'dist'));
const { make } = require('./values');
const { lookup } = require('./surface');

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const start = Number(process.argv[3] || 0);
const out = (s) => fs.writeSync(1, s + '\n');
torch.set_num_threads(1);

// Messages that show JavaScript internals or raw N-API instead of naming the argument.
const INTERNAL = /Cannot read propert|is not a function|is not iterable|Invalid array length|Cannot use 'in' operator|Cannot convert .* to (?:a )?(?:BigInt|number|primitive|object)|Maximum call stack|Cannot create property|is not a constructor|cannot be invoked without 'new'|Do not know how to serialize a BigInt|Cannot mix BigInt|Reduce of empty array|Invalid typed array length|Array buffer allocation failed|Cannot destructure|^\w+ is not defined|Invalid string length|^An? (?:number|string|object|boolean|array|bigint|function) was expected|Cannot set propert|Cannot assign to read only|Cannot add property|object is not extensible|Cannot redefine property/;
// Messages of a clean class that still do not help the caller.
const UNHELPFUL = /\[object Object\]|INTERNAL ASSERT|please report a bug|Exception raised from|\bundefined\b.*\bundefined\b|^\s*$/;

function classify(e) {
  const isErr = e instanceof Error;
  const msg = isErr ? String(e.message) : String(e);
  const cls = isErr ? e.constructor.name : typeof e;
  const clean = e instanceof torch.TorchError || e instanceof TypeError || e instanceof RangeError;
  if (!clean || INTERNAL.test(msg)) return { o: 'unclean', c: cls, m: msg.slice(0, 300) };
  if (UNHELPFUL.test(msg) || msg.length < 10) return { o: 'unhelpful', c: cls, m: msg.slice(0, 300) };
  return { o: 'clean', c: cls, m: msg.slice(0, 300) };
}

function hwmKiB() {
  const s = fs.readFileSync('/proc/self/status', 'utf8');
  const m = /VmHWM:\s+(\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
function rssKiB() {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}
function resetHwm() { try { fs.writeFileSync('/proc/self/clear_refs', '5'); } catch { /* not Linux */ } }

function call(c, made) {
  const args = c.args.map((d) => make(d, torch, made));
  const kind = c.kind;
  const name = c.target.replace(/^(Tensor#|new |load:|nn\.(?=[A-Z_])|optim\.(?=[A-Z]))/, '');
  if (kind === 'method') {
    const recv = make(c.recv, torch, made);
    return () => recv[name](...args);
  }
  if (kind === 'new') return () => new torch[name](...args);
  if (kind === 'nn') {
    const fwd = c.fwd.map((d) => make(d, torch, made));
    return () => {
      const m = new torch.nn[name](...args);
      return m.forward(...fwd);
    };
  }
  if (kind === 'optim') {
    return () => {
      const o = new torch.optim[name](...args);
      for (const g of o.param_groups) for (const p of g.params) if (p.grad === null) p.grad = torch.ones_like(p);
      return o.step();
    };
  }
  if (kind === 'load') return () => lookup(torch, name)(...args);
  const f = lookup(torch, name);
  return () => f(...args);
}

// Bytes held by the tensors in what a loader returned (its "real tensor bytes").
function tensorBytes(x, depth = 0, seen = new Set()) {
  if (depth > 6 || x === null || typeof x !== 'object' || seen.has(x)) return 0;
  seen.add(x);
  if (x instanceof torch.Tensor) { try { return x.numel() * x.element_size(); } catch { return 0; } }
  let n = 0;
  const vals = x instanceof Map ? [...x.values()] : Array.isArray(x) ? x : Object.values(x);
  for (const y of vals.slice(0, 10000)) n += tensorBytes(y, depth + 1, seen);
  return n;
}

function disposeAll(x, depth = 0) {
  if (depth > 4 || x === null || typeof x !== 'object') return;
  if (x instanceof torch.Tensor) { try { x.dispose(); } catch { /* already */ } return; }
  const vals = x instanceof Map ? [...x.values()] : Array.isArray(x) ? x
    : Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null ? Object.values(x) : [];
  for (const y of vals.slice(0, 1000)) disposeAll(y, depth + 1);
}

async function main() {
  for (let i = start; i < cases.length; i++) {
    out(`S ${i}`);
    const made = [];
    let r;
    let f;
    try { f = call(cases[i], made); } catch (e) { r = { o: 'setup', c: e && e.constructor.name, m: String(e && e.message).slice(0, 200) }; }
    resetHwm();
    const base = rssKiB();
    if (!r) {
      try {
        let v = f();
        if (v && typeof v.then === 'function') v = await v;
        r = { o: 'ok' };
        if (cases[i].target.startsWith('load:')) r.tb = tensorBytes(v);
        disposeAll(v);
      } catch (e) {
        r = classify(e);
      }
    }
    r.kb = Math.max(0, hwmKiB() - base);
    for (const t of made) { try { t.dispose(); } catch { /* disposed by the call */ } }
    // state a call may have changed for the cases after it
    try { torch.set_default_dtype(torch.float32); torch.set_grad_enabled(true); torch.set_num_threads(1); } catch { /* keep going */ }
    out(`R ${i} ${JSON.stringify(r)}`);
  }
}

process.on('unhandledRejection', () => { /* a rejected promise the call dropped: its own case reported */ });
main().then(() => process.exit(0), (e) => { out(`X ${String(e && e.stack)}`); process.exit(3); });
