#!/usr/bin/env node
// Compile-only check of every native source (scripts/sources.js) against a libtorch include tree,
// with the defines and include order of CMakeLists.txt: proves the addon compiles against a
// libtorch we cannot link here (no 2.x libraries on this machine). Not part of `npm test`.
//
//   npm run check:headers                                  # the system libtorch (Debian 1.13)
//   npm run check:headers -- --torch /path/libtorch        # an unpacked libtorch (or its include/)
//   TORCH_INCLUDE=/path/libtorch/include npm run check:headers
//   npm run check:headers -- --torch DIR --cuda            # + TN_WITH_CUDA, USE_C10D_NCCL
//   npm run check:headers -- --torch DIR native/cuda/cuda.cc native/generated   # some files only
//
// Options: -j N (at most 2: the build machine is shared); --no-pch (parse the headers per file);
// --system-gloo (compile the Gloo path against /usr/include/gloo even for another libtorch);
// --std 17|20 (default: what CMakeLists.txt picks for that libtorch version); --cuda-include DIR
// (repeatable, or CUDA_INCLUDE=DIR:DIR: CUDA toolkit headers and nccl.h; default CUDA_HOME/include,
// /usr/local/cuda/include, /usr/include). Exit status 1 when any file fails. Logs of failing files
// go to $TMPDIR/torch-node-check-<hash>/<file>.log; the precompiled native/common/pch.h for a given
// include tree and flags is kept there too and reused.
//
// What was checked with it (libtorch 2.3.0 headers of a macOS libtorch, CUDA 11.8 headers from
// Debian's nvidia-cuda-dev, nccl.h 2.20.5 made from NVIDIA/nccl's nccl.h.in): see the commit log.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync } = require('child_process');
const { list } = require('./sources');

