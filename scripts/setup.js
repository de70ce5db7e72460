#!/usr/bin/env node
// One idempotent set-up used by `npm test`, `npm run demo` and `npm run setup`:
// 1. find libtorch (scripts/find-libtorch.js); if absent, install Debian's libtorch-dev and
//    libopenblas0-openmp with apt when running as root, otherwise print the exact command;
// 2. install npm dependencies if node_modules is missing;
// 3. build the native addon when a native source is newer than the binary;
// 4. compile TypeScript when a lib/ file is newer than dist/.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const force = process.argv.includes('--force-build');
const log = (m) => console.log(`[torch-node setup] ${m}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`[torch-node setup] failed: ${cmd} ${args.join(' ')}`);
    process.exit(r.status || 1);
  }
}

function newest(dir, exts) {
  let t = 0;
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.some((x) => e.name.endsWith(x))) t = Math.max(t, fs.statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return t;
}
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

// 1. libtorch
const { find } = require('./find-libtorch');
let lt = find();
const blasMissing = () => process.platform === 'linux' && fs.existsSync('/usr/bin/apt-get') && lt.how === 'system' &&
  !fs.existsSync('/usr/lib/x86_64-linux-gnu/openblas-openmp') && !fs.existsSync('/usr/lib/aarch64-linux-gnu/openblas-openmp');
if (!lt.found || blasMissing()) {
  const pkgs = ['libtorch-dev', 'libopenblas0-openmp'];
  const cmd = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (fs.existsSync('/usr/bin/apt-get') && isRoot) {
    log(lt.found ? 'installing OpenBLAS (libtorch otherwise uses the slow reference BLAS)' : `libtorch not found (looked at ${lt.tried.join(', ')}); installing it with apt`);
    run('bash', ['-c', cmd], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    lt = find();
  }
  if (!lt.found) {
    console.error(`[torch-node setup] libtorch not found; looked at: ${lt.tried.join(', ')}.\n` +
      `Install it with:\n  sudo ${cmd}\nor point LIBTORCH at an unpacked libtorch, or set LIBTORCH_USE_PYTORCH=1 to use python3's PyTorch.`);
    process.exit(1);
  }
}
log(`libtorch ${lt.version} (${lt.how}${lt.cuda ? ', CUDA' : ', CPU'})`);

// 2. npm dependencies
if (!fs.existsSync(path.join(root, 'node_modules', 'cmake-js')) || !fs.existsSync(path.join(root, 'node_modules', 'typescript'))) {
  log('installing npm dependencies');
  run('npm', [fs.existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

// 3. native addon
const binary = path.join(root, 'build', 'Release', 'torch_node.node');
const nativeSrc = Math.max(newest(path.join(root, 'native'), ['.cc', '.h']), mtime(path.join(root, 'CMakeLists.txt')));
if (force || mtime(binary) < nativeSrc) {
  log('building the native addon');
  const t0 = Date.now();
  run(process.execPath, [path.join(__dirname, 'build-native.js')]);
  log(`native build took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// 4. TypeScript
const distIndex = path.join(root, 'dist', 'index.js');
if (force || mtime(distIndex) < Math.max(newest(path.join(root, 'lib'), ['.ts']), newest(path.join(root, 'types'), ['.ts']))) {
  log('compiling TypeScript');
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
  run(process.execPath, [path.join(__dirname, 'write-esm-entry.js')]);
}
