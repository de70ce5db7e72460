#!/usr/bin/env node
// torch.save / torch.load: peak memory and load speed, torch-node against Python PyTorch in the
// same run (each measurement in a fresh process, so peaks do not mix).
//
//   node bench/serialization.js memory [MB]   peak RSS saving and loading an MB-sized state_dict
//                                            (default 1024), against Python's torch.save/load
//   node bench/serialization.js speed [MB]    torch.load time of a state_dict written by Python
//                                            (default 100), median of 7, against Python's; and
//                                            torch.load_async: time, and the longest event-loop
//                                            stall while it runs (monitorEventLoopDelay max)
//   node bench/serialization.js ratio [MB] [N]  torch.save and torch.load of an MB-sized
//                                            state_dict (default 100; 50 float32 tensors), best of
//                                            N (default 9) interleaved rounds: each round times one
//                                            save and one load in a Python process and in a Node
//                                            process that stay up for the whole run, alternating
//                                            which goes first; prints both times and the ratios
//
// Peak RSS is the kernel's high-water mark (VmHWM in /proc/self/status, Linux only). Files go to
// $TMPDIR and are removed afterwards. Run after `npm run setup`.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const PY = '/usr/bin/python3';
const MiB = 1 << 20;

function status() {
  const s = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)[1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

// ------------------------------------------------------------------ child roles
const PY_CHILD = `
import sys, time, json, torch, collections
role, f, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
def st():
    d = dict(l.split(':', 1) for l in open('/proc/self/status'))
    return {'rss': int(d['VmRSS'].split()[0]) * 1024, 'hwm': int(d['VmHWM'].split()[0]) * 1024}
if role == 'save':
    n = 16
    sd = collections.OrderedDict((f'layer{i}.weight', torch.randn(mb * 2**20 // 4 // n)) for i in range(n))
    before = st()
    torch.save(sd, f)
    print(json.dumps({'before': before, 'after': st()}))
elif role == 'load':
    before = st()
    sd = torch.load(f)
    print(json.dumps({'before': before, 'after': st(), 'bytes': sum(t.numel() * t.element_size() for t in sd.values())}))
elif role == 'write':  # a state_dict of about mb MB in 50 tensors of mixed shapes
    torch.manual_seed(0)
    sd = collections.OrderedDict()
    per = mb * 2**20 // 4 // 50
    for i in range(25):
        sd[f'block{i}.conv.weight'] = torch.randn(per // 9, 3, 3)
        sd[f'block{i}.bn.running_mean'] = torch.randn(per)
    torch.save(sd, f)
elif role == 'time':
    import resource
    times, cpu = [], []
    for _ in range(8):
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter(); sd = torch.load(f); times.append(time.perf_counter() - t0); del sd
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    times, cpu = sorted(times[1:]), sorted(cpu[1:])
    print(json.dumps({'ms': times[len(times) // 2] * 1000, 'cpu_ms': cpu[len(cpu) // 2] * 1000}))
`;

function nodeChild(role, f, mb) {
  const torch = require('../dist');
  if (role === 'save') {
    const n = 16;
    const sd = {};
    for (let i = 0; i < n; i++) sd[`layer${i}.weight`] = torch.randn([Math.floor((mb * MiB) / 4 / n)]);
    const before = status();
    torch.save(sd, f);
    return { before, after: status() };
  }
  if (role === 'load') {
    const before = status();
    const sd = torch.load(f);
    let bytes = 0;
    for (const t of Object.values(sd)) bytes += t.numel() * t.element_size();
    return { before, after: status(), bytes };
  }
  if (role === 'time') {
    const times = [];
    const cpu = [];
    for (let i = 0; i < 8; i++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const sd = torch.load(f);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      torch.dispose(sd);
    }
    const med = (a) => a.slice(1).sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
    return { ms: med(times), cpu_ms: med(cpu) };
  }
  if (role === 'time_async') {
    const { monitorEventLoopDelay } = require('perf_hooks');
    return (async () => {
      const times = [];
      const stalls = [];
      for (let i = 0; i < 8; i++) {
        const eld = monitorEventLoopDelay({ resolution: 1 });
        eld.enable();
        const t0 = process.hrtime.bigint();
        const sd = await torch.load_async(f);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        eld.disable();
        stalls.push(eld.max / 1e6);
        torch.dispose(sd);
      }
      const med = (a) => a.slice(1).sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
      return { ms: med(times), stall_ms: med(stalls) };
    })();
  }
  throw new Error(`unknown role ${role}`);
}

// A child that stays up and times one operation per request line ("save" or "load"): the same
// state_dict on both sides (the one Python wrote, loaded once), saved to its own file.
const PY_SERVER = `
import sys, time, json, torch
f, out = sys.argv[1], sys.argv[2]
sd = torch.load(f)
print('ready', flush=True)
for line in sys.stdin:
    op = line.strip()
    c0, t0 = time.process_time(), time.perf_counter()
    if op == 'save':
        torch.save(sd, out)
    else:
        x = torch.load(f); del x
    print(json.dumps({'ms': (time.perf_counter() - t0) * 1000, 'cpu_ms': (time.process_time() - c0) * 1000}), flush=True)
`;

function nodeServer(f, out) {
  const torch = require('../dist');
  const sd = torch.load(f);
  const rl = require('readline').createInterface({ input: process.stdin });
  console.log('ready');
  rl.on('line', (line) => {
    const op = line.trim();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (op === 'save') torch.save(sd, out);
    else torch.dispose(torch.load(f));
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t0) / 1e6, cpu_ms: (c.user + c.system) / 1000 }));
  });
}

