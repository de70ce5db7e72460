#!/usr/bin/env bash
# GPU check (issue 2): on a machine with an NVIDIA GPU and PyTorch 2.x for python3, build the addon
# against that PyTorch's libtorch and run the CUDA tests (test/cuda), then print a summary.
#
# How a session runs it on the lent GPU machine (no node, no internet there; CUDA toolkit, cmake,
# ninja and python3 with a CUDA PyTorch wheel are there):
#   1. here, once:  bash scripts/gpu-bundle.sh        # -> .gpu/node.tar.xz + .gpu/node_modules.tar.xz (~36 MB)
#      and, free of device time, what can fail there: the dev machine has CUDA 13 in /usr/local/cuda
#      and PyTorch wheels (2.13.0+cpu in /opt/wheels, 2.14.1+cu130 in /opt/pypi-more/files):
#        unzip -q -d /work/torch214cu /opt/pypi-more/files/torch-2.14.1-*.whl 'torch/include/*' 'torch/share/*' 'torch/lib/*'
#        LIBTORCH=/work/torch214cu/torch node scripts/build-native.js --out /work/build214cu --configure
#        npm run check:headers -- --torch /work/torch214cu/torch --cuda --cuda-include /usr/local/cuda/include \
#          --cuda-include <cusparse/cublas/nccl headers unzipped from the nvidia_* wheels next to it>
#      (a CPU wheel can even be built and tested: LIBTORCH=... node scripts/build-native.js --out DIR,
#      then TORCH_NODE_BINARY=DIR/Release/torch_node.node npx jest …)
#   2. device:      run(command="bash scripts/gpu-check.sh", carry=[".gpu"], timeout_s=540)
#      This script unpacks .gpu/node.tar.xz to $TMPDIR/torch-node-gpu/node when no node is on PATH,
#      and .gpu/node_modules.tar.xz into ./node_modules when jest/cmake-js are missing (the worktree's
#      node_modules symlink arrives dangling). The fresh build takes a few minutes on 16 cores; the
#      whole device budget is 15 minutes, so run it once, read the summary, then give_back.
# Elsewhere:
#   bash scripts/gpu-check.sh                      # node and python3 from PATH
#   NODE=/opt/node-v20/bin/node PYTHON=/usr/bin/python3.11 bash scripts/gpu-check.sh
#
# Needs: a C++17 compiler (C++20 for PyTorch >= 2.14), cmake (or make + python3 for the node-gyp
# fallback), the PyTorch wheel's C++ files (share/cmake/Torch, include/), and node_modules (from
# .gpu/, else installed with the npm next to $NODE, which needs the internet). cmake's FindTorch for
# a CUDA PyTorch also wants the CUDA toolkit: scripts/build-native.js finds its root behind an nvcc
# wrapper, sets TORCH_CUDA_ARCH_LIST and names the wheel's libnvrtc (what failed configuring
# against 2.14.1+cu130 with the CUDA 13 of these machines); without a toolkit the build falls
# back to node-gyp (binding.gyp), which needs only the headers, but also make. A wheel ships no
# gloo headers: the Gloo backend comes from third_party/gloo's for the releases they were matched
# to (scripts/find-libtorch.js BUNDLED_GLOO_RELEASES), otherwise there is none; NCCL comes from the
# wheel's nccl.h. The build goes to build/ as usual (re-configured for this libtorch);
# `npm run build` afterwards rebuilds for the default libtorch.
set -uo pipefail
cd "$(dirname "$0")/.."

NODE="${NODE:-$(command -v node || true)}"
PYTHON="${PYTHON:-python3}"
say() { printf '[gpu-check] %s\n' "$*"; }
die() { printf '[gpu-check] FAILED: %s\n' "$*" >&2; exit 1; }
# tar's -J needs the xz program; python3's tarfile reads .tar.xz without it
untar_xz() {
  if command -v xz >/dev/null; then tar -xJf "$1" -C "$2"
  else "${PYTHON:-python3}" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}

