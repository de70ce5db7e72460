#!/usr/bin/env node
// torchrun for torch-node: starts `nproc_per_node` worker processes of a Node script on this node,
// with the environment torch.distributed's env:// rendezvous reads, and stops them all as soon as
// one fails.
//
//   torchrun [--nnodes N] [--node_rank R] [--nproc_per_node P] [--master_addr A] [--master_port Q]
//            [--standalone] script.js [script args...]
//
// Each worker gets RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, GROUP_RANK, ROLE_RANK,
// ROLE_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, TORCHELASTIC_RUN_ID (and OMP_NUM_THREADS=1 when
// unset and more than one worker runs, as torchrun does).
'use strict';
const { spawn } = require('child_process');
const net = require('net');
const os = require('os');

const USAGE = `usage: torchrun [--nnodes NNODES] [--node_rank NODE_RANK] [--nproc_per_node NPROC_PER_NODE]
                [--master_addr MASTER_ADDR] [--master_port MASTER_PORT] [--standalone]
                [--run_id RUN_ID] [--max_restarts 0] training_script [training_script_args ...]`;

function parse(argv) {
  const o = { nnodes: 1, node_rank: 0, nproc_per_node: 1, master_addr: '127.0.0.1', master_port: 29500, standalone: false, run_id: 'none' };
  const ints = new Set(['nnodes', 'node_rank', 'nproc_per_node', 'master_port', 'max_restarts']);
  let i = 0;
  for (; i < argv.length; i++) {
    let a = argv[i];
    if (!a.startsWith('--')) break;
    if (a === '--') { i++; break; }
    if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    if (a === '--standalone') { o.standalone = true; continue; }
    let v;
    const eq = a.indexOf('=');
    if (eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); } else { v = argv[++i]; }
    const key = a.slice(2).replace(/-/g, '_');
    if (!(key in o) && key !== 'max_restarts') fail(`unrecognized argument: ${a}`);
    if (v === undefined) fail(`argument ${a}: expected one argument`);
    if (ints.has(key)) {
      if (key === 'nproc_per_node' && v === 'auto') v = String(os.cpus().length);
      if (!/^\d+$/.test(v)) fail(`argument ${a}: invalid int value: '${v}'`);
      o[key] = Number(v);
    } else o[key] = v;
  }
  if (i >= argv.length) fail('the following arguments are required: training_script');
  o.script = argv[i];
  o.args = argv.slice(i + 1);
  if (o.nproc_per_node < 1) fail('--nproc_per_node must be at least 1');
  if (o.nnodes < 1) fail('--nnodes must be at least 1');
  if (o.node_rank < 0 || o.node_rank >= o.nnodes) fail(`--node_rank must be in [0, ${o.nnodes - 1}]`);
  return o;
}

function fail(msg) {
  console.error(`${USAGE}\ntorchrun: error: ${msg}`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function main() {
  const o = parse(process.argv.slice(2));
  if (o.standalone) {
    o.nnodes = 1;
    o.node_rank = 0;
    o.master_addr = '127.0.0.1';
    o.master_port = await freePort();
    o.run_id = `standalone-${process.pid}`;
  }
  const world = o.nnodes * o.nproc_per_node;
  const env0 = { ...process.env };
  if (o.nproc_per_node > 1 && env0.OMP_NUM_THREADS === undefined) {
    console.error('torchrun: setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed.');
    env0.OMP_NUM_THREADS = '1';
  }
  const children = [];
  let failed = null;
  let stopping = false;
  const stopAll = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
    setTimeout(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }, 5000).unref();
  };
  for (let local = 0; local < o.nproc_per_node; local++) {
    const rank = o.node_rank * o.nproc_per_node + local;
    const env = {
      ...env0,
      RANK: String(rank),
      LOCAL_RANK: String(local),
      WORLD_SIZE: String(world),
      LOCAL_WORLD_SIZE: String(o.nproc_per_node),
      GROUP_RANK: String(o.node_rank),
      ROLE_RANK: String(rank),
      ROLE_WORLD_SIZE: String(world),
      MASTER_ADDR: o.master_addr,
      MASTER_PORT: String(o.master_port),
      TORCHELASTIC_RUN_ID: o.run_id,
    };
    const c = spawn(process.execPath, [o.script, ...o.args], { env, stdio: 'inherit' });
    c.rank = rank;
    c.local = local;
    children.push(c);
    c.on('exit', (code, signal) => {
      if ((code !== 0 || signal) && !stopping && failed === null) {
        failed = { rank, local, code, signal };
        stopAll('SIGTERM');
      }
      if (children.every((x) => x.exitCode !== null || x.signalCode !== null)) done();
    });
    c.on('error', (e) => {
      if (failed === null) failed = { rank, local, code: 1, signal: null, error: e.message };
      stopAll('SIGTERM');
    });
  }
  for (const s of ['SIGINT', 'SIGTERM']) {
    process.on(s, () => {
      if (failed === null) failed = { rank: -1, local: -1, code: 128 + (s === 'SIGINT' ? 2 : 15), signal: s };
      stopAll(s);
    });
  }
  function done() {
    if (failed === null) process.exit(0);
    if (failed.rank >= 0) {
      console.error(
        `torchrun: worker failed: rank ${failed.rank} (local_rank ${failed.local}) ` +
          (failed.signal ? `was killed by ${failed.signal}` : `exited with code ${failed.code}`) +
          (failed.error ? ` (${failed.error})` : '') + `; the other ${children.length - 1} worker(s) were stopped. Script: ${o.script}`,
      );
    }
    process.exit(failed.code || 1);
  }
}

main().catch((e) => {
  console.error(`torchrun: ${e.message}`);
  process.exit(1);
});
