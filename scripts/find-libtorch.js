#!/usr/bin/env node
// The one libtorch finder, used by the setup script, CMakeLists.txt, binding.gyp, the install
// script and the addon loader.
// Build time (find): LIBTORCH (an unpacked libtorch), LIBTORCH_USE_PYTORCH=1 (python3's torch),
// then the system's (Debian/Ubuntu libtorch-dev), then python3's torch unless LIBTORCH_USE_PYTORCH=0.
// Prints JSON, or one field with --field NAME. Prebuilt binaries: pickPrebuild.
// Load time (atRuntime): which libtorch the dynamic loader will pick for a built addon, and its
// version, without loading it. --build-info FILE writes what a binary was built against.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const SYSTEM_LIBDIRS = ['/usr/local/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib',
  '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/lib64', '/lib'];

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

/**
 * The libtorch root at or just under `dir` (an unpacked libtorch, a PyTorch's torch/ directory, an
 * unpacked wheel or a site-packages holding torch/, a directory holding libtorch/): the one with
 * share/cmake/Torch/TorchConfig.cmake; null when there is none.
 */
function libtorchRootIn(dir) {
  return [dir, path.join(dir, 'torch'), path.join(dir, 'libtorch')].find((d) => fromRoot(d, '') !== null) || null;
}

function readVersionH(file) {
  if (!fs.existsSync(file)) return null;
  const s = fs.readFileSync(file, 'utf8');
  const g = (k) => (s.match(new RegExp(`#define TORCH_VERSION_${k} (\\d+)`)) || [])[1];
  return g('MAJOR') ? `${g('MAJOR')}.${g('MINOR')}.${g('PATCH')}` : null;
}

function versionFrom(includeDirs) {
  // torch/version.h (api/include) holds the numbers up to 2.x; later ones (2.13 wheels) only
  // include torch/headeronly/version.h, which holds them
  for (const d of includeDirs) {
    const v = readVersionH(path.join(d, 'torch', 'version.h')) || readVersionH(path.join(d, 'torch', 'headeronly', 'version.h'));
    if (v) return v;
  }
  return null;
}

/** 1 or 0: the _GLIBCXX_USE_CXX11_ABI a libtorch was built with, from its TorchConfig.cmake. */
function cxx11AbiFrom(cmakePrefix) {
  const f = path.join(cmakePrefix, 'Torch', 'TorchConfig.cmake');
  if (!fs.existsSync(f)) return null;
  const m = fs.readFileSync(f, 'utf8').match(/_GLIBCXX_USE_CXX11_ABI=([01])/);
  return m ? Number(m[1]) : null;
}

/** The name an addon linked against this libdir asks the dynamic loader for (its DT_NEEDED). */
function sonameIn(libdir) {
  // Debian's libtorch_cpu.so -> libtorch_cpu.so.1.13 -> libtorch_cpu.so.1.13.0, SONAME the middle
  // one; pip wheels and unpacked libtorch ship a plain libtorch_cpu.so.
  let p = path.join(libdir, 'libtorch_cpu.so');
  for (let i = 0; i < 8; i++) {
    let st;
    try { st = fs.lstatSync(p); } catch { break; }
    if (!st.isSymbolicLink()) break;
    const next = fs.readlinkSync(p);
    if (/^libtorch_cpu\.so\.\d+\.\d+$/.test(path.basename(next))) return path.basename(next);
    p = path.resolve(path.dirname(p), next);
  }
  return 'libtorch_cpu.so';
}

