#!/usr/bin/env node
// The package's `install` script, run by `npm install torch-node`:
// 1. a prebuilt binary (prebuilds/<platform>-<arch>/: one per libtorch release and CPU/CUDA) whose
//    recorded libtorch, C++ ABI and Node ABI fit a libtorch found here (scripts/find-libtorch.js
//    pickPrebuild, as the loader picks it), and which loads: done, no compiler needed;
// 2. otherwise (or with --build-from-source / TORCH_NODE_BUILD_FROM_SOURCE=1) build from source with
//    node-gyp (binding.gyp) against the libtorch scripts/find-libtorch.js finds;
// 3. no libtorch at all: say how to get one and leave the install in place (the load then explains
//    again; `npm rebuild torch-node` after installing libtorch).
// In a torch-node checkout (lib/*.ts present) it does nothing: `npm run setup` builds there.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const log = (m) => console.log(`[torch-node install] ${m}`);

if (fs.existsSync(path.join(root, 'lib', 'index.ts'))) {
  log('torch-node checkout: nothing to do here (`npm run setup` builds the addon)');
  process.exit(0);
}

const { find, pickPrebuild, describe } = require('./find-libtorch');
const { nodeGypCommand, nodeDir } = require('./node-gyp');

const HOW_TO_GET_LIBTORCH = `Get libtorch in one of these ways, then run \`npm rebuild torch-node\`:
  Debian/Ubuntu:     sudo apt-get install -y libtorch-dev libopenblas0-openmp
  PyTorch from pip:  pip install torch (python3's PyTorch is used when there is no system libtorch;
                     LIBTORCH_USE_PYTORCH=1 prefers it, PYTHON=... names another python)
  unpacked libtorch: LIBTORCH=/path/to/libtorch`;

function fromSourceWanted() {
  return process.env.npm_config_build_from_source === 'true' || process.env.TORCH_NODE_BUILD_FROM_SOURCE === '1';
}

/** Loads the package in a child process: the real test that a binary works here. */
function loads() {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'dist', 'index.js'))})`], { encoding: 'utf8' });
  return { ok: r.status === 0, message: (r.stderr || '').split('\n').filter((l) => l && !/^\s+at /.test(l)).slice(0, 12).join('\n') };
}

function buildFromSource(why) {
  const lt = find();
  if (!lt.found) {
    console.error(`[torch-node install] ${why}, and no libtorch to build against was found (looked at: ${lt.tried.join(', ')}).`);
    if (lt.error) console.error(lt.error);
    console.error(HOW_TO_GET_LIBTORCH);
    process.exit(0);
  }
  log(`${why}: building from source against ${describe({ libtorch_version: lt.version, cuda: lt.cuda, cxx11_abi: lt.cxx11_abi })} in ${lt.libdir} (node-gyp; a few minutes)`);
  log(`torch.distributed backends: ${lt.c10d_backends.join(', ') || 'none'}${lt.c10d_note ? ` (${lt.c10d_note})` : ''}`);
  const args = [...nodeGypCommand(), 'rebuild', '--release'];
  const nd = nodeDir();
  if (nd && !process.env.npm_config_nodedir) args.push(`--nodedir=${nd}`); // headers shipped with this Node: no download
  const exe = args[0].endsWith('.js') ? process.execPath : args.shift();
  const env = { ...process.env, JOBS: process.env.JOBS || 'max' };
  const t0 = Date.now();
  const r = spawnSync(exe, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`[torch-node install] building from source failed (${r.error ? r.error.message : `node-gyp exited with ${r.status}`}).
It needs a C++17 compiler, make and python3 (Debian/Ubuntu: sudo apt-get install -y g++ make python3),
and libtorch's headers (Debian/Ubuntu: libtorch-dev). See the README, section Install.`);
    process.exit(1);
  }
  const l = loads();
  if (!l.ok) {
    console.error(`[torch-node install] built from source, but the addon does not load:\n${l.message}`);
    process.exit(1);
  }
  log(`built from source in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

if (fromSourceWanted()) {
  buildFromSource('asked to build from source (TORCH_NODE_BUILD_FROM_SOURCE=1 or --build-from-source)');
} else {
  const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const p = pickPrebuild(dir);
  if (!p.file) {
    buildFromSource(`no prebuilt binary fits here:\n  - ${p.reasons.join('\n  - ')}\n`);
  } else {
    const rel = path.relative(root, p.file);
    const l = loads();
    if (l.ok) {
      log(`using ${rel} (built against ${describe(p.info)}) with the libtorch in ${p.runtime.libdir} (${p.runtime.how})`);
      if (p.info.c10d_backends) log(`torch.distributed backends: ${p.info.c10d_backends.join(', ') || 'none'}`);
    } else {
      buildFromSource(`${rel} does not load here:\n${l.message}\n`);
    }
  }
}
