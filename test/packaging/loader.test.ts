/**
 * The loader (lib/binding.ts) and the libtorch finder's load-time half (scripts/find-libtorch.js):
 * a binary built against another libtorch, C++ ABI or Node ABI, or a libtorch that cannot be
 * found, gives an error that says what differs and how to rebuild, before any dlopen; a dlopen
 * failure is said in terms of libtorch.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { binaryFile, explain } from '../../lib/binding';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const finder = require('../../scripts/find-libtorch.js');
const root = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-loader-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// The addon under test (build/Release, or $TORCH_NODE_BINARY under `npm run test:libtorch`) and what
// its build recorded next to it.
const built = JSON.parse(fs.readFileSync(binaryFile.replace(/\.node$/, '.json'), 'utf8'));

/** A libtorch-looking directory: lib/<soname> and the version file of the given layout. */
function fakeLibtorch(name: string, version: string, layout: 'zip' | 'pip' | 'header', opts: { cuda?: boolean; abi?: 0 | 1 } = {}): string {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'lib', built.soname), '');
  if (opts.cuda) fs.writeFileSync(path.join(dir, 'lib', 'libtorch_cuda.so'), '');
  if (layout === 'zip') fs.writeFileSync(path.join(dir, 'build-version'), `${version}+cpu\n`);
  if (layout === 'pip') fs.writeFileSync(path.join(dir, 'version.py'), `__version__ = '${version}+cu121'\n`);
  if (layout === 'header') {
    fs.mkdirSync(path.join(dir, 'include', 'torch'), { recursive: true });
    const [a, b, c] = version.split('.');
    fs.writeFileSync(path.join(dir, 'include', 'torch', 'version.h'), `#define TORCH_VERSION_MAJOR ${a}\n#define TORCH_VERSION_MINOR ${b}\n#define TORCH_VERSION_PATCH ${c}\n`);
  }
  if (opts.abi !== undefined) {
    fs.mkdirSync(path.join(dir, 'share', 'cmake', 'Torch'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'share', 'cmake', 'Torch', 'TorchConfig.cmake'), `set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=${opts.abi}")\n`);
  }
  return path.join(dir, 'lib');
}

/** Loads the package in a child process; its stderr (empty when it loaded). */
function loadWith(env: NodeJS.ProcessEnv): string {
  const js = `try { require(${JSON.stringify(path.join(root, 'dist', 'index.js'))}); } catch (e) { process.stderr.write(e.message); process.exit(3); }`;
  const p = spawnSync(process.execPath, ['-e', js], { encoding: 'utf8', env: { ...process.env, ...env } });
  return p.status === 0 ? '' : p.stderr;
}

describe('find-libtorch: the libtorch a built addon will load', () => {
  test('reads the version of an unpacked libtorch, a pip wheel and a header, and the C++ ABI', () => {
    expect(finder.describeLibdir(fakeLibtorch('zip', '2.1.0', 'zip', { abi: 0 }))).toMatchObject({ version: '2.1.0', cuda: false, cxx11_abi: 0 });
    expect(finder.describeLibdir(fakeLibtorch('pip', '2.4.1', 'pip', { cuda: true }))).toMatchObject({ version: '2.4.1', cuda: true });
    expect(finder.describeLibdir(fakeLibtorch('hdr', '2.11.0', 'header', { abi: 1 }))).toMatchObject({ version: '2.11.0', cxx11_abi: 1 });
  });

  test('LD_LIBRARY_PATH comes first, as for the dynamic loader', () => {
    const lib = fakeLibtorch('first', '2.3.0', 'zip');
    const saved = process.env.LD_LIBRARY_PATH;
    process.env.LD_LIBRARY_PATH = lib;
    try {
      expect(finder.atRuntime(built).libdir).toBe(lib);
    } finally {
      if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
      else process.env.LD_LIBRARY_PATH = saved;
    }
  });

  test('the addon under test fits the libtorch found now', () => {
    expect(finder.checkBinary(built).reasons).toEqual([]);
  });

  test('names each difference: version, CUDA, C++ ABI, Node ABI, no libtorch at all', () => {
    const lib = fakeLibtorch('cpu-old-abi', '2.2.0', 'zip', { abi: 0 });
    const info = { ...built, libdir: lib, libtorch_version: '2.2.0', cxx11_abi: 1, cuda: true, node_abi: '1' };
    const reasons: string[] = finder.checkBinary(info).reasons;
    expect(reasons.join('\n')).toMatch(/CUDA libtorch but .* has no libtorch_cuda\.so/);
    expect(reasons.join('\n')).toMatch(/_GLIBCXX_USE_CXX11_ABI=1 but the libtorch in .* uses 0/);
    expect(reasons.join('\n')).toMatch(/built for Node ABI 1 /);
    expect(finder.checkBinary({ ...built, soname: 'libtorch_cpu.so.99.9' }).reasons[0]).toMatch(/no libtorch_cpu\.so\.99\.9 in LD_LIBRARY_PATH/);
  });
});

