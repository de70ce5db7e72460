#!/usr/bin/env node
// `npm run prebuild [-- TARGET ... | --all]`: builds the addon with prebuildify (node-gyp,
// binding.gyp, stripped) once per libtorch into prebuilds/<platform>-<arch>/
// torch-node.abi<N>.libtorch<x.y>-<cpu|cuda>.node, each next to a .json that records the libtorch
// (version, CUDA or CPU, C++ ABI, c10d backends) and Node ABI it was built against. At load, the
// binary that fits the libtorch found is picked (scripts/find-libtorch.js pickPrebuild); libtorch
// itself is never bundled.
// TARGET: `system` (Debian/Ubuntu's libtorch-dev), an unpacked libtorch or a PyTorch's torch/
// directory (or one holding it), or a torch-*.whl file, unpacked into .cache/wheels/<name>/ (with,
// for a CUDA wheel, the nvidia_* wheels found beside it: their headers and nccl.h). No TARGET: the
// libtorch the finder picks. --all: `system` and every torch-2*.whl in $TORCH_NODE_WHEELS
// (colon-separated directories; default /opt/wheels:/opt/pypi-more/files).
//
// The binary is tagged with the Node ABI, not "napi": the addon uses experimental N-API
// (synchronous GC finalizers), whose behaviour is only promised for the Node it was built with.
//
// node-gyp `rebuild` wipes build/, where cmake-js keeps the development build, so node-gyp runs
// in a staging copy of the build files in a temp directory.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const finder = require('./find-libtorch');
const { nodeGypCommand, nodeDir } = require('./node-gyp');

const root = path.join(__dirname, '..');
const log = (m) => console.log(`[torch-node prebuild] ${m}`);
const fail = (m) => {
  console.error(`[torch-node prebuild] ${m}`);
  process.exit(1);
};

// npm also runs the "prebuild" script as the pre-hook of `npm run build`; that is not a request for
// prebuilt binaries. npm does not say which command it runs, so look at the npm process's arguments.
function ranAsHookOfBuild() {
  if (process.env.npm_lifecycle_event !== 'prebuild' || process.platform !== 'linux') return false;
  let pid = process.ppid;
  for (let i = 0; i < 4 && pid > 1; i++) {
    let argv, stat;
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]+/); // npm sets its title: "npm run build"
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return false;
    }
    const k = argv.findIndex((a) => ['run', 'run-script', 'rum', 'urn'].includes(a));
    if (k >= 0 && argv.slice(k + 1).find((a) => !a.startsWith('-')) === 'build') return true;
    if (k >= 0) return false;
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return false;
}
if (ranAsHookOfBuild()) process.exit(0);

let prebuildify;
try {
  prebuildify = require('prebuildify');
} catch {
  fail('prebuildify is not installed: run `npm install` (it is a devDependency)');
}

/** A wheel unpacked (once) under .cache/wheels/; for a CUDA wheel, its nvidia_* companions beside it. The torch/ directory. */
function unpackWheel(whl) {
  const name = path.basename(whl, '.whl');
  const dest = path.join(root, '.cache', 'wheels', name);
  const torchDir = path.join(dest, 'torch');
  const unzip = (f) => {
    const r = spawnSync('unzip', ['-q', '-o', f, '-d', dest], { stdio: 'inherit' });
    if (r.status !== 0) fail(`unzip ${f} failed (is unzip installed?)`);
  };
  if (!fs.existsSync(path.join(torchDir, 'share', 'cmake', 'Torch', 'TorchConfig.cmake'))) {
    log(`unpacking ${whl} into ${path.relative(root, dest)}`);
    unzip(whl);
  }
  if (fs.existsSync(path.join(torchDir, 'lib', 'libtorch_cuda.so')) && !fs.existsSync(path.join(dest, 'nvidia'))) {
    const dir = path.dirname(whl);
    const nv = fs.readdirSync(dir).filter((f) => /^nvidia_.*\.whl$/.test(f));
    log(`unpacking the ${nv.length} nvidia_* wheels of ${dir} beside it (CUDA headers, nccl.h)`);
    for (const f of nv) unzip(path.join(dir, f));
  }
  return torchDir;
}

function wheelsForAll() {
  const dirs = (process.env.TORCH_NODE_WHEELS || '/opt/wheels:/opt/pypi-more/files').split(':').filter(Boolean);
  const out = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (/^torch-2[^/]*\.whl$/.test(f)) out.push(path.join(d, f));
  }
  return out;
}