/** CUDA runtime headers a CUDA libtorch's c10/cuda headers need (node-gyp build only). */
function cudaIncludes(libdir) {
  const c = [];
  if (process.env.CUDA_HOME) c.push(path.join(process.env.CUDA_HOME, 'include'));
  c.push('/usr/local/cuda/include');
  // a pip wheel: site-packages/torch/lib -> site-packages/nvidia/*/include
  const nv = path.join(libdir, '..', '..', 'nvidia');
  if (fs.existsSync(nv)) for (const d of fs.readdirSync(nv)) c.push(path.join(nv, d, 'include'));
  // a pip wheel's CUDA headers are split over packages (cu13/include holds the runtime, cusparse,
  // cublas…; nccl/include holds nccl.h), all of which ATen/cuda and c10d headers include
  const marks = ['cuda_runtime_api.h', 'cuda.h', 'cusparse.h', 'cublas_v2.h', 'nccl.h'];
  return c.filter((d) => marks.some((m) => fs.existsSync(path.join(d, m))));
}

/**
 * The C++ standard a libtorch's headers need: 17, or 20 from 2.14 on (pytorch/pytorch#178150,
 * merged 2026-07-17, makes ATen/ATen.h and torch/all.h `#error` below C++20; the 2.13.0 wheel's
 * ATen.h still asks for C++17 only). Used by CMakeLists.txt, binding.gyp and
 * scripts/check-torch-headers.js.
 */
function cxxStdFor(version) {
  const [maj, min] = String(version || '0.0').split('.').map(Number);
  return maj > 2 || (maj === 2 && min >= 14) ? 20 : 17;
}

/**
 * The compile definitions a libtorch's CMake targets export (INTERFACE_COMPILE_DEFINITIONS of
 * torch_cpu, torch and, for CUDA builds, torch_cuda in Caffe2Targets.cmake), or null when its
 * CMake files do not say.
 */
function targetDefinesFrom(cmakePrefix, cuda) {
  const f = cmakePrefix && path.join(cmakePrefix, 'Caffe2', 'Caffe2Targets.cmake');
  if (!f || !fs.existsSync(f)) return null;
  const s = fs.readFileSync(f, 'utf8');
  const want = new Set(['torch_cpu', 'torch', ...(cuda ? ['torch_cuda', 'c10_cuda'] : [])]);
  const out = [];
  const re = /set_target_properties\((\w+) PROPERTIES([\s\S]*?)\n\)/g;
  let m;
  while ((m = re.exec(s))) {
    if (!want.has(m[1])) continue;
    const d = m[2].match(/INTERFACE_COMPILE_DEFINITIONS "([^"]*)"/);
    if (d) for (const x of d[1].split(';')) if (x && !x.includes('$<') && !out.includes(x)) out.push(x);
  }
  return out;
}

const IMPLICIT_INCLUDES = ['/usr/include', '/usr/local/include'];

/** "2.13" for "2.13.0+cpu": the release a binary and a libtorch must share; null when unknown. */
function release(version) {
  return version ? String(version).split('.').slice(0, 2).join('.') : null;
}

// Gloo's headers for the libtorches that ship Gloo's code but not its headers (pip wheels):
// third_party/gloo (see its README for the commit and how it was matched to each release). They fit
// only the releases listed here, each checked by running the distributed suite against that release.
const BUNDLED_GLOO = path.join(__dirname, '..', 'third_party', 'gloo', 'include');
const BUNDLED_GLOO_RELEASES = ['2.13'];
function bundledGlooFits(version) {
  return BUNDLED_GLOO_RELEASES.includes(release(version)) && fs.existsSync(path.join(BUNDLED_GLOO, 'gloo', 'algorithm.h'));
}