/** A line-protocol child: request(op) resolves to its reply. */
function server(cmd, args) {
  const { spawn } = require('child_process');
  const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const waiting = [];
  p.stdout.on('data', (d) => {
    buf += d;
    let k;
    while ((k = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, k);
      buf = buf.slice(k + 1);
      const w = waiting.shift();
      if (w) w(line);
    }
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));
  return {
    ready: next(),
    request: (op) => { const r = next(); p.stdin.write(`${op}\n`); return r.then((l) => JSON.parse(l)); },
    close: () => p.stdin.end(),
  };
}

async function ratio(mb, n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-bench-'));
  try {
    const f = path.join(dir, 'sd.pt');
    run('python', 'write', f, mb);
    const size = fs.statSync(f).size;
    const py = server(PY, ['-c', PY_SERVER, f, path.join(dir, 'py_out.pt')]);
    const js = server(process.execPath, [__filename, '--server', f, path.join(dir, 'js_out.pt')]);
    await Promise.all([py.ready, js.ready]);
    const inf = () => ({ save: Infinity, load: Infinity });
    const best = { py: inf(), js: inf() };
    const bestCpu = { py: inf(), js: inf() };
    for (let i = 0; i < n; i++) {
      const order = i % 2 ? [['py', py], ['js', js]] : [['js', js], ['py', py]];
      for (const op of ['save', 'load']) {
        for (const [k, s] of order) {
          const r = await s.request(op);
          best[k][op] = Math.min(best[k][op], r.ms);
          bestCpu[k][op] = Math.min(bestCpu[k][op], r.cpu_ms);
        }
      }
    }
    py.close();
    js.close();
    console.log(`${(size / MiB).toFixed(0)} MiB state_dict (50 float32 tensors), best of ${n} interleaved rounds:`);
    for (const op of ['save', 'load']) {
      console.log(`  torch.${op}  wall: PyTorch ${best.py[op].toFixed(1)} ms, torch-node ${best.js[op].toFixed(1)} ms, ratio ${(best.js[op] / best.py[op]).toFixed(2)}x` +
        `   CPU: PyTorch ${bestCpu.py[op].toFixed(1)} ms, torch-node ${bestCpu.js[op].toFixed(1)} ms, ratio ${(bestCpu.js[op] / bestCpu.py[op]).toFixed(2)}x`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(lang, role, f, mb) {
  const r = lang === 'node'
    ? spawnSync(process.execPath, ['--expose-gc', __filename, '--child', role, f, String(mb)], { encoding: 'utf8', maxBuffer: 1 << 24 })
    : spawnSync(PY, ['-c', PY_CHILD, role, f, String(mb)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${lang} ${role} failed:\n${r.stderr}`);
  const out = r.stdout.trim();
  return out ? JSON.parse(out.split('\n').pop()) : null;
}

const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;

function memory(mb) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-bench-'));
  try {
    console.log(`state_dict of ${mb} MiB in 16 float32 tensors (peak = VmHWM of a fresh process)`);
    console.log('                      tensors made   peak during save   peak during load   load: before → peak');
    for (const lang of ['node', 'python']) {
      const f = path.join(dir, `${lang}.pt`);
      const s = run(lang, 'save', f, mb);
      const l = run(lang, 'load', f, mb);
      console.log(`${lang === 'node' ? 'torch-node' : 'PyTorch   '}           ${gib(s.before.rss).padStart(9)}       ${gib(s.after.hwm).padStart(9)}          ${gib(l.after.hwm).padStart(9)}         ${gib(l.before.rss)} → ${gib(l.after.hwm)}`);
      fs.unlinkSync(f);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function speed(mb) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-bench-'));
  try {
    const f = path.join(dir, 'sd.pt');
    run('python', 'write', f, mb);
    const size = fs.statSync(f).size;
    const py = run('python', 'time', f, mb);
    const js = run('node', 'time', f, mb);
    const ja = run('node', 'time_async', f, mb);
    console.log(`torch.load of a ${(size / MiB).toFixed(0)} MiB state_dict written by Python (50 tensors), median of 7 warm runs:`);
    console.log(`  wall  PyTorch ${py.ms.toFixed(1)} ms   torch-node ${js.ms.toFixed(1)} ms   ratio ${(js.ms / py.ms).toFixed(2)}x`);
    console.log(`  CPU   PyTorch ${py.cpu_ms.toFixed(1)} ms   torch-node ${js.cpu_ms.toFixed(1)} ms   ratio ${(js.cpu_ms / py.cpu_ms).toFixed(2)}x  (user+system time: steadier on a busy machine)`);
    console.log(`  torch.load_async ${ja.ms.toFixed(1)} ms; longest event-loop stall while loading: ${ja.stall_ms.toFixed(1)} ms (torch.load blocks it for the whole load)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--server') {
  nodeServer(process.argv[3], process.argv[4]);
} else if (process.argv[2] === '--child') {
  const [, , , role, f, mb] = process.argv;
  Promise.resolve(nodeChild(role, f, Number(mb))).then((r) => {
    if (r) console.log(JSON.stringify(r));
  });
} else {
  const mode = process.argv[2] || 'memory';
  const mb = Number(process.argv[3] || (mode === 'memory' ? 1024 : 100));
  if (mode === 'memory') memory(mb);
  else if (mode === 'speed') speed(mb);
  else if (mode === 'ratio') ratio(mb, Number(process.argv[4] || 9));
  else throw new Error('usage: node bench/serialization.js memory|speed|ratio [MB] [N]');
}