/** The environment under which find-libtorch.js (binding.gyp's fields, buildInfo) finds `target`. */
function envFor(target) {
  const env = { ...process.env };
  delete env.LIBTORCH;
  delete env.LIBTORCH_USE_PYTORCH;
  if (target === null) return { env: process.env, label: 'the libtorch the finder picks' };
  if (target === 'system') {
    env.LIBTORCH_USE_PYTORCH = '0';
    return { env, label: 'the system libtorch' };
  }
  const dir = target.endsWith('.whl') ? unpackWheel(path.resolve(target)) : path.resolve(target);
  const ltRoot = finder.libtorchRootIn(dir);
  if (!ltRoot) fail(`${target}: no share/cmake/Torch/TorchConfig.cmake there or in its torch/ or libtorch/`);
  env.LIBTORCH = ltRoot;
  return { env, label: ltRoot };
}

/** find() and buildInfo() as seen under env. */
function infoUnder(env) {
  const r = spawnSync(process.execPath, ['-e', `const f = require(${JSON.stringify(path.join(__dirname, 'find-libtorch.js'))}); const lt = f.find(); console.log(JSON.stringify(lt.found ? { info: f.buildInfo(lt), note: lt.c10d_note } : { error: lt.error || 'libtorch not found: ' + lt.tried.join(', ') }))`], { env, encoding: 'utf8' });
  if (r.status !== 0) fail(`find-libtorch.js failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function buildOne(target) {
  const { env: tenv, label } = envFor(target);
  const found = infoUnder(tenv);
  if (found.error) fail(`${label}: ${found.error}`);
  const info = found.info;
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-prebuild-'));
  for (const f of ['package.json', 'binding.gyp', 'native', 'scripts', 'third_party']) {
    if (fs.existsSync(path.join(root, f))) fs.cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'));
  // prebuildify hands node-gyp a copy of process.env (an env option would be overwritten)
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (!(k in tenv)) delete process.env[k];
  Object.assign(process.env, tenv, { JOBS: String(Math.max(1, Math.min(os.cpus().length, Math.floor(os.totalmem() / 2.5e9)))) });
  const nd = nodeDir();
  if (nd && !process.env.npm_config_nodedir) process.env.npm_config_nodedir = nd; // headers shipped with this Node: no download
  if (!tenv.CXX && spawnSync('which', ['ccache']).status === 0) {
    // the staging directory's name changes each time: hash paths relative to it
    Object.assign(process.env, { CXX: 'ccache g++', CCACHE_BASEDIR: tenv.CCACHE_BASEDIR || os.tmpdir(), CCACHE_NOHASHDIR: '1' });
  }
  const [gypExe] = nodeGypCommand();
  log(`building against ${finder.describe(info)} (${info.libdir}; torch.distributed: ${info.c10d_backends.join(', ') || 'none'}${found.note ? `; ${found.note}` : ''}) for Node ${process.version} (ABI ${process.versions.modules}) in ${stage}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    prebuildify({ cwd: stage, out: stage, napi: false, targets: [process.versions.node], strip: true, nodeGyp: gypExe }, (err) => {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      if (err) fail(`failed: ${err.message || err} (staging directory kept: ${stage})`);
      const tuple = `${process.platform}-${process.arch}`;
      const made = path.join(stage, 'prebuilds', tuple, `torch-node.abi${process.versions.modules}.node`);
      if (!fs.existsSync(made)) fail(`expected ${made} was not produced`);
      const dir = path.join(root, 'prebuilds', tuple);
      fs.mkdirSync(dir, { recursive: true });
      const name = finder.prebuildName(info);
      fs.copyFileSync(made, path.join(dir, `${name}.node`));
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(info, null, 2) + '\n');
      fs.rmSync(stage, { recursive: true, force: true });
      const size = fs.statSync(path.join(dir, `${name}.node`)).size;
      log(`${path.relative(root, path.join(dir, name + '.node'))} (${(size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      resolve();
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  let targets = args.filter((a) => !a.startsWith('-'));
  if (args.includes('--all')) targets = ['system', ...wheelsForAll(), ...targets];
  if (!targets.length) targets = [null];
  for (const t of targets) await buildOne(t);
}
main();
