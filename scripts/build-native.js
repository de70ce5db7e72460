#!/usr/bin/env node
// Builds the addon with cmake-js into build/Release/torch_node.node (incremental, precompiled
// header, ccache when present), then writes build/Release/torch_node.json: what it was built
// against, which the loader checks (lib/binding.ts). When the libtorch found differs from the one
// the build directory was configured for, the CMake cache is dropped so that it re-configures.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const os = require('os');
const { find, buildInfo } = require('./find-libtorch');

const root = path.join(__dirname, '..');
// --out DIR: another build directory (default build/, which the loader and setup.js use);
// --configure: run CMake's configure step only (e.g. to try a libtorch's CMake files);
// --bench: also compile bench/native (the entry points bench/handles.js compares), into build-bench/
// by default, so that build/ stays the production addon.
const bench = process.argv.includes('--bench');
const argOut = process.argv.indexOf('--out');
const outDir = argOut > 0 ? path.resolve(process.argv[argOut + 1]) : path.join(root, bench ? 'build-bench' : 'build');
const configureOnly = process.argv.includes('--configure');
const lt = find();
if (!lt.found) {
  console.error(lt.error || `libtorch not found; looked at: ${lt.tried.join(', ')}. Run \`npm run setup\`.`);
  process.exit(1);
}
const infoFile = path.join(outDir, 'Release', 'torch_node.json');
const cache = path.join(outDir, 'CMakeCache.txt');
if (fs.existsSync(cache) && fs.existsSync(infoFile)) {
  const prev = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
  if (prev.libdir !== lt.libdir || prev.libtorch_version !== lt.version || prev.cuda !== lt.cuda) {
    console.log(`[torch-node build] libtorch changed (${prev.libdir} ${prev.libtorch_version} -> ${lt.libdir} ${lt.version}): re-configuring`);
    fs.rmSync(cache);
  }
}

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const jobs = String(Math.max(1, Math.min(os.cpus().length, Math.floor(os.totalmem() / 2.5e9))));
// 'build', not 'compile': cmake-js's compile retries a failed build from scratch (minutes lost).
const args = configureOnly ? [cmakeJs, 'configure', '--out', outDir] : [cmakeJs, 'build', '--out', outDir, '--parallel', jobs];
args.push(`--CDTN_BENCH=${bench ? 'ON' : 'OFF'}`);
const env = { ...process.env };
if (spawnSync('which', ['ccache']).status === 0) {
  args.push('--CDCMAKE_CXX_COMPILER_LAUNCHER=ccache');
  // without these ccache refuses every compile that uses the precompiled header
  if (!env.CCACHE_SLOPPINESS) env.CCACHE_SLOPPINESS = 'pch_defines,time_macros,include_file_mtime,include_file_ctime';
}
// A CUDA libtorch: Caffe2's cuda.cmake (run by find_package(Torch)) wants the CUDA toolkit. Help it
// where a toolkit assembled from NVIDIA's pip packages trips it (as on the GPU machines):
// - FindCUDA takes the toolkit root from nvcc's path, and a /usr/local/bin/nvcc symlink makes it
//   /usr/local (no headers there): CUDA_PATH/CUDACXX from nvcc's real location;
// - with no TORCH_CUDA_ARCH_LIST it try_runs a CUDA program to detect GPUs (which CMake 3.25 cannot
//   build with CUDA 13's C++20 dialect); the addon compiles no CUDA code, so any listed arch does;
// - torch's targets link libnvrtc, which pip wheels keep in site-packages/nvidia/<pkg>/lib under
//   a versioned name only (libnvrtc.so.13), out of find_library's sight: named explicitly.
if (lt.cuda) {
  const which = (exe) => { const w = spawnSync('sh', ['-c', `command -v ${exe}`], { encoding: 'utf8' }); return w.status === 0 ? w.stdout.trim() : null; };
  const isRoot = (d) => d && fs.existsSync(path.join(d, 'bin', 'nvcc')) && fs.existsSync(path.join(d, 'include', 'cuda_runtime.h'));
  // a root with nvcc and the headers (nvcc on PATH may be a symlink or a wrapper script elsewhere)
  const nvccOnPath = which('nvcc');
  const cudaRoot = [env.CUDA_PATH, env.CUDA_HOME, '/usr/local/cuda', nvccOnPath && path.dirname(path.dirname(fs.realpathSync(nvccOnPath)))]
    .find(isRoot);
  if (cudaRoot) {
    if (!env.CUDA_PATH) env.CUDA_PATH = fs.realpathSync(cudaRoot);
    if (!env.CUDACXX) env.CUDACXX = path.join(env.CUDA_PATH, 'bin', 'nvcc');
  }
  if (!env.TORCH_CUDA_ARCH_LIST) env.TORCH_CUDA_ARCH_LIST = '8.0';
  const toolkitLibs = env.CUDA_PATH ? ['lib64', 'lib'].map((d) => path.join(env.CUDA_PATH, d)) : [];
  if (!toolkitLibs.some((d) => fs.existsSync(path.join(d, 'libnvrtc.so')))) {
    const nv = path.join(lt.libdir, '..', '..', 'nvidia');
    const cands = [];
    if (fs.existsSync(nv)) {
      for (const pkg of fs.readdirSync(nv)) {
        const d = path.join(nv, pkg, 'lib');
        if (fs.existsSync(d)) for (const f of fs.readdirSync(d)) if (/^libnvrtc\.so(\.\d+)*$/.test(f)) cands.push(path.join(d, f));
      }
    }
    if (cands.length) args.push(`--CDCUDA_nvrtc_LIBRARY=${path.resolve(cands.sort()[0])}`);
  }
  console.log(`[torch-node build] CUDA libtorch: nvcc ${env.CUDACXX || 'not found'}, CUDA_PATH ${env.CUDA_PATH || '-'}, TORCH_CUDA_ARCH_LIST ${env.TORCH_CUDA_ARCH_LIST}`);
}
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
if (r.status !== 0) process.exit(r.status || 1);
if (configureOnly) process.exit(0);
if (!fs.existsSync(path.join(outDir, 'Release', 'torch_node.node'))) {
  console.error(`build finished but ${path.relative(root, path.join(outDir, 'Release', 'torch_node.node'))} is missing`);
  process.exit(1);
}
fs.writeFileSync(infoFile, JSON.stringify(buildInfo(lt), null, 2) + '\n');
