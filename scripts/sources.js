#!/usr/bin/env node
// The one list of native sources, used by CMakeLists.txt (cmake-js) and binding.gyp (node-gyp).
// Every .cc under native/ is part of the addon; with --bench (CMake option TN_BENCH, set by
// `scripts/build-native.js --bench`) also those under bench/native/, the entry points only the
// benchmarks call.
'use strict';
const fs = require('fs');
const path = require('path');

function list(root = path.join(__dirname, '..'), { bench = false } = {}) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.cc')) out.push(rel);
    }
  };
  walk('native');
  if (bench) walk('bench/native');
  return out;
}
module.exports = { list };
if (require.main === module) {
  const sep = process.argv.includes('--cmake') ? ';' : ' ';
  process.stdout.write(list(undefined, { bench: process.argv.includes('--bench') }).join(sep));
}