/**
 * torch.distributed's c10d backends for a found libtorch, decided here for both builds
 * (CMakeLists.txt and binding.gyp: --field c10d_defines, gloo_include, gloo_libs):
 * - the USE_DISTRIBUTED / USE_C10D_* definitions the libtorch's targets export (CMake adds them
 *   itself through the Torch target; node-gyp has only these);
 * - Gloo: ProcessGroupGloo.hpp needs gloo's headers. Only Debian's (system) libtorch is built
 *   against Debian's gloo (libgloo-dev: /usr/include/gloo, libgloo.so, linked). A pip wheel or an
 *   unpacked libtorch carries its own gloo inside libtorch_cpu, and linking /usr/lib's libgloo
 *   next to it crashes in ProcessGroupGloo's connectFullMesh (seen with the 2.13 wheel): there only
 *   the tree's own gloo headers fit, or third_party/gloo's for the releases it was matched to
 *   (nothing to link). Without fitting headers: TN_NO_GLOO, which
 *   keeps native/distributed/c10d.h off /usr/include/gloo (no Gloo backend).
 * - NCCL: a CUDA libtorch whose targets export USE_C10D_NCCL, with nccl.h among the CUDA includes
 *   (or the system's): TN_C10D_NCCL; ProcessGroupNCCL lives in libtorch_cuda, nothing more to link.
 * gloo_include leaves out the compiler's own directories (-I/usr/include breaks libstdc++'s
 * #include_next) and the libtorch's own include dirs; gloo_libs are full paths.
 * lt: {how, include, libdir, cmake_prefix, cuda, cuda_include} (find()'s; scripts/check-torch-headers.js
 * makes one for a bare include tree).
 */
function c10dFor(lt) {
  let defs = targetDefinesFrom(lt.cmake_prefix, lt.cuda);
  // no Caffe2Targets.cmake (or cmake_prefix null): what a Linux libtorch with distributed exports
  if (defs === null) defs = ['USE_DISTRIBUTED', 'USE_C10D_GLOO', 'USE_RPC', 'USE_TENSORPIPE', ...(lt.cuda ? ['USE_C10D_NCCL'] : [])];
  defs = defs.filter((d) => /^USE_(DISTRIBUTED|C10D_\w+|RPC|TENSORPIPE)$/.test(d));
  const backends = [];
  let glooInc = null;
  const glooLibs = [];
  let note = '';
  if (defs.includes('USE_DISTRIBUTED') && defs.includes('USE_C10D_GLOO')) {
    const has = (d) => fs.existsSync(path.join(d, 'gloo', 'algorithm.h'));
    if (lt.how === 'system') {
      glooInc = [...lt.include, ...IMPLICIT_INCLUDES].find(has) || null;
      const lib = [lt.libdir, ...SYSTEM_LIBDIRS].map((d) => path.join(d, 'libgloo.so')).find((f) => fs.existsSync(f));
      if (glooInc && lib) glooLibs.push(lib);
      else if (glooInc) glooInc = null;
      if (!glooInc) note = 'no gloo headers and library for the system libtorch (Debian/Ubuntu: sudo apt-get install -y libgloo-dev)';
    } else {
      glooInc = lt.include.find(has) || (bundledGlooFits(lt.version) ? BUNDLED_GLOO : null);
      if (!glooInc) {
        note = `${lt.include[0]} holds no gloo headers (a pip wheel ships none; /usr/include's fit only the system libtorch; ` +
          `third_party/gloo's fit libtorch ${BUNDLED_GLOO_RELEASES.join(', ')}, not ${lt.version})`;
      }
    }
  } else {
    note = 'this libtorch was built without USE_DISTRIBUTED/USE_C10D_GLOO';
  }
  if (glooInc) backends.push('gloo');
  else defs.push('TN_NO_GLOO');
  if (lt.cuda && defs.includes('USE_C10D_NCCL')) {
    if ([...lt.cuda_include, ...IMPLICIT_INCLUDES].some((d) => fs.existsSync(path.join(d, 'nccl.h')))) {
      backends.push('nccl');
      defs.push('TN_C10D_NCCL'); // CMake's torch_cuda target exports USE_C10D_NCCL whatever is decided here
    } else {
      defs.splice(defs.indexOf('USE_C10D_NCCL'), 1);
    }
  }
  return {
    c10d_backends: backends,
    c10d_defines: defs,
    gloo_include: glooInc && !IMPLICIT_INCLUDES.includes(glooInc) && !lt.include.includes(glooInc) ? [glooInc] : [],
    gloo_libs: glooLibs,
    c10d_note: note ? `torch.distributed has no Gloo backend: ${note}` : '',
  };
}

