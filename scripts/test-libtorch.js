#!/usr/bin/env node
// Runs the jest suite against another libtorch without touching the default build/:
//   npm run test:libtorch -- ROOT [--build-dir DIR] [--no-build] [jest arguments…]
// ROOT: an unpacked libtorch (ROOT/share/cmake/Torch), a PyTorch's torch/ directory, or a directory
// holding one (an unpacked wheel, a site-packages). The addon is built (incrementally, cmake-js via
// scripts/build-native.js) into DIR, default build-libtorch/<version>[-cuda]/, then jest runs with
// TORCH_NODE_BINARY pointing at it (lib/binding.ts loads that binary). --no-build uses DIR as it is.
// Tests that depend on the release read <fixture>.libtorch-<major>.<minor>.json where the fixture
// scripts wrote one under that PyTorch (see test/helpers.ts libtorchError), and skip visibly where not.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const usage = 'usage: npm run test:libtorch -- ROOT [--build-dir DIR] [--no-build] [jest arguments…]';
const argv = process.argv.slice(2);
let ltArg = null;
let buildDir = null;
let build = true;
const jestArgs = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--build-dir') buildDir = path.resolve(argv[++i] || '');
  else if (a === '--no-build') build = false;
  else if (a === '-h' || a === '--help') { console.log(usage); process.exit(0); }
  else if (ltArg === null && !a.startsWith('-')) ltArg = a;
  else jestArgs.push(a);
}
if (!ltArg) { console.error(usage); process.exit(2); }

const given = path.resolve(ltArg);
const ltRoot = require('./find-libtorch').libtorchRootIn(given);
if (!ltRoot) {
  console.error(`${given}: no share/cmake/Torch/TorchConfig.cmake there or in its torch/ or libtorch/ (unpack a wheel with \`unzip torch-*.whl -d DIR\`)`);
  process.exit(2);
}
process.env.LIBTORCH = ltRoot;
delete process.env.LIBTORCH_USE_PYTORCH;
const lt = require('./find-libtorch').find();
if (!lt.found) { console.error(lt.error || `libtorch not found at ${ltRoot}`); process.exit(2); }
if (!buildDir) buildDir = path.join(root, 'build-libtorch', `${lt.version || 'unknown'}${lt.cuda ? '-cuda' : ''}`);
if (path.resolve(buildDir) === path.join(root, 'build')) { console.error('--build-dir must not be build/ (the default build)'); process.exit(2); }
const binary = path.join(buildDir, 'Release', 'torch_node.node');
const log = (m) => console.log(`[test:libtorch] ${m}`);
log(`libtorch ${lt.version} (${lt.cuda ? 'CUDA' : 'CPU'}) at ${ltRoot}; build ${path.relative(root, buildDir) || buildDir}`);

const run = (args, env = process.env) => {
  const r = spawnSync(args[0], args.slice(1), { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status || 1);
};
if (build) run([process.execPath, path.join(__dirname, 'build-native.js'), '--out', buildDir]);
if (!fs.existsSync(binary)) { console.error(`${binary} is missing (drop --no-build)`); process.exit(1); }
// dist/ for the tests that spawn node on the compiled package (examples, serving, torchrun)
run([process.execPath, path.join(__dirname, 'setup.js'), '--ts-only']);
const env = { ...process.env, TORCH_NODE_BINARY: binary };
const jest = require.resolve('jest/bin/jest');
const r = spawnSync(process.execPath, [jest, ...jestArgs], { cwd: root, stdio: 'inherit', env });
process.exit(r.status === null ? 1 : r.status);
