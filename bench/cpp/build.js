// Builds a bench/cpp/*.cc loop against the libtorch the addon uses (scripts/find-libtorch.js), into
// build/bench/, when missing or older than its source. Returns the executable's path.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { find } = require('../../scripts/find-libtorch');

function buildLoop(name) {
  const lt = find();
  const src = path.join(__dirname, `${name}.cc`);
  const exe = path.join(__dirname, '..', '..', 'build', 'bench', name);
  if (!fs.existsSync(exe) || fs.statSync(exe).mtimeMs < fs.statSync(src).mtimeMs) {
    fs.mkdirSync(path.dirname(exe), { recursive: true });
    execFileSync('g++', ['-O2', `-std=c++${lt.cxx_std || 17}`, src, '-o', exe, ...lt.include.map((d) => `-I${d}`), `-L${lt.libdir}`,
      `-Wl,-rpath,${lt.libdir}`, '-ltorch', '-ltorch_cpu', '-lc10'], { stdio: 'inherit' });
  }
  return exe;
}
module.exports = { buildLoop };
