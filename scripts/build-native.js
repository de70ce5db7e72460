#!/usr/bin/env node
// Builds the addon with cmake-js into build/Release/torch_node.node (incremental).
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const os = require('os');

const root = path.join(__dirname, '..');
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const jobs = String(Math.max(1, Math.min(os.cpus().length, Math.floor(os.totalmem() / 2.5e9))));
const args = [cmakeJs, 'compile', '--out', 'build', '--parallel', jobs];
if (spawnSync('which', ['ccache']).status === 0) args.push('--CDCMAKE_CXX_COMPILER_LAUNCHER=ccache');
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env } });
if (r.status !== 0) process.exit(r.status || 1);
if (!fs.existsSync(path.join(root, 'build', 'Release', 'torch_node.node'))) {
  console.error('build finished but build/Release/torch_node.node is missing');
  process.exit(1);
}