# 0. a carried node (scripts/gpu-bundle.sh) when none is installed
if [ -z "$NODE" ] && [ -f .gpu/node.tar.xz ]; then
  NODE_HOME="${TMPDIR:-/tmp}/torch-node-gpu/node"
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    say "unpacking .gpu/node.tar.xz into $NODE_HOME"
    mkdir -p "$NODE_HOME" && untar_xz .gpu/node.tar.xz "$NODE_HOME" || die "cannot unpack .gpu/node.tar.xz"
  fi
  NODE="$NODE_HOME/bin/node"
fi

[ -n "$NODE" ] && [ -x "$NODE" ] || die "no node: set NODE=/path/to/bin/node (Node >= 18), or carry .gpu/ made by scripts/gpu-bundle.sh"
NODE="$(cd "$(dirname "$NODE")" && pwd)/$(basename "$NODE")"
# cmake-js, binding.gyp and the scripts run `node`: make it this one
export PATH="$(dirname "$NODE"):$PATH"
export PYTHON LIBTORCH_USE_PYTORCH=1
unset LIBTORCH TORCH_NODE_BINARY
say "node: $NODE ($("$NODE" --version))"
# FindTorch (CUDA) wants nvcc; a CUDA toolkit in /usr/local/cuda is often not on PATH
if ! command -v nvcc >/dev/null; then
  for d in "${CUDA_HOME:-}" /usr/local/cuda; do
    if [ -n "$d" ] && [ -x "$d/bin/nvcc" ]; then export PATH="$PATH:$d/bin" CUDA_HOME="$d"; say "nvcc: $d/bin/nvcc"; break; fi
  done
fi

# 1. the GPU and PyTorch
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader | sed 's/^/[gpu-check] gpu: /'
else
  say "nvidia-smi not found"
fi
PT="$("$PYTHON" - <<'PY' 2>&1
import torch
abi = getattr(torch, 'compiled_with_cxx11_abi', lambda: getattr(torch._C, '_GLIBCXX_USE_CXX11_ABI', '?'))()
print(torch.__version__, torch.version.cuda, torch.cuda.is_available(), torch.cuda.device_count(),
      'cxx11_abi=%s' % abi, torch.cuda.get_device_name(0) if torch.cuda.is_available() else '-')
PY
)" || die "$PYTHON cannot import torch: $PT"
# the last line (warnings may come before it)
read -r PT_VERSION PT_CUDA PT_AVAIL PT_COUNT PT_REST <<<"$(printf '%s\n' "$PT" | tail -n 1)"
say "PyTorch $PT_VERSION, CUDA $PT_CUDA, cuda available in Python: $PT_AVAIL ($PT_COUNT devices; $PT_REST)"
[ "$PT_CUDA" != "None" ] || die "this PyTorch is a CPU build (torch.version.cuda is None): install a CUDA wheel"
[ "$PT_AVAIL" = "True" ] || die "PyTorch sees no GPU (torch.cuda.is_available() is False): check the driver"

# 2. npm dependencies: the carried ones (scripts/gpu-bundle.sh), else npm (needs the internet)
if { [ ! -d node_modules/cmake-js ] || [ ! -d node_modules/jest ]; } && [ -f .gpu/node_modules.tar.xz ]; then
  # a worktree's node_modules is often a symlink to a shared install, dangling here
  if [ -L node_modules ] && [ ! -e node_modules ]; then rm -f node_modules; fi
  say "unpacking .gpu/node_modules.tar.xz"
  untar_xz .gpu/node_modules.tar.xz . || die "cannot unpack .gpu/node_modules.tar.xz"
