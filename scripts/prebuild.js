#!/usr/bin/env node
// `npm run prebuild`: builds the addon with prebuildify (node-gyp, binding.gyp, stripped) into
// prebuilds/<platform>-<arch>/torch-node.abi<N>.node, next to a .json that records the libtorch
// (version, CUDA or CPU, C++ ABI) and Node ABI it was built against; the loader checks it before
// loading (lib/binding.ts). libtorch itself is never bundled.
//
// The binary is tagged with the Node ABI, not "napi": the addon uses experimental N-API
// (synchronous GC finalizers), whose behaviour is only promised for the Node it was built with.
//
// node-gyp `rebuild` wipes build/, where cmake-js keeps the development build, so node-gyp runs
// in a staging copy of the build files (build/prebuild-stage/.. is NOT used: a temp directory).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { buildInfo, describe } = require('./find-libtorch');
const { nodeGypCommand, nodeDir } = require('./node-gyp');

const root = path.join(__dirname, '..');

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
  console.error('prebuildify is not installed: run `npm install` (it is a devDependency)');
  process.exit(1);
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-prebuild-'));
for (const f of ['package.json', 'binding.gyp', 'native', 'scripts']) fs.cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'));

const info = buildInfo();
// prebuildify hands node-gyp a copy of process.env (an env option would be overwritten)
const env = process.env;
Object.assign(env, { JOBS: String(Math.max(1, Math.min(os.cpus().length, Math.floor(os.totalmem() / 2.5e9)))) });
const nd = nodeDir();
if (nd && !env.npm_config_nodedir) env.npm_config_nodedir = nd; // headers shipped with this Node: no download
if (!env.CXX && require('child_process').spawnSync('which', ['ccache']).status === 0) {
  // the staging directory's name changes each time: hash paths relative to it
  Object.assign(env, { CXX: 'ccache g++', CCACHE_BASEDIR: env.CCACHE_BASEDIR || os.tmpdir(), CCACHE_NOHASHDIR: '1' });
}
const [gypExe] = nodeGypCommand();
console.log(`[torch-node prebuild] building against ${describe(info)} for Node ${process.version} (ABI ${process.versions.modules}) in ${stage}`);
const t0 = Date.now();
prebuildify({
  cwd: stage,
  out: root,
  napi: false,
  targets: [process.versions.node],
  strip: true,
  nodeGyp: gypExe,
}, (err) => {
  if (err) {
    console.error(`[torch-node prebuild] failed: ${err.message || err} (staging directory kept: ${stage})`);
    process.exit(1);
  }
  const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const name = `torch-node.abi${process.versions.modules}`;
  if (!fs.existsSync(path.join(dir, `${name}.node`))) {
    console.error(`[torch-node prebuild] expected ${path.join(dir, name + '.node')} was not produced`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(info, null, 2) + '\n');
  fs.rmSync(stage, { recursive: true, force: true });
  const size = fs.statSync(path.join(dir, `${name}.node`)).size;
  console.log(`[torch-node prebuild] ${path.relative(root, path.join(dir, name + '.node'))} (${(size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});