/**
 * How the addon is compiled and linked against a libtorch: the one build decision, which
 * CMakeLists.txt (--cmake FILE), binding.gyp (--build FIELD) and scripts/check-torch-headers.js
 * all take from here. lt: find()'s result, or the same fields for a bare include tree
 * (check-torch-headers.js: how, include, libdir, cmake_prefix, cuda, cuda_include, version).
 *   cxx_std         17 or 20 (cxxStdFor)
 *   defines         N-API mode, the C++ ABI, TN_WITH_CUDA, torch.distributed's backends (c10dFor)
 *   cflags          warnings and visibility, the same for both builds
 *   torch_include   the libtorch's headers (CMake takes them from the Torch target)
 *   include         gloo's headers where they are not among the libtorch's (c10dFor)
 *   system_include  a CUDA libtorch's toolkit headers (cudaIncludes)
 *   torch_libs      what node-gyp links (-l…; CMake links TORCH_LIBRARIES)
 *   libs            full paths linked by both (Debian's libgloo for the system libtorch)
 *   libdir          RUNPATH of the addon;  cmake_prefix  CMAKE_PREFIX_PATH entries for find_package(Torch)
 *   note            why torch.distributed lacks a backend ('' when it has all)
 */
function addonBuild(lt) {
  const c10d = lt.c10d_defines ? lt : c10dFor(lt);
  const abi = lt.cxx11_abi === null || lt.cxx11_abi === undefined ? 1 : lt.cxx11_abi;
  return {
    cxx_std: cxxStdFor(lt.version),
    defines: ['NAPI_EXPERIMENTAL', 'NAPI_VERSION=2147483647', 'NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_DEPRECATED',
      `_GLIBCXX_USE_CXX11_ABI=${abi}`, ...(lt.cuda ? ['TN_WITH_CUDA'] : []), ...c10d.c10d_defines],
    cflags: ['-fvisibility=hidden', '-Wno-deprecated-declarations'],
    torch_include: lt.include,
    include: c10d.gloo_include,
    system_include: lt.cuda_include || [],
    torch_libs: ['-ltorch', '-ltorch_cpu', '-lc10', ...(lt.cuda ? ['-ltorch_cuda', '-lc10_cuda'] : [])],
    libs: c10d.gloo_libs,
    libdir: lt.libdir,
    // TorchConfig.cmake finds its libraries with find_library(... PATHS <root>/lib), and PATHS come
    // after the system directories: with Debian's libtorch-dev installed, a pip wheel's or an
    // unpacked libtorch's config would link /usr/lib's libtorch. The root as a prefix puts <root>/lib first.
    cmake_prefix: lt.cmake_prefix ? [lt.cmake_prefix, path.resolve(lt.cmake_prefix, '..', '..')] : [],
    note: c10d.c10d_note,
  };
}

/** addonBuild(lt) as CMake set() commands (TN_<FIELD>, lists ;-separated), for CMakeLists.txt's include(). */
function cmakeScript(b) {
  const q = (x) => `"${String(x).replace(/\\/g, '/').replace(/"/g, '\\"')}"`;
  const lines = ['# written by scripts/find-libtorch.js --cmake (addonBuild): the libtorch build decision'];
  for (const [k, v] of Object.entries(b)) lines.push(`set(TN_${k.toUpperCase()} ${Array.isArray(v) ? q(v.join(';')) : q(v)})`);
  return lines.join('\n') + '\n';
}

