// Runs cases in child processes (child.js) and classifies each:
//   ok | clean | unclean | unhelpful | setup   reported by the child
//   crash    the child died on a signal (or aborted) while the case was in flight
//   hang     the case ran past hang_ms
//   memory   the child's resident memory passed mem_kill_mb while the case ran, or the case's
//            own peak (VmHWM growth) passed mem_budget_mb
//   large    a hang or memory result of a case that asked for it: an int argument between 2**16
//            and 2**50 (torch.randperm(2**31 - 1) allocates 16 GiB in PyTorch too). Counted and
//            listed, not a finding.
// After a crash, hang or kill the runner starts a fresh child at the next case.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CHILD = path.join(__dirname, 'child.js');

// An int in [2**16, 2**50) anywhere in the case's arguments: a size the machine might hold.
function asksLarge(c) {
  const walk = (d) => {
    if (!Array.isArray(d)) return false;
    if (d[0] === 'n' || d[0] === 'b') { const v = Math.abs(Number(d[1])); return v >= 2 ** 16 && v < 2 ** 50; }
    if (d[0] === 'arr') return d[1].some(walk);
    if (d[0] === 'kw') return Object.values(d[1]).some(walk);
    return false;
  };
  return [...(c.args || []), ...(c.fwd || [])].some(walk);
}

function readRssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

/**
 * Runs cases; resolves to one result per case ({o, c?, m?, kb?, sig?}).
 * opts: hang_ms (10000), mem_kill_mb (3072), mem_budget_mb (1024), cwd (a temporary directory).
 */
function runCases(cases, opts = {}) {
  const hangMs = opts.hang_ms ?? 10000;
  const killKiB = (opts.mem_kill_mb ?? 3072) * 1024;
  const budgetKiB = (opts.mem_budget_mb ?? 1024) * 1024;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-fuzz-'));
  const file = path.join(dir, 'cases.json');
  fs.writeFileSync(file, JSON.stringify(cases));
  const results = new Array(cases.length).fill(null);
  let children = 0;

  const runFrom = (start) => new Promise((resolve) => {
    children++;
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=2048', CHILD, file, String(start)], {
      cwd: opts.cwd || dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    let current = -1;
    let startedAt = 0;
    let killedFor = null;
    let buf = '';
    let err = '';
    const onLine = (line) => {
      if (line.startsWith('S ')) { current = Number(line.slice(2)); startedAt = Date.now(); return; }
      if (line.startsWith('R ')) {
        const sp = line.indexOf(' ', 2);
        const i = Number(line.slice(2, sp));
        const r = JSON.parse(line.slice(sp + 1));
        if (r.kb > budgetKiB) r.o = asksLarge(cases[i]) ? 'large' : 'memory';
        results[i] = r;
        current = -1;
      }
    };
    child.stdout.on('data', (d) => {
      buf += d;
      let k;
      while ((k = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, k)); buf = buf.slice(k + 1); }
    });
    child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
    const timer = setInterval(() => {
      if (current < 0) return;
      if (Date.now() - startedAt > hangMs) { killedFor = 'hang'; child.kill('SIGKILL'); return; }
      if (readRssKiB(child.pid) > killKiB) { killedFor = 'memory'; child.kill('SIGKILL'); }
    }, 50);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (current >= 0 && results[current] === null) {
        const tail = err.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
        results[current] = killedFor ? { o: asksLarge(cases[current]) ? 'large' : killedFor, m: killedFor === 'hang' ? `over ${hangMs} ms` : `RSS over ${killKiB >> 10} MiB` }
          : { o: 'crash', sig: signal || `exit ${code}`, m: tail };
        resolve(current + 1);
      } else {
        const k = results.findIndex((x) => x === null);
        resolve(code === 0 || k < 0 ? cases.length : k);
      }
    });
  });

  return (async () => {
    let i = 0;
    while (i >= 0 && i < cases.length) {
      const next = await runFrom(i);
      i = next <= i ? i + 1 : next; // a child that dies between cases does not stall the run
      if (opts.onProgress) opts.onProgress(results);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    for (let k = 0; k < results.length; k++) if (results[k] === null) results[k] = { o: 'setup', m: 'not run' };
    return { results, children };
  })();
}

module.exports = { runCases };