describe('loading', () => {
  test('another libtorch version on LD_LIBRARY_PATH: explained before dlopen, with how to rebuild', () => {
    const [major, minor] = built.libtorch_version.split('.').map(Number);
    const other = `${major + 1}.${minor}.0`;
    const msg = loadWith({ LD_LIBRARY_PATH: fakeLibtorch('newer', other, 'zip'), TORCH_NODE_BINARY: binaryFile });
    expect(msg).toContain(`was built against libtorch ${built.libtorch_version}`);
    expect(msg).toContain(`the libtorch found is ${other}`);
    expect(msg).toContain('TORCH_NODE_BUILD_FROM_SOURCE=1 npm rebuild torch-node');
    expect(msg).toContain('npm run build');
  });

  test('a binary whose libtorch is nowhere: says where it looked and how to get libtorch', () => {
    const bin = path.join(work, 'bin', 'torch_node.node');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.copyFileSync(binaryFile, bin);
    fs.writeFileSync(bin.replace(/\.node$/, '.json'), JSON.stringify({ ...built, soname: 'libtorch_cpu.so.99.9', libdir: '/nonexistent' }));
    const msg = loadWith({ TORCH_NODE_BINARY: bin });
    expect(msg).toMatch(/no libtorch_cpu\.so\.99\.9 in LD_LIBRARY_PATH, \/nonexistent or the system library directories/);
    expect(msg).toContain('apt-get install -y libtorch-dev libopenblas0-openmp');
    expect(msg).toContain('LIBTORCH_USE_PYTORCH=1');
  });

  test('TORCH_NODE_SKIP_CHECK=1 skips the comparison; the dlopen error is then explained', () => {
    const msg = loadWith({ LD_LIBRARY_PATH: fakeLibtorch('skip', '9.9.0', 'zip'), TORCH_NODE_SKIP_CHECK: '1', TORCH_NODE_BINARY: binaryFile });
    expect(msg).toContain('torch-node could not load its native addon');
    expect(msg).toContain('libtorch is looked for in this order');
  });

  test('TORCH_NODE_BINARY naming no file: says so', () => {
    const msg = loadWith({ TORCH_NODE_BINARY: path.join(work, 'absent', 'torch_node.node') });
    expect(msg).toMatch(/TORCH_NODE_BINARY=.*absent.*: no such file/);
  });
});

describe('explain(): dlopen messages said in terms of libtorch', () => {
  // message formats as glibc's dlerror() writes them
  test('a missing libtorch library', () => {
    const e = explain(new Error('libtorch_cpu.so: cannot open shared object file: No such file or directory'), 'x.node');
    expect(e.message).toContain('The shared library libtorch_cpu.so was not found');
    expect(e.message).toContain('LD_LIBRARY_PATH');
  });
  test('a missing OpenMP or BLAS library', () => {
    expect(explain(new Error('libgomp.so.1: cannot open shared object file: No such file or directory'), 'x.node').message).toContain('libopenblas0-openmp libgomp1');
  });
  test('a missing system gloo (a build against the system libtorch links it for torch.distributed)', () => {
    const e = explain(new Error('libgloo.so.0: cannot open shared object file: No such file or directory'), 'x.node');
    expect(e.message).toContain('The shared library libgloo.so.0 was not found');
    expect(e.message).toContain('libgloo0');
  });
  test('an undefined symbol', () => {
    const e = explain(new Error('/x/torch_node.node: undefined symbol: _ZN3c106detail14torchCheckFailEPKcS2_jRKSs'), 'x.node');
    expect(e.message).toContain('differs from the one the addon was built against');
    expect(e.message).toContain('_GLIBCXX_USE_CXX11_ABI');
    expect(e.message).toContain('TORCH_NODE_BUILD_FROM_SOURCE=1 npm rebuild torch-node');
  });
  test('an old libstdc++', () => {
    const e = explain(new Error("/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by /x/libtorch_cpu.so)"), 'x.node');
    expect(e.message).toContain('GLIBCXX_3.4.30 not found: this libstdc++ is older');
  });
});
