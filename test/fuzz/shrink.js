// Shrinker: reduces a finding to a smaller case with the same outcome (dropping trailing
// arguments, array elements and options; replacing arguments by simpler values), greedily, a few
// rounds, each round one batch of candidates run in child processes. `repro` prints a case as one
// line of JavaScript.
'use strict';
const { source, weight } = require('./values');
const { runCases } = require('./runner');

const SIMPLER = [['null'], ['n', 0], ['n', 1], ['t', [2], 'float32'], ['t', [2, 3], 'float32']];

function caseWeight(c) {
  return (c.recv ? weight(c.recv) : 0) + c.args.reduce((s, d) => s + weight(d), 0)
    + (c.fwd ? c.fwd.reduce((s, d) => s + weight(d), 0) : 0) + c.args.length;
}

// Descriptors one step simpler than d.
function simplerDesc(d) {
  const out = SIMPLER.filter((s) => weight(s) < weight(d));
  if (d[0] === 'arr') {
    for (let i = 0; i < d[1].length; i++) out.push(['arr', d[1].filter((_, k) => k !== i)]);
    for (let i = 0; i < d[1].length; i++) for (const s of simplerDesc(d[1][i])) out.push(['arr', d[1].map((x, k) => (k === i ? s : x))]);
  }
  if (d[0] === 'kw') {
    for (const k of Object.keys(d[1])) {
      const o = { ...d[1] };
      delete o[k];
      out.push(['kw', o]);
      for (const s of simplerDesc(d[1][k])) out.push(['kw', { ...d[1], [k]: s }]);
    }
  }
  if (d[0] === 't' && d[3]) out.push(['t', d[1], d[2]]);
  if (d[0] === 't' && d[1].length > 1) out.push(['t', d[1].slice(1), d[2], d[3]].filter((x) => x !== undefined));
  return out;
}

function candidates(c) {
  const out = [];
  const lists = ['args', 'fwd'].filter((k) => c[k]);
  for (const k of lists) {
    if (c[k].length > 0) out.push({ ...c, [k]: c[k].slice(0, -1) });
    c[k].forEach((d, i) => {
      for (const s of simplerDesc(d)) out.push({ ...c, [k]: c[k].map((x, j) => (j === i ? s : x)) });
    });
  }
  if (c.recv) for (const s of simplerDesc(c.recv).filter((x) => x[0] === 't')) out.push({ ...c, recv: s });
  return out.filter((x) => caseWeight(x) < caseWeight(c));
}

function outcomeKey(r) {
  if (r.o === 'crash') return `crash ${r.sig}`;
  if (r.o === 'hang' || r.o === 'memory') return r.o;
  return `${r.o} ${r.c} ${String(r.m || '').replace(/[0-9]+/g, '#').slice(0, 60)}`;
}

async function shrink(c, result, opts = {}) {
  const key = outcomeKey(result);
  let best = c;
  for (let round = 0; round < (opts.rounds ?? 8); round++) {
    const cand = candidates(best).slice(0, opts.max_candidates ?? 60);
    if (cand.length === 0) break;
    const { results } = await runCases(cand, opts);
    let pick = -1;
    for (let i = 0; i < cand.length; i++) {
      if (outcomeKey(results[i]) === key && (pick < 0 || caseWeight(cand[i]) < caseWeight(cand[pick]))) pick = i;
    }
    if (pick < 0) break;
    best = cand[pick];
  }
  return best;
}

function repro(c) {
  const a = (xs) => xs.map(source).join(', ');
  const t = c.target;
  if (c.kind === 'nn') return `new torch.${t}(${a(c.args)}).forward(${a(c.fwd)})`;
  if (c.kind === 'optim') return `new torch.${t}(${a(c.args)}).step()`;
  if (t.startsWith('Tensor#')) return `${source(c.recv)}.${t.slice(7)}(${a(c.args)})`;
  if (t.startsWith('new ')) return `new torch.${t.slice(4)}(${a(c.args)})`;
  if (t.startsWith('load:')) return `torch.${t.slice(5)}(${a(c.args)})`;
  if (/^nn\.[A-Z]/.test(t)) return `new torch.${t}(${a(c.args)}).forward(${a(c.fwd)})`;
  if (/^optim\.[A-Z]/.test(t)) return `new torch.${t}(${a(c.args)}).step()`;
  return `torch.${t}(${a(c.args)})`;
}

module.exports = { shrink, repro, outcomeKey };
