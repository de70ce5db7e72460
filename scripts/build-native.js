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
const lt = find();
if (!lt.found) {
  console.error(lt.error || `libtorch not found; looked at: ${lt.tried.join(', ')}. Run \`npm run setup\`.`);
  process.exit(1);
}
const infoFile = path.join(root, 'build', 'Release', 'torch_node.json');
const cache = path.join(root, 'build', 'CMakeCache.txt');
if (fs.existsSync(cache) && fs.existsSync(infoFile)) {
  const prev = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
  if (prev.libdir !== lt.libdir || prev.libtorch_version !== lt.version || prev.cuda !== lt.cuda) {
    console.log(`[torch-node build] libtorch changed (${prev.libdir} ${prev.libtorch_version} -> ${lt.libdir} ${lt.version}): re-configuring`);
    fs.rmSync(cache);
  }
}

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const jobs = String(Math.max(1, Math.min(os.cpus().length, Math.floor(os.totalmem() / 2.5e9))));
const args = [cmakeJs, 'compile', '--out', 'build', '--parallel', jobs];
const env = { ...process.env };
if (spawnSync('which', ['ccache']).status === 0) {
  args.push('--CDCMAKE_CXX_COMPILER_LAUNCHER=ccache');
  // without these ccache refuses every compile that uses the precompiled header
  if (!env.CCACHE_SLOPPINESS) env.CCACHE_SLOPPINESS = 'pch_defines,time_macros,include_file_mtime,include_file_ctime';
}
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
if (r.status !== 0) process.exit(r.status || 1);
if (!fs.existsSync(path.join(root, 'build', 'Release', 'torch_node.node'))) {
  console.error('build finished but build/Release/torch_node.node is missing');
  process.exit(1);
}
fs.writeFileSync(infoFile, JSON.stringify(buildInfo(lt), null, 2) + '\n');