fi
if [ ! -d node_modules/cmake-js ] || [ ! -d node_modules/jest ]; then
  NPM_CLI="$(dirname "$NODE")/../lib/node_modules/npm/bin/npm-cli.js"
  if command -v npm >/dev/null; then NPM=(npm); elif [ -f "$NPM_CLI" ]; then NPM=("$NODE" "$NPM_CLI"); else die "node_modules is missing and no npm was found next to $NODE"; fi
  say "installing npm dependencies"
  if [ -f package-lock.json ]; then "${NPM[@]}" ci --no-audit --no-fund; else "${NPM[@]}" install --no-audit --no-fund; fi || die "npm install failed"
fi

# 3. build against PyTorch's libtorch
LT="$("$NODE" scripts/find-libtorch.js)"
"$NODE" -e "const r = JSON.parse(process.argv[1]); if (!r.found) { console.error(r.error || 'looked at: ' + r.tried.join(', ')); process.exit(1); }" "$LT" \
  || die "no libtorch found in $PYTHON's torch (pip install torch, a CUDA wheel)"
say "libtorch: $("$NODE" -e "const r = JSON.parse(process.argv[1]); console.log(r.version + ' in ' + r.libdir + ', cuda=' + r.cuda + ', cxx11_abi=' + r.cxx11_abi)" "$LT")"
T0=$(date +%s)
if "$NODE" scripts/setup.js; then
  HOW="cmake-js"
else
  say "cmake-js build failed (FindTorch wants the CUDA toolkit?); trying node-gyp (binding.gyp)"
  command -v make >/dev/null || die "cmake-js build failed and node-gyp needs make, which is missing (see the cmake output above)"
  GYP="$("$NODE" -p "require('./scripts/node-gyp').nodeGypCommand()[0]")"
  ND="$("$NODE" -p "require('./scripts/node-gyp').nodeDir() || ''")"
  rm -f build/CMakeCache.txt
  if [[ "$GYP" == *.js ]]; then GYPCMD=("$NODE" "$GYP"); else GYPCMD=("$GYP"); fi
  JOBS=max "${GYPCMD[@]}" rebuild --release ${ND:+--nodedir="$ND"} || die "node-gyp build failed too"
  "$NODE" scripts/setup.js --ts-only || die "TypeScript build failed"
  HOW="node-gyp"
fi
say "built with $HOW in $(( $(date +%s) - T0 )) s"

# 4. the addon sees the GPU
INFO="$("$NODE" -e "
const { native } = require('./dist/binding.js');
const b = native._build_info(), c = native._cuda_info();
console.log(JSON.stringify({ built_against: b.torch_version, built_with_cuda: b.cuda, cuda_available: c[0], device_count: c[1] }));
" 2>&1)" || die "the addon does not load: $INFO"
say "addon: $INFO"
case "$INFO" in *'"built_with_cuda":true'*'"cuda_available":true'*) ;; *) die "the addon was not built with CUDA or sees no GPU" ;; esac

# 5. the CUDA tests
if ! ls test/cuda/*.test.ts >/dev/null 2>&1; then die "no CUDA tests (test/cuda/*.test.ts) in this checkout"; fi
OUT=/tmp/torch-node-gpu-jest.json
"$NODE" node_modules/jest/bin/jest.js test/cuda --json --outputFile="$OUT" --testTimeout=600000
RC=$?
"$NODE" -e "
const r = require('$OUT');
const lines = [];
for (const f of r.testResults) for (const a of f.assertionResults) if (a.status !== 'passed') lines.push('  ' + a.status.padEnd(8) + ' ' + a.fullName);
console.log('[gpu-check] ---- summary ----');
console.log('[gpu-check] PyTorch $PT_VERSION (CUDA $PT_CUDA), addon built with $HOW');
console.log('[gpu-check] CUDA tests: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed, ' + r.numPendingTests + ' skipped (' + r.numTotalTestSuites + ' files)');
if (lines.length) console.log(lines.join('\n'));
"
[ $RC -eq 0 ] && say "OK" || say "FAILED (jest exit $RC)"
exit $RC