const root = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const opt = { torch: process.env.TORCH_INCLUDE || null, cuda: false, cudaInclude: (process.env.CUDA_INCLUDE || '').split(':').filter(Boolean), jobs: 2, pch: true, std: null, systemGloo: false, files: [] };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--torch') opt.torch = argv[++i];
  else if (a === '--cuda') opt.cuda = true;
  else if (a === '--cuda-include') opt.cudaInclude.push(argv[++i]);
  else if (a === '--no-pch') opt.pch = false;
  else if (a === '--std') opt.std = Number(argv[++i]);
  else if (a === '--system-gloo') opt.systemGloo = true;
  else if (a === '-j') opt.jobs = Number(argv[++i]);
  else if (/^-j\d+$/.test(a)) opt.jobs = Number(a.slice(2));
  else if (a === '-h' || a === '--help') {
    const head = fs.readFileSync(__filename, 'utf8').split("'use strict'")[0].split('\n').slice(1);
    console.log(head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else if (a.startsWith('-')) { console.error(`unknown option ${a} (see --help)`); process.exit(2); }
  else opt.files.push(a);
}
opt.jobs = Math.max(1, Math.min(2, opt.jobs || 2));

// ---- the include tree: <root>/include or the include dir itself (it has ATen/ and torch/csrc/api/include)
function torchIncludes() {
  if (!opt.torch) {
    const lt = require('./find-libtorch').find();
    if (!lt.found) throw new Error(`no libtorch found (looked at ${lt.tried.join(', ')}); give --torch DIR`);
    return lt.include;
  }
  let inc = path.resolve(opt.torch);
  if (!fs.existsSync(path.join(inc, 'ATen')) && fs.existsSync(path.join(inc, 'include', 'ATen'))) inc = path.join(inc, 'include');
  if (!fs.existsSync(path.join(inc, 'ATen', 'ATen.h'))) throw new Error(`${opt.torch}: no ATen/ATen.h under it (want a libtorch root or its include/)`);
  return [inc, path.join(inc, 'torch', 'csrc', 'api', 'include')];
}
function readVersion(incs) {
  for (const d of incs) {
    for (const f of [path.join(d, 'torch', 'version.h'), path.join(d, 'torch', 'headeronly', 'version.h')]) {
      const s = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
      const g = (k) => (s.match(new RegExp(`#define TORCH_VERSION_${k} (\\d+)`)) || [])[1];
      if (g('MAJOR')) return `${g('MAJOR')}.${g('MINOR')}.${g('PATCH')}`;
    }
  }
  return '?';
}
function cudaIncludes() {
  const given = opt.cudaInclude.map((d) => path.resolve(d));
  if (given.some((d) => fs.existsSync(path.join(d, 'cuda_runtime_api.h')))) return given;
  const c = [process.env.CUDA_HOME && path.join(process.env.CUDA_HOME, 'include'), '/usr/local/cuda/include', '/usr/include'];
  const hit = c.filter(Boolean).find((d) => fs.existsSync(path.join(d, 'cuda_runtime_api.h')));
  return [...given, ...(hit ? [hit] : [])];
}

const incs = torchIncludes();
const version = readVersion(incs);
const nodeApi = (() => { try { return require('node-api-headers').include_dir; } catch { return path.join(path.dirname(process.execPath), '..', 'include', 'node'); } })();
const addonApi = path.join(root, require('node-addon-api').include_dir);
const cudaInc = opt.cuda ? cudaIncludes() : [];
if (opt.cuda && cudaInc.length === 0) console.warn('[check] --cuda: no cuda_runtime_api.h found (give --cuda-include DIR); CUDA headers will fail');
// The build decision of both builds (scripts/find-libtorch.js addonBuild: C++ standard, definitions,
// torch.distributed's backends): for the system libtorch, what find() gives; for a tree given by
// --torch, the same fields for that tree, as a Linux libtorch exports them (cmake_prefix null: the
// tree may be a macOS one, checked as Linux builds compile). Gloo: the system's (Debian
// libgloo-dev) for the system libtorch, else only the tree's own; none → TN_NO_GLOO.
// --system-gloo takes /usr/include/gloo for any tree, to compile the Gloo code path against it
// (not a valid build).
const finder = require('./find-libtorch');
const systemTree = !opt.torch;
const treeRoot = path.dirname(incs[0]);
const lt = systemTree ? finder.find()
  : { how: 'LIBTORCH', include: incs, libdir: path.join(treeRoot, 'lib'), cmake_prefix: null, cuda: opt.cuda, cuda_include: cudaInc, version, cxx11_abi: 1 };
if (systemTree && opt.cuda) lt.cuda = true;
const build = finder.addonBuild(lt);
const defs = opt.systemGloo ? build.defines.filter((d) => d !== 'TN_NO_GLOO') : build.defines;
const treeGloo = !systemTree && !build.defines.includes('TN_NO_GLOO') && build.include.length === 0;
const glooOk = !defs.includes('TN_NO_GLOO');
const gloo = build.include;

// What CMake adds itself besides addonBuild's: the addon and release definitions, USE_CUDA (the
// torch_cuda target's), the C++ ABI the libtorch's TorchConfig.cmake gives.
const defines = ['BUILDING_NODE_EXTENSION', 'NDEBUG', ...defs, ...(opt.cuda ? ['USE_CUDA'] : [])];
// The compiler's own directories are left out, as CMake does: -isystem /usr/include breaks
// libstdc++'s #include_next <stdlib.h>.
const implicit = new Set(['/usr/include', '/usr/local/include']);
const sys = (ds) => ds.filter((d) => !implicit.has(path.resolve(d)));
const std = opt.std || build.cxx_std;
const flags = [`-std=gnu++${std}`, '-fPIC', ...build.cflags, ...defines.map((d) => '-D' + d),
  `-I${nodeApi}`, `-I${addonApi}`, `-I${path.join(root, 'native')}`, ...sys(gloo).map((d) => '-I' + d),
  ...sys(incs).map((d) => ['-isystem', d]).flat(), ...sys(cudaInc).map((d) => ['-isystem', d]).flat()];
const cxx = process.env.CXX || 'g++';

const hash = crypto.createHash('sha1').update(JSON.stringify([cxx, flags, fs.readFileSync(path.join(root, 'native/common/pch.h'), 'utf8')])).digest('hex').slice(0, 12);
const work = path.join(os.tmpdir(), `torch-node-check-${hash}`);
fs.mkdirSync(work, { recursive: true });

// A libtorch tree from a build without CUDA (the macOS one) lacks the configure-generated
// c10/cuda/impl/cuda_cmake_macros.h that c10/cuda/CUDAMacros.h includes; with --cuda a stand-in
// holding what a Linux CUDA build generates (C10_CUDA_BUILD_SHARED_LIBS) goes last on the path.
if (opt.cuda && !fs.existsSync(path.join(incs[0], 'c10', 'cuda', 'impl', 'cuda_cmake_macros.h'))) {
  const shim = path.join(work, 'shim');
  fs.mkdirSync(path.join(shim, 'c10', 'cuda', 'impl'), { recursive: true });
  fs.writeFileSync(path.join(shim, 'c10', 'cuda', 'impl', 'cuda_cmake_macros.h'),
    '#pragma once\n// stand-in written by scripts/check-torch-headers.js (as a Linux CUDA build of libtorch generates it)\n#define C10_CUDA_BUILD_SHARED_LIBS\n');
  flags.push('-isystem', shim);
  console.log('[check] note: this tree has no c10/cuda/impl/cuda_cmake_macros.h (not a CUDA build); using a stand-in');
}

// ---- the files
let files = list(root);
if (opt.files.length) {
  const want = opt.files.map((f) => path.relative(root, path.resolve(f)).split(path.sep).join('/'));
  files = files.filter((f) => want.some((w) => f === w || f.startsWith(w.replace(/\/$/, '') + '/')));
  if (!files.length) { console.error(`no native sources match ${opt.files.join(' ')}`); process.exit(2); }
}

console.log(`[check] libtorch ${version} headers (C++${std}): ${incs[0]}${opt.cuda ? ` (+CUDA: ${cudaInc.join(', ') || 'none'}; NCCL: ${cudaInc.find((d) => fs.existsSync(path.join(d, 'nccl.h'))) || 'no nccl.h, NCCL path unchecked'})` : ''}; gloo: ${treeGloo ? incs[0] : glooOk ? '/usr/include (system)' : 'none (TN_NO_GLOO)'}; ${files.length} files, -j${opt.jobs}`);

// A header the tree under test lacks is found in the compiler's own directories instead: with
// Debian's libtorch-dev installed, /usr/include/{ATen,c10,torch,caffe2} would silently stand in
// for a 2.x header. The dependency list (-MD) tells; such a file fails.
const torchDirs = ['ATen', 'c10', 'torch', 'caffe2'];
const foreignRoots = [...implicit].filter((d) => !incs.some((i) => path.resolve(i) === d));
function foreignHeaders(depFile) {
  if (!foreignRoots.length || !fs.existsSync(depFile)) return [];
  const deps = fs.readFileSync(depFile, 'utf8').split(/[\s\\]+/).filter((d) => d.endsWith('.h') || d.endsWith('.hpp'));
  return [...new Set(deps.filter((d) => foreignRoots.some((r) => torchDirs.some((t) => d.startsWith(`${r}/${t}/`)))))];
}

// ---- the precompiled header (gcc uses <dir>/pch.h.gch when `-include <dir>/pch.h` is given)
let pchFlags = ['-include', path.join(root, 'native/common/pch.h')];
if (opt.pch) {
  const pchH = path.join(work, 'pch.h');
  const gch = pchH + '.gch';
  if (!fs.existsSync(gch)) {
    fs.copyFileSync(path.join(root, 'native/common/pch.h'), pchH);
    const t0 = Date.now();
    const r = spawnSync(cxx, [...flags, '-x', 'c++-header', pchH, '-MD', '-MF', pchH + '.d', '-o', gch + '.tmp'], { encoding: 'utf8' });
    const foreign = r.status === 0 ? foreignHeaders(pchH + '.d') : [];
    if (r.status !== 0 || foreign.length) {
      const err = r.stderr + (foreign.length ? foreign.map((h) => `error: header of another libtorch taken from the system include directory: ${h}\n`).join('') : '');
      console.log(`FAIL  native/common/pch.h (precompiled header)\n${excerpt(err)}`);
      fs.writeFileSync(path.join(work, 'pch.log'), err);
      process.exit(1);
    }
    fs.renameSync(gch + '.tmp', gch);
    console.log(`[check] precompiled native/common/pch.h in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  pchFlags = ['-Winvalid-pch', '-include', pchH];
}

function excerpt(stderr, n = 12) {
  const lines = stderr.split('\n').filter((l) => /error|required from here|note: candidate/.test(l));
  return lines.slice(0, n).map((l) => '      ' + l.replace(root + '/', '')).join('\n') + (lines.length > n ? `\n      … (${lines.length - n} more)` : '');
}

function compile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const dep = path.join(work, file.replace(/\//g, '_') + '.d');
    const p = spawn(cxx, [...flags, ...pchFlags, '-fsyntax-only', '-MD', '-MF', dep, path.join(root, file)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => {
      const foreign = code === 0 ? foreignHeaders(dep) : [];
      if (foreign.length) err += foreign.map((h) => `error: header of another libtorch taken from the system include directory: ${h}\n`).join('');
      resolve({ file, ok: code === 0 && !foreign.length, err, s: (Date.now() - t0) / 1000 });
    });
  });
}

(async () => {
  const queue = files.slice();
  const results = [];
  const worker = async () => {
    while (queue.length) {
      const r = await compile(queue.shift());
      results.push(r);
      console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.file}  (${r.s.toFixed(1)} s)`);
      if (!r.ok) {
        const log = path.join(work, r.file.replace(/\//g, '_') + '.log');
        fs.writeFileSync(log, r.err);
        console.log(excerpt(r.err) + `\n      full log: ${log}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opt.jobs }, worker));
  const bad = results.filter((r) => !r.ok);
  console.log(`[check] libtorch ${version}${opt.cuda ? ' +CUDA' : ''}: ${results.length - bad.length}/${results.length} files compile` +
    (bad.length ? `; failing: ${bad.map((r) => r.file).sort().join(', ')}` : ''));
  process.exit(bad.length ? 1 : 0);
})();