function find() {
  const tried = [];
  let found = null;
  if (process.env.LIBTORCH) {
    tried.push(`LIBTORCH=${process.env.LIBTORCH}`);
    found = fromRoot(path.resolve(process.env.LIBTORCH), 'LIBTORCH');
    if (!found) {
      return { found: false, tried, error: `LIBTORCH=${process.env.LIBTORCH} does not look like an unpacked libtorch (no share/cmake/Torch/TorchConfig.cmake under it)` };
    }
  } else if (process.env.LIBTORCH_USE_PYTORCH === '1') {
    const py = process.env.PYTHON || 'python3';
    tried.push(`LIBTORCH_USE_PYTORCH=1 (${py})`);
    let prefix;
    try {
      prefix = execFileSync(py, ['-c', 'import torch,os;print(os.path.dirname(torch.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (e) {
      return { found: false, tried, error: `LIBTORCH_USE_PYTORCH=1 but '${py} -c "import torch"' failed; install PyTorch for ${py} (pip install torch) or set PYTHON to a python that has it` };
    }
    found = fromRoot(prefix, 'LIBTORCH_USE_PYTORCH');
    if (!found) {
      return { found: false, tried, error: `${py}'s torch at ${prefix} has no share/cmake/Torch (a PyTorch without its C++ files?)` };
    }
  } else {
    for (const libdir of SYSTEM_LIBDIRS.slice(0, 5)) {
      tried.push(path.join(libdir, 'cmake/Torch'));
      if (fs.existsSync(path.join(libdir, 'cmake', 'Torch', 'TorchConfig.cmake'))) {
        const inc = libdir.startsWith('/usr/local') ? '/usr/local/include' : '/usr/include';
        found = { how: 'system', cmake_prefix: path.join(libdir, 'cmake'), include: [inc, path.join(inc, 'torch/csrc/api/include')], libdir };
        break;
      }
    }
    // no system libtorch: the PyTorch python3 has (pip install torch), unless LIBTORCH_USE_PYTORCH=0
    if (!found && process.env.LIBTORCH_USE_PYTORCH !== '0') {
      const py = process.env.PYTHON || 'python3';
      const dir = pytorchDir(py);
      tried.push(`${py}'s torch${dir ? ` (${dir})` : ': none'}`);
      if (dir) {
        found = fromRoot(dir, 'pytorch');
        if (found) found.note = `using ${py}'s PyTorch at ${dir}, found without being asked (LIBTORCH_USE_PYTORCH=0 ignores it)`;
      }
    }
  }
  if (!found) return { found: false, tried };
  found.found = true;
  found.version = versionFrom(found.include);
  found.cuda = fs.existsSync(path.join(found.libdir, 'libtorch_cuda.so'));
  found.cxx11_abi = cxx11AbiFrom(found.cmake_prefix);
  found.soname = sonameIn(found.libdir);
  found.cuda_include = found.cuda ? cudaIncludes(found.libdir) : [];
  found.cxx_std = cxxStdFor(found.version);
  Object.assign(found, c10dFor(found));
  found.tried = tried;
  return found;
}

/** What a binary built now records (build/Release/torch_node.json, prebuilds/<tuple>/torch-node.json). */
function buildInfo(lt = find()) {
  if (!lt.found) throw new Error(`libtorch not found; looked at: ${lt.tried.join(', ')}`);
  return {
    libtorch_version: lt.version,
    cuda: lt.cuda,
    cxx11_abi: lt.cxx11_abi,
    soname: lt.soname,
    libdir: lt.libdir,
    how: lt.how,
    c10d_backends: lt.c10d_backends,
    node_abi: process.versions.modules,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Version, CUDA and C++ ABI of the libtorch in libdir, from the files around it (no loading). */
function describeLibdir(libdir) {
  const root = path.dirname(libdir);
  let version = null;
  const versionFiles = [
    path.join(root, 'include', 'torch', 'version.h'),
    path.join(root, 'include', 'torch', 'csrc', 'api', 'include', 'torch', 'version.h'),
    path.join(root, 'include', 'torch', 'headeronly', 'version.h'),
  ];
  if (SYSTEM_LIBDIRS.includes(libdir)) {
    const inc = libdir.startsWith('/usr/local') ? '/usr/local/include' : '/usr/include';
    versionFiles.push(path.join(inc, 'torch', 'csrc', 'api', 'include', 'torch', 'version.h'));
  }
  for (const f of versionFiles) if (!version) version = readVersionH(f);
  if (!version) {
    // an unpacked libtorch: build-version ("2.1.0+cpu"); a pip wheel: torch/version.py
    for (const [f, re] of [[path.join(root, 'build-version'), /^(\d+\.\d+\.\d+)/], [path.join(root, 'version.py'), /__version__\s*=\s*'(\d+\.\d+\.\d+)/]]) {
      if (!version && fs.existsSync(f)) version = (fs.readFileSync(f, 'utf8').match(re) || [])[1] || null;
    }
  }
  if (!version) {
    // a versioned runtime library (Debian libtorch1.13 without -dev): libtorch_cpu.so.1.13.1
    try {
      const real = path.basename(fs.realpathSync(path.join(libdir, 'libtorch_cpu.so')));
      version = (real.match(/\.so\.(\d+\.\d+\.\d+)$/) || [])[1] || null;
    } catch { /* absent */ }
  }
  let cxx11 = null;
  for (const c of [path.join(root, 'share', 'cmake'), path.join(libdir, 'cmake')]) if (cxx11 === null) cxx11 = cxx11AbiFrom(c);
  return { libdir, version, cuda: fs.existsSync(path.join(libdir, 'libtorch_cuda.so')), cxx11_abi: cxx11 };
}

/**
 * The libtorch the dynamic loader will give an addon built as `info` describes: the first
 * directory holding info.soname among LD_LIBRARY_PATH, the addon's RUNPATH (info.libdir) and
 * the system directories. null when none holds it (the load would fail: libtorch missing).
 */
function atRuntime(info) {
  const soname = info.soname || 'libtorch_cpu.so';
  const dirs = [...(process.env.LD_LIBRARY_PATH || '').split(':').filter(Boolean), info.libdir, ...SYSTEM_LIBDIRS].filter(Boolean);
  for (const d of dirs) {
    if (fs.existsSync(path.join(d, soname))) return describeLibdir(path.resolve(d));
  }
  return null;
}

/**
 * Why a binary built as `info` cannot work with the libtorch found at run time (a list of
 * reasons, empty when it can), and that libtorch (null when not found).
 */
function checkBinary(info) {
  const rt = atRuntime(info);
  const reasons = [];
  if (!rt) {
    reasons.push(`no ${info.soname || 'libtorch_cpu.so'} in LD_LIBRARY_PATH, ${info.libdir} or the system library directories`);
    return { runtime: null, reasons };
  }
  reasons.push(...misfit(info, rt));
  return { runtime: rt, reasons };
}

/**
 * The torch/ directory of the PyTorch that python `py` would import, found without importing it
 * (importlib's find_spec: tens of milliseconds instead of a second); null when it has none.
 */
function pytorchDir(py = process.env.PYTHON || 'python3') {
  try {
    const code = 'import importlib.util as u; s = u.find_spec("torch"); print(s.submodule_search_locations[0] if s and s.submodule_search_locations else "")';
    const dir = execFileSync(py, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20000 }).trim();
    return dir && fs.existsSync(path.join(dir, 'lib', 'libtorch_cpu.so')) ? dir : null;
  } catch {
    return null;
  }
}

/**
 * The libtorches a prebuilt binary could run on here, in the order they are preferred: the
 * directories of LD_LIBRARY_PATH that hold libtorch_cpu.so, $LIBTORCH/lib, python3's torch/lib when
 * LIBTORCH_USE_PYTORCH=1, the system's, then python3's torch/lib unless LIBTORCH_USE_PYTORCH=0
 * (the build-time finder's order). Each as describeLibdir gives it, with `how`. Lazy: python3 is
 * asked only when the earlier ones were all refused.
 */
function* runtimeLibtorches() {
  const seen = new Set();
  function* at(libdir, how) {
    const d = path.resolve(libdir);
    if (!fs.existsSync(path.join(d, 'libtorch_cpu.so'))) return;
    const real = fs.realpathSync(d); // /lib/x86_64-linux-gnu is /usr/lib/x86_64-linux-gnu on merged-/usr systems
    if (seen.has(real)) return;
    seen.add(real);
    yield { ...describeLibdir(d), how };
  }
  for (const d of (process.env.LD_LIBRARY_PATH || '').split(':').filter(Boolean)) yield* at(d, 'LD_LIBRARY_PATH');
  if (process.env.LIBTORCH) {
    const r = path.resolve(process.env.LIBTORCH);
    for (const d of [path.join(r, 'lib'), path.join(r, 'torch', 'lib'), path.join(r, 'libtorch', 'lib')]) yield* at(d, 'LIBTORCH');
  }
  const python = function* (how) {
    const dir = pytorchDir();
    if (dir) yield* at(path.join(dir, 'lib'), how);
  };
  if (process.env.LIBTORCH_USE_PYTORCH === '1') yield* python('LIBTORCH_USE_PYTORCH');
  for (const d of SYSTEM_LIBDIRS) yield* at(d, 'system');
  if (process.env.LIBTORCH_USE_PYTORCH !== '0' && process.env.LIBTORCH_USE_PYTORCH !== '1') yield* python('pytorch');
}

/** Why a binary built as `info` cannot run on the libtorch `rt` (describeLibdir's): a list, empty when it can. */
function misfit(info, rt) {
  const reasons = [];
  if (rt.version && info.libtorch_version && release(rt.version) !== release(info.libtorch_version)) {
    reasons.push(`it was built against libtorch ${info.libtorch_version} but the libtorch found is ${rt.version} (${rt.libdir})`);
  }
  if (info.cuda && !rt.cuda) reasons.push(`it was built against a CUDA libtorch but ${rt.libdir} has no libtorch_cuda.so`);
  if (!info.cuda && rt.cuda) reasons.push(`it was built against a CPU libtorch but ${rt.libdir} is a CUDA one`);
  if (rt.cxx11_abi !== null && info.cxx11_abi !== null && info.cxx11_abi !== undefined && rt.cxx11_abi !== info.cxx11_abi) {
    reasons.push(`it was built with _GLIBCXX_USE_CXX11_ABI=${info.cxx11_abi} but the libtorch in ${rt.libdir} uses ${rt.cxx11_abi}`);
  }
  if (info.node_abi && info.node_abi !== process.versions.modules) {
    reasons.push(`it was built for Node ABI ${info.node_abi} (experimental N-API) and this Node ${process.version} has ABI ${process.versions.modules}`);
  }
  return reasons;
}

/**
 * The libtorch libraries to load (RTLD_GLOBAL) before a prebuilt binary whose libtorch the dynamic
 * loader would not find by itself: the binary's RUNPATH names the build machine's directory, and the
 * loader matches its NEEDED entries to libraries already loaded under the same soname. Empty when
 * the libtorch is in LD_LIBRARY_PATH or a system directory.
 */
function preloadList(rt) {
  const onPath = [...(process.env.LD_LIBRARY_PATH || '').split(':').filter(Boolean).map((d) => path.resolve(d)), ...SYSTEM_LIBDIRS];
  if (onPath.includes(path.resolve(rt.libdir))) return [];
  const names = ['libc10.so', ...(rt.cuda ? ['libc10_cuda.so'] : []), 'libtorch_cpu.so', ...(rt.cuda ? ['libtorch_cuda.so'] : []), 'libtorch.so'];
  return names.map((n) => path.join(rt.libdir, n)).filter((f) => fs.existsSync(f));
}

/**
 * Which prebuilt binary of `dir` (prebuilds/<platform>-<arch>/, each torch-node.abi<N>[.libtorch<x.y>-<cpu|cuda>].node
 * with its .json build record) to load here: the first libtorch of runtimeLibtorches() that one of
 * them fits. {file, info, runtime, preload} when one fits; {file: null, reasons} when none does,
 * each reason naming the binary and the libtorch it was refused for.
 */
function pickPrebuild(dir) {
  const builds = [];
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.node') || !f.startsWith('torch-node.')) continue;
      const file = path.join(dir, f);
      const rec = file.replace(/\.node$/, '.json');
      let info = null;
      try {
        info = JSON.parse(fs.readFileSync(rec, 'utf8'));
      } catch {
        continue; // a binary without its record cannot be matched to a libtorch
      }
      builds.push({ file, info });
    }
  }
  if (!builds.length) return { file: null, reasons: [`no prebuilt binary (with its .json build record) in ${dir}`] };
  const reasons = [];
  let any = false;
  for (const rt of runtimeLibtorches()) {
    any = true;
    for (const b of builds) {
      const r = misfit(b.info, rt);
      if (!r.length) return { file: b.file, info: b.info, runtime: rt, preload: preloadList(rt) };
      reasons.push(`${path.basename(b.file)} (${describe(b.info)}) for the libtorch in ${rt.libdir} (${rt.how}): ${r.join('; ')}`);
    }
  }
  if (!any) reasons.push('no libtorch found: none in LD_LIBRARY_PATH, $LIBTORCH, the system library directories or python3\'s PyTorch');
  return { file: null, reasons };
}

/** The file name (without .node/.json) of a prebuilt binary built as `info` records. */
function prebuildName(info) {
  return `torch-node.abi${info.node_abi || process.versions.modules}.libtorch${release(info.libtorch_version) || '0.0'}-${info.cuda ? 'cuda' : 'cpu'}`;
}

/** Human description of a build-info record. */
function describe(info) {
  return `libtorch ${info.libtorch_version || '?'} (${info.cuda ? 'CUDA' : 'CPU'}${info.cxx11_abi === 0 ? ', pre-C++11 ABI' : ''})`;
}

module.exports = {
  find, buildInfo, atRuntime, libtorchRootIn, checkBinary, describeLibdir, describe, cxxStdFor, c10dFor, addonBuild, cmakeScript,
  pytorchDir, runtimeLibtorches, misfit, preloadList, pickPrebuild, prebuildName,
};
if (require.main === module) {
  const r = find();
  const i = process.argv.indexOf('--field');
  const b = process.argv.indexOf('--build-info');
  const k = process.argv.indexOf('--build');
  const c = process.argv.indexOf('--cmake');
  if (!r.found && (i > 0 || b > 0 || k > 0 || c > 0)) {
    console.error(r.error || `libtorch not found; looked at: ${r.tried.join(', ')}`);
    process.exit(1);
  }
  const print = (v) => process.stdout.write(Array.isArray(v) ? v.join(' ') : String(v));
  if (b > 0) {
    const out = process.argv[b + 1];
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(buildInfo(r), null, 2) + '\n');
  } else if (c > 0) {
    const out = path.resolve(process.argv[c + 1]);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, cmakeScript(addonBuild(r)));
  } else if (k > 0) {
    const build = addonBuild(r);
    const name = process.argv[k + 1];
    if (!(name in build)) {
      console.error(`--build ${name}: not one of ${Object.keys(build).join(', ')}`);
      process.exit(2);
    }
    print(build[name]);
  } else if (i > 0) {
    const name = process.argv[i + 1];
    // a libtorch whose TorchConfig.cmake does not say is taken to use the new ABI (libtorch >= 2.x, Debian)
    print(name === 'cxx11_abi' && r.cxx11_abi === null ? 1 : r[name]);
  } else {
    console.log(JSON.stringify(r, null, 2));
  }
}
