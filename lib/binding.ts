/**
 * Loads the native addon once and hands it the JS error classes and the shared state array.
 * A missing or mismatched libtorch becomes an error that says what was looked for and how to fix
 * it, not a raw dlopen message.
 */
import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';
import { nativeErrorClasses, warn } from './errors';
import type { Native } from '../types/native';

/** shared[0]: the id of the native registry's current arena (see lib/tensor.ts). */
export const shared = new Int32Array(4);

const root = path.join(__dirname, '..');

/** What a binary records about its build (scripts/find-libtorch.js buildInfo), in <binary>.json. */
interface BuildInfo {
  libtorch_version: string | null;
  cuda: boolean;
  cxx11_abi: number | null;
  soname?: string;
  libdir: string;
  node_abi?: string;
  /** torch.distributed backends compiled in ('gloo', 'nccl'); absent in records before they were kept. */
  c10d_backends?: string[];
}
interface RuntimeLibtorch {
  libdir: string;
  version: string | null;
  cuda: boolean;
  how?: string;
}
interface Finder {
  checkBinary(info: BuildInfo): { runtime: RuntimeLibtorch | null; reasons: string[] };
  describe(info: BuildInfo): string;
  pickPrebuild(dir: string): { file: string | null; info?: BuildInfo; runtime?: RuntimeLibtorch; preload?: string[]; reasons?: string[] };
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const finder = (): Finder => require(path.join(root, 'scripts', 'find-libtorch.js'));

const HOW_TO_GET_LIBTORCH = [
  'libtorch is looked for in this order: LD_LIBRARY_PATH, $LIBTORCH (an unpacked libtorch), LIBTORCH_USE_PYTORCH=1 (python3\'s PyTorch),',
  'the system (Debian/Ubuntu: `sudo apt-get install -y libtorch-dev libopenblas0-openmp`), then python3\'s PyTorch (pip install torch)',
  'unless LIBTORCH_USE_PYTORCH=0.',
];
const HOW_TO_REBUILD = [
  'Rebuild the addon against the libtorch you have:',
  '  in a project that depends on torch-node:  TORCH_NODE_BUILD_FROM_SOURCE=1 npm rebuild torch-node',
  '  in a torch-node checkout:                 npm run build',
];

/** The binary to load, the libtorch libraries to load before it, and whether its build record was already checked. */
interface Resolved {
  file: string;
  preload: string[];
  checked: boolean;
}

/**
 * The binary to load: $TORCH_NODE_BINARY, else build/Release (a source build), else the prebuilt
 * binary of prebuilds/<platform>-<arch>/ that fits the libtorch found here (scripts/find-libtorch.js
 * pickPrebuild: one binary per libtorch release and CPU/CUDA, for this Node ABI).
 */
function resolveBinary(): Resolved {
  if (process.env.TORCH_NODE_BINARY) {
    const file = path.resolve(process.env.TORCH_NODE_BINARY);
    if (!fs.existsSync(file)) throw new Error(`TORCH_NODE_BINARY=${process.env.TORCH_NODE_BINARY}: no such file`);
    return { file, preload: [], checked: false };
  }
  const local = path.join(root, 'build', 'Release', 'torch_node.node');
  if (fs.existsSync(local)) return { file: local, preload: [], checked: false };
  const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  let picked: ReturnType<Finder['pickPrebuild']> | null = null;
  try {
    picked = finder().pickPrebuild(dir);
  } catch (e) {
    picked = { file: null, reasons: [`the prebuilt binaries could not be matched: ${(e as Error).message}`] };
  }
  if (picked.file) return { file: picked.file, preload: picked.preload ?? [], checked: true };
  const lines = [`torch-node's native addon is not built (no ${path.relative(root, local)}), and no prebuilt binary fits here (Node ${process.version}, ABI ${process.versions.modules}):`];
  for (const r of picked.reasons ?? []) lines.push(`  - ${r}`);
  lines.push(
    'In a torch-node checkout, run `npm run setup`: it finds or installs libtorch and builds the addon.',
    'In a project that depends on torch-node: TORCH_NODE_BUILD_FROM_SOURCE=1 npm rebuild torch-node',
    ...HOW_TO_GET_LIBTORCH,
  );
  throw new Error(lines.join('\n'));
}

/**
 * Before loading: compare what the binary was built against with the libtorch the dynamic loader
 * will find, so that a mismatch is explained instead of failing on an unresolved symbol.
 */
function checkBuild(file: string): void {
  if (process.env.TORCH_NODE_SKIP_CHECK === '1') return;
  const infoFile = file.replace(/\.node$/, '.json');
  if (!fs.existsSync(infoFile)) return;
  let info: BuildInfo;
  let f: Finder;
  try {
    info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
    f = finder();
  } catch {
    return;
  }
  const { reasons } = f.checkBinary(info);
  if (reasons.length === 0) return;
  const lines = [`torch-node's native addon ${file} was built against ${f.describe(info)} and cannot be loaded here:`];
  for (const r of reasons) lines.push(`  - ${r}`);
  lines.push(...HOW_TO_REBUILD, ...HOW_TO_GET_LIBTORCH, '(TORCH_NODE_SKIP_CHECK=1 skips this check.)');
  throw new Error(lines.join('\n'));
}

/** A dlopen failure, said in terms of libtorch. */
export function explain(err: Error, file: string): Error {
  const msg = String(err.message);
  const missing = msg.match(/(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/);
  const symbol = msg.match(/undefined symbol: (\S+)/);
  const glibcxx = msg.match(/(GLIBCXX_[\d.]+|CXXABI_[\d.]+)' not found/);
  const lines = [`torch-node could not load its native addon (${file}).`];
  if (missing && /^lib(torch|c10)/.test(missing[1])) {
    lines.push(`The shared library ${missing[1]} was not found: libtorch is missing or not on the loader path.`);
  } else if (missing && /^libgloo\b/.test(missing[1])) {
    // only a build against the system libtorch links the system's gloo (scripts/find-libtorch.js c10dFor)
    lines.push(`The shared library ${missing[1]} was not found: the addon was built against the system libtorch with its gloo (torch.distributed's Gloo backend).`);
    lines.push('Debian/Ubuntu: sudo apt-get install -y libgloo0 (libgloo-dev to build from source)');
  } else if (missing) {
    lines.push(`The shared library ${missing[1]} was not found (a dependency of libtorch or of the addon).`);
    if (/gomp|openblas|blas|lapack/.test(missing[1])) lines.push('Debian/Ubuntu: sudo apt-get install -y libopenblas0-openmp libgomp1');
  } else if (symbol) {
    lines.push(`Unresolved symbol ${symbol[1]}: the libtorch found at run time differs from the one the addon was built against`);
    lines.push('(another version, or another C++ ABI: _GLIBCXX_USE_CXX11_ABI).');
    lines.push(...HOW_TO_REBUILD);
  } else if (glibcxx) {
    lines.push(`${glibcxx[1]} not found: this libstdc++ is older than the one the addon or libtorch was built with.`);
    lines.push('Rebuild from source with this machine\'s compiler (below), or use a libtorch built for this distribution.');
    lines.push(...HOW_TO_REBUILD);
  } else {
    lines.push(msg);
  }
  lines.push(...HOW_TO_GET_LIBTORCH);
  const e = new Error(lines.join('\n'));
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}

const resolved = resolveBinary();
/** The addon file this process loads ($TORCH_NODE_BINARY, build/Release or a prebuild); its build record is <file>.json. */
export const binaryFile: string = resolved.file;

/**
 * Loads the libtorch libraries a prebuilt binary needs from where they are (a pip wheel's torch/lib,
 * $LIBTORCH/lib), with RTLD_GLOBAL, so that the binary's NEEDED entries resolve to them. They are
 * not addons, so process.dlopen reports "did not self-register" and closes them again; RTLD_NODELETE
 * keeps them loaded (libtorch.so, which has no unique symbols, was unloaded without it), which the
 * maps check below makes sure of.
 */
// glibc's RTLD_NODELETE (Node's os.constants.dlopen lacks it): the library stays loaded when
// process.dlopen closes it again after "did not self-register".
const RTLD_NODELETE = process.platform === 'linux' ? 0x1000 : 0;
function preload(files: string[]): void {
  for (const f of files) {
    try {
      process.dlopen({ exports: {} }, f, os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE);
    } catch (err) {
      if (!/did not self-register/.test(String((err as Error).message))) throw explain(err as Error, f);
    }
  }
  if (files.length && process.platform === 'linux') {
    const maps = fs.readFileSync('/proc/self/maps', 'utf8');
    const gone = files.filter((f) => !maps.includes(fs.realpathSync(f)));
    if (gone.length) throw new Error(`torch-node could not keep libtorch loaded for its prebuilt binary: ${gone.join(', ')} unloaded after loading`);
  }
}

function load(): Native {
  const file = binaryFile;
  if (!resolved.checked) checkBuild(file);
  preload(resolved.preload);
  const mod = { exports: {} as Native };
  try {
    // RTLD_NOW: a symbol missing from this libtorch fails here, not later at first call.
    process.dlopen(mod, file, os.constants.dlopen.RTLD_NOW);
  } catch (err) {
    throw explain(err as Error, file);
  }
  mod.exports._init({ ...nativeErrorClasses, warn, shared });
  return mod.exports;
}

/** The raw native surface (types/native.d.ts). Not part of the public API. */
export const native: Native = load();
