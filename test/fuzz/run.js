#!/usr/bin/env node
// The fuzzer: every public function, Tensor method, nn class and optimizer, and the file loaders,
// called with generated bad arguments in child processes; prints the counts and each finding,
// shrunk to one line of JavaScript.
//   npm run fuzz -- [--seed N] [--time SECONDS] [--per-target N] [--files N] [--hang-ms MS]
//                   [--only REGEX] [--jobs N] [--out FILE.json] [--no-shrink] [--keep-files DIR]
//   node test/fuzz/run.js --sample      the fixed-seed sample that `npm test` runs
// Needs the built addon and dist/ (npm run setup).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { rng, caseFor } = require('./cases');
const { walk } = require('./surface');
const { runCases } = require('./runner');
const { shrink, repro, outcomeKey } = require('./shrink');
const files = require('./files');

function parse(argv) {
  const o = { seed: Date.now() % 1e9, time: 600, per_target: Infinity, files: 2000, hang_ms: 10000, only: null, jobs: 1, out: null, shrink: true, batch: 3000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--seed') o.seed = Number(v());
    else if (a === '--time') o.time = Number(v());
    else if (a === '--per-target') o.per_target = Number(v());
    else if (a === '--files') o.files = Number(v());
    else if (a === '--hang-ms') o.hang_ms = Number(v());
    else if (a === '--only') o.only = new RegExp(v());
    else if (a === '--jobs') o.jobs = Number(v());
    else if (a === '--out') o.out = v();
    else if (a === '--no-shrink') o.shrink = false;
    else if (a === '--keep-files') o.keep_files = v();
    else if (a === '--sample') Object.assign(o, { seed: 14, time: Infinity, per_target: 2, files: 60, hang_ms: 30000, shrink: false, sample: true });
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const BAD = ['crash', 'hang', 'memory', 'unclean', 'unhelpful'];
const LISTED = [...BAD, 'large'];

async function main() {
  const o = parse(process.argv.slice(2));
  const torch = require(path.join(__dirname, '..', '..', 'dist'));
  let targets = walk(torch);
  if (o.only) targets = targets.filter((t) => o.only.test(t.id));
  const r = rng(o.seed);
  const deadline = Date.now() + o.time * 1000;
  const all = [];
  const results = [];
  const tmp = o.keep_files ? (fs.mkdirSync(o.keep_files, { recursive: true }), o.keep_files) : fs.mkdtempSync(path.join(os.tmpdir(), 'torch-fuzz-files-'));
  const runOpts = { hang_ms: o.hang_ms };
  const tally = (rs) => { const c = {}; for (const x of rs) if (x) c[x.o] = (c[x.o] || 0) + 1; return JSON.stringify(c); };
  const progress = { ...runOpts, onProgress: o.sample ? undefined : (rs) => process.stderr.write(`    ${tally(rs)}\n`) };

  // ops: rounds over every target until the time or the per-target count is spent (the files
  // below are a fixed count, after the time)
  const perRound = Math.max(1, Math.floor(o.batch / Math.max(targets.length, 1)));
  for (let done = 0; done < o.per_target && Date.now() < deadline;) {
    const k = Math.min(perRound, o.per_target - done);
    const batch = [];
    for (const t of targets) for (let j = 0; j < k; j++) batch.push(caseFor(r, t));
    const chunks = Array.from({ length: o.jobs }, (_, j) => batch.filter((_, i) => i % o.jobs === j));
    const outs = await Promise.all(chunks.map((c) => runCases(c, progress)));
    chunks.forEach((c, j) => { all.push(...c); results.push(...outs[j].results); });
    done += k;
    if (!o.sample) process.stderr.write(`  ${all.length} calls\n`);
  }
  // files
  let fileCases = [];
  let fileResults = [];
  if (o.files > 0) {
    fileCases = files.generate(r, o.files, tmp);
    fileResults = (await runCases(fileCases, runOpts)).results;
  }

  const count = (rs) => {
    const c = { calls: rs.length, ok: 0, clean: 0, unclean: 0, unhelpful: 0, crash: 0, hang: 0, memory: 0, large: 0, setup: 0 };
    for (const x of rs) c[x.o] = (c[x.o] || 0) + 1;
    return c;
  };
  const ops = count(results);
  const fl = count(fileResults);
  // peak memory while loading, over (file bytes + tensor bytes), for files of 64 KiB and more
  // (below that the process's own growth, a few MiB, is all one sees)
  let peakRatio = 0;
  let peakMiB = 0;
  fileResults.forEach((x, i) => {
    peakMiB = Math.max(peakMiB, (x.kb || 0) / 1024);
    const size = fileCases[i].size;
    if (size >= 65536) peakRatio = Math.max(peakRatio, ((x.kb || 0) * 1024) / (size + (x.tb || 0)));
  });

  // findings: one per target and outcome class, shrunk
  const groups = new Map();
  const cs = all.concat(fileCases);
  const rs = results.concat(fileResults);
  rs.forEach((x, i) => {
    if (!LISTED.includes(x.o)) return;
    const key = `${cs[i].target} ${outcomeKey(x)}`;
    if (!groups.has(key)) groups.set(key, { case: cs[i], result: x, n: 0 });
    groups.get(key).n++;
  });
  const findings = [];
  let shrunk = 0; // the first 40 groups, most severe first, are shrunk
  for (const g of [...groups.values()].sort((a, b) => LISTED.indexOf(a.result.o) - LISTED.indexOf(b.result.o))) {
    let c = g.case;
    if (o.shrink && shrunk < 40 && g.result.o !== 'large' && !c.target.startsWith('load:')) { shrunk++; c = await shrink(c, g.result, runOpts); }
    findings.push({ outcome: g.result.o, n: g.n, target: c.target, repro: repro(c), how: c.how, signal: g.result.sig, error: g.result.c, message: g.result.m });
  }

  const summary = {
    seed: o.seed, targets: targets.length, calls: ops.calls, crashes: ops.crash, hangs: ops.hang, memory: ops.memory,
    clean: ops.clean, unclean: ops.unclean, unhelpful: ops.unhelpful, ok: ops.ok, large: ops.large, setup: ops.setup,
    files: fl.calls, file_crashes: fl.crash, file_hangs: fl.hang, file_memory: fl.memory, file_clean: fl.clean,
    file_unclean: fl.unclean, file_unhelpful: fl.unhelpful, file_loaded: fl.ok,
    file_peak_mib: Number(peakMiB.toFixed(1)), file_peak_ratio: Number(peakRatio.toFixed(2)),
  };
  if (!o.keep_files) fs.rmSync(tmp, { recursive: true, force: true });
  if (o.out) fs.writeFileSync(o.out, JSON.stringify({ summary, findings }, null, 1));
  if (o.sample) { process.stdout.write(JSON.stringify({ summary, findings }) + '\n'); return; }
  console.log(`seed ${o.seed}: ${summary.calls} calls over ${summary.targets} targets; ${summary.crashes} crashes, ${summary.hangs} hangs, ${summary.memory} memory; ${summary.clean} clean, ${summary.unclean} unclean, ${summary.unhelpful} unhelpful errors; ${summary.ok} returned; ${summary.large} large requests (hang or memory on a size of 2**16..2**50, listed, not findings)`);
  console.log(`files: ${summary.files} loads; ${summary.file_crashes} crashes, ${summary.file_hangs} hangs, ${summary.file_memory} memory; ${summary.file_clean} clean, ${summary.file_unclean} unclean, ${summary.file_unhelpful} unhelpful; ${summary.file_loaded} loaded; peak ${summary.file_peak_mib} MiB, peak/(file+tensor bytes) ${summary.file_peak_ratio}`);
  for (const f of findings) console.log(`[${f.outcome}${f.signal ? ' ' + f.signal : ''}] ×${f.n} ${f.repro}${f.how ? '  (' + f.how + ')' : ''}\n    ${f.error || ''}: ${String(f.message || '').split('\n')[0].slice(0, 200)}`);
  process.exitCode = summary.crashes + summary.hangs + summary.memory + summary.file_crashes + summary.file_hangs + summary.file_memory > 0 ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exit(2); });
