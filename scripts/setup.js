#!/usr/bin/env node
// One idempotent set-up used by `npm test`, `npm run demo` and `npm run setup`; each step runs only
// when needed, so a second run does nothing but check:
// 1. libtorch (scripts/find-libtorch.js: $LIBTORCH, LIBTORCH_USE_PYTORCH=1, the system's); when none
//    is found, install Debian/Ubuntu's libtorch-dev and libopenblas0-openmp with apt when running as
//    root, otherwise print the exact command; the same for a compiler and cmake;
// 2. npm dependencies, when one listed in package.json cannot be resolved;
// 3. the native addon (scripts/build-native.js, cmake-js), when the native sources, the build files
//    or the libtorch found differ from what the last build recorded (build/torch_node.stamp.json);
// 4. TypeScript into dist/, when a lib/ or types/ file is newer than dist/.
// Flags: --force-build (rebuild 3 and 4), --ts-only (only 4; for `npm pack`), --clean-dist (empty
// dist/ before 4).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const force = argv.includes('--force-build');
const tsOnly = argv.includes('--ts-only');
const cleanDist = argv.includes('--clean-dist');
const log = (m) => console.log(`[torch-node setup] ${m}`);
const fail = (m) => {
  console.error(`[torch-node setup] ${m}`);
  process.exit(1);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) fail(`failed: ${cmd} ${args.join(' ')}`);
}
const has = (exe) => spawnSync('sh', ['-c', `command -v ${exe}`], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = process.platform === 'linux' && fs.existsSync('/usr/bin/apt-get');

function walk(dir, exts, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, exts, out);
    else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out;
}
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);
const newest = (files) => files.reduce((t, f) => Math.max(t, mtime(f)), 0);

// 1. system packages: libtorch (+ OpenBLAS), a C++ compiler, cmake
const { find } = require('./find-libtorch');
let lt = tsOnly ? null : find();
if (lt) {
  const pkgs = [];
  if (!lt.found && !process.env.LIBTORCH && process.env.LIBTORCH_USE_PYTORCH !== '1') pkgs.push('libtorch-dev');
  // Debian's libtorch falls back to the slow reference BLAS without OpenBLAS.
  if ((pkgs.includes('libtorch-dev') || lt.how === 'system') && apt && !['x86_64', 'aarch64'].some((a) => fs.existsSync(`/usr/lib/${a}-linux-gnu/openblas-openmp`))) pkgs.push('libopenblas0-openmp');
  // Gloo headers: Debian's libtorch is built with c10d + Gloo; torch.distributed needs libgloo-dev.
  if ((pkgs.includes('libtorch-dev') || lt.how === 'system') && apt && !fs.existsSync('/usr/include/gloo/algorithm.h')) pkgs.push('libgloo-dev');
  if (!has('c++') && !has('g++')) pkgs.push('g++');
  if (!has('cmake')) pkgs.push('cmake');
  if (!has('make') && !has('ninja')) pkgs.push('make');
  if (!has('python3')) pkgs.push('python3'); // node-gyp (source builds from the tarball, prebuilds)
  if (pkgs.length) {
    const cmd = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
    if (apt && isRoot) {
      log(`installing ${pkgs.join(', ')} with apt${lt.found ? '' : ` (libtorch not found; looked at ${lt.tried.join(', ')})`}`);
      run('sh', ['-c', cmd], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      lt = find();
    } else if (lt.found && pkgs.every((p) => p === 'libopenblas0-openmp' || p === 'libgloo-dev')) {
      log(`recommended (faster matrix products with Debian's libtorch): sudo ${cmd}`);
    } else {
      const what = lt.found ? `missing build tools (${pkgs.join(', ')})` : `libtorch not found; looked at: ${lt.tried.join(', ')}${lt.error ? `\n${lt.error}` : ''}`;
      fail(`${what}.\n` +
        (apt ? `Install with:\n  sudo ${cmd}\n` : 'Install libtorch (see README: Install) and a C++17 compiler with cmake.\n') +
        (lt.found ? '' : 'Or point LIBTORCH at an unpacked libtorch, or set LIBTORCH_USE_PYTORCH=1 to use python3\'s PyTorch (pip install torch).'));
    }
  }
  if (!lt.found) fail(lt.error || `libtorch still not found; looked at: ${lt.tried.join(', ')}`);
  log(`libtorch ${lt.version} (${lt.how}: ${lt.libdir}${lt.cuda ? ', CUDA' : ', CPU'})`);
  if (lt.note) log(lt.note);
  log(`torch.distributed backends: ${lt.c10d_backends.join(', ') || 'none'}${lt.c10d_note ? ` (${lt.c10d_note})` : ''}`);
}

// 2. npm dependencies (resolved as node would, so a shared or hoisted node_modules counts)
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const missing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return false;
  } catch {
    return !fs.existsSync(path.join(root, 'node_modules', name, 'package.json'));
  }
});
if (missing.length) {
  const ci = !fs.existsSync(path.join(root, 'node_modules')) && fs.existsSync(path.join(root, 'package-lock.json'));
  log(`installing npm dependencies (missing: ${missing.join(', ')})`);
  run('npm', [ci ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

// 3. native addon
if (!tsOnly) {
  const stampFile = path.join(root, 'build', 'torch_node.stamp.json');
  const inputs = [...walk(path.join(root, 'native'), ['.cc', '.h']), ...['CMakeLists.txt', 'scripts/sources.js', 'scripts/build-native.js', 'scripts/find-libtorch.js'].map((f) => path.join(root, f))].sort();
  const stamp = JSON.stringify({
    libtorch: [lt.libdir, lt.version, lt.cuda],
    files: inputs.map((f) => [path.relative(root, f), fs.existsSync(f) ? fs.statSync(f).size : -1, mtime(f)]),
  });
  const binary = path.join(root, 'build', 'Release', 'torch_node.node');
  const prev = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : null;
  // A stamp-less build (older set-up) counts as current when it is newer than every input.
  const current = fs.existsSync(binary) && (prev ? prev === stamp : mtime(binary) >= newest(inputs));
  if (force || !current) {
    log('building the native addon');
    const t0 = Date.now();
    run(process.execPath, [path.join(__dirname, 'build-native.js')]);
    fs.writeFileSync(stampFile, stamp);
    log(`native build took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else if (!prev) {
    fs.writeFileSync(stampFile, stamp);
  }
}

// 4. TypeScript
const dist = path.join(root, 'dist');
const tsInputs = [...walk(path.join(root, 'lib'), ['.ts']), ...walk(path.join(root, 'types'), ['.ts']), path.join(root, 'tsconfig.json')];
if (force || cleanDist || !fs.existsSync(path.join(dist, 'index.mjs')) || mtime(path.join(dist, 'index.js')) < newest(tsInputs)) {
  if (cleanDist) fs.rmSync(dist, { recursive: true, force: true });
  log('compiling TypeScript');
  // Per-file transpilation (scripts/build-ts.js): a whole-program tsc currently needs > 8 GB.
  run(process.execPath, [path.join(__dirname, 'build-ts.js')]);
  run(process.execPath, [path.join(__dirname, 'write-esm-entry.js')]);
}
