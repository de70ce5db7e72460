#!/usr/bin/env node
// The one libtorch finder, used by the setup script, CMakeLists.txt and binding.gyp.
// Order: LIBTORCH (an unpacked libtorch), LIBTORCH_USE_PYTORCH=1 (python3's torch), the system's
// (Debian/Ubuntu libtorch-dev). Prints JSON, or one field with --field NAME.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

function fromRoot(root, how) {
  // An unpacked libtorch or a pip wheel's torch/ directory: include/, lib/, share/cmake/Torch.
  const cmake = path.join(root, 'share', 'cmake');
  if (!fs.existsSync(path.join(cmake, 'Torch', 'TorchConfig.cmake'))) return null;
  return {
    how,
    cmake_prefix: cmake,
    include: [path.join(root, 'include'), path.join(root, 'include', 'torch', 'csrc', 'api', 'include')],
    libdir: path.join(root, 'lib'),
  };
}

function versionFrom(includeDirs) {
  for (const d of includeDirs) {
    const f = path.join(d, 'torch', 'version.h');
    if (fs.existsSync(f)) {
      const s = fs.readFileSync(f, 'utf8');
      const g = (k) => (s.match(new RegExp(`#define TORCH_VERSION_${k} (\\d+)`)) || [])[1];
      return `${g('MAJOR')}.${g('MINOR')}.${g('PATCH')}`;
    }
  }
  return null;
}

function find() {
  const tried = [];
  let found = null;
  if (process.env.LIBTORCH) {
    tried.push(`LIBTORCH=${process.env.LIBTORCH}`);
    found = fromRoot(path.resolve(process.env.LIBTORCH), 'LIBTORCH');
    if (!found) throw new Error(`LIBTORCH=${process.env.LIBTORCH} does not look like a libtorch (no share/cmake/Torch/TorchConfig.cmake)`);
  } else if (process.env.LIBTORCH_USE_PYTORCH === '1') {
    const py = process.env.PYTHON || 'python3';
    tried.push(`LIBTORCH_USE_PYTORCH=1 (${py})`);
    let prefix;
    try {
      prefix = execFileSync(py, ['-c', 'import torch,os;print(os.path.dirname(torch.__file__))'], { encoding: 'utf8' }).trim();
    } catch (e) {
      throw new Error(`LIBTORCH_USE_PYTORCH=1 but '${py} -c "import torch"' failed; install PyTorch for ${py} or set PYTHON`);
    }
    found = fromRoot(prefix, 'LIBTORCH_USE_PYTORCH');
  } else {
    const candidates = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
    for (const libdir of candidates) {
      tried.push(path.join(libdir, 'cmake/Torch'));
      if (fs.existsSync(path.join(libdir, 'cmake', 'Torch', 'TorchConfig.cmake'))) {
        const inc = libdir.startsWith('/usr/local') ? '/usr/local/include' : '/usr/include';
        found = { how: 'system', cmake_prefix: path.join(libdir, 'cmake'), include: [inc, path.join(inc, 'torch/csrc/api/include')], libdir };
        break;
      }
    }
  }
  if (!found) return { found: false, tried };
  found.found = true;
  found.version = versionFrom(found.include);
  found.cuda = fs.existsSync(path.join(found.libdir, 'libtorch_cuda.so'));
  found.tried = tried;
  return found;
}

module.exports = { find };
if (require.main === module) {
  const r = find();
  const i = process.argv.indexOf('--field');
  if (i > 0) {
    if (!r.found) { console.error(`libtorch not found; looked at: ${r.tried.join(', ')}`); process.exit(1); }
    const v = r[process.argv[i + 1]];
    process.stdout.write(Array.isArray(v) ? v.join(' ') : String(v));
  } else {
    console.log(JSON.stringify(r, null, 2));
  }
}
