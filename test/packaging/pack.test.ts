/**
 * Packaging (issue 7): `npm pack` holds what users need; the tarball installs into a fresh project
 * without the network and, with the compiler hidden from PATH, loads a prebuilt binary from ESM
 * (`import`) and CommonJS (`require`) programs that train a few steps; with no prebuilt binary and
 * the compiler back, `npm install` builds the addon from source (node-gyp, binding.gyp).
 *
 * The prebuilt binary is the addon under test (build/Release, or $TORCH_NODE_BINARY under
 * `npm run test:libtorch`: the same libtorch and Node ABI as this process) staged where
 * prebuildify puts its output; the source-build half compiles binding.gyp with node-gyp as
 * prebuildify does, against the libtorch the finder picks ($LIBTORCH under test:libtorch). The source build takes minutes
 * on a 2-core machine (no precompiled header): set TORCH_NODE_TEST_SOURCE_BUILD=0 to skip it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../../lib';
import { binaryFile, native } from '../../lib/binding';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const finder = require('../../scripts/find-libtorch.js');

const root = path.join(__dirname, '..', '..');
const abiName = `torch-node.abi${process.versions.modules}`;
const tuple = `${process.platform}-${process.arch}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-pack-'));
const sourceBuild = process.env.TORCH_NODE_TEST_SOURCE_BUILD !== '0';
const env = { ...process.env };
delete env.NODE_PATH;
delete env.TORCH_NODE_BINARY;
delete env.npm_config_build_from_source;
delete env.TORCH_NODE_BUILD_FROM_SOURCE;
/** The source build with ccache when present: paths under the temp directory hash alike run after run. */
const ccacheEnv: NodeJS.ProcessEnv = spawnSync('sh', ['-c', 'command -v ccache'], { env }).status === 0
  ? { CXX: 'ccache g++', CCACHE_BASEDIR: os.tmpdir(), CCACHE_NOHASHDIR: '1' }
  : {};

/** Runs a command; its stdout, or with `all` its stdout and stderr; throws with both on failure. */
function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; all?: boolean }): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return opts.all ? `${r.stdout}${r.stderr}` : r.stdout;
}

/** `npm pack` of dir into the work directory; the tarball's path. */
function pack(dir: string, cwd = dir): string {
  const out = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ...(dir === cwd ? [] : [dir])], { cwd });
  return path.join(work, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
}

/** What `npm pack` would put in the tarball, as {path, size}. */
function packList(dir: string): { files: { path: string }[]; size: number; unpackedSize: number } {
  const out = sh('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir });
  return JSON.parse(out.slice(out.indexOf('[')))[0];
}

/**
 * The binaries `npm run prebuild -- --all` left in prebuilds/<tuple>/ (torch-node.abi<N>.libtorch<x.y>-<cpu|cuda>.node),
 * each with its build record, for this Node ABI.
 */
function taggedPrebuilds(): { name: string; info: { libtorch_version: string; cuda: boolean; libdir: string; c10d_backends: string[] } }[] {
  const dir = path.join(root, 'prebuilds', tuple);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.startsWith(`${abiName}.libtorch`) && f.endsWith('.node') && fs.existsSync(path.join(dir, f.replace(/\.node$/, '.json'))))
    .sort()
    .map((f) => ({ name: f.replace(/\.node$/, ''), info: JSON.parse(fs.readFileSync(path.join(dir, f.replace(/\.node$/, '.json')), 'utf8')) }));
}

/**
 * A copy of the package's files; `prebuild`: true, the binary under test in prebuilds/; 'all', the
 * tagged binaries of prebuilds/ (taggedPrebuilds); false, none. Returns the tarball.
 */
function makeTarball(name: string, prebuild: boolean | 'all'): string {
  const stage = path.join(work, `stage-${name}`);
  for (const f of packList(root).files) {
    if (f.path.startsWith('prebuilds/')) continue;
    fs.mkdirSync(path.dirname(path.join(stage, f.path)), { recursive: true });
    fs.copyFileSync(path.join(root, f.path), path.join(stage, f.path));
  }
  if (prebuild === 'all') {
    const dest = path.join(stage, 'prebuilds', tuple);
    fs.mkdirSync(dest, { recursive: true });
    for (const p of taggedPrebuilds()) {
      for (const ext of ['.node', '.json']) fs.copyFileSync(path.join(root, 'prebuilds', tuple, p.name + ext), path.join(dest, p.name + ext));
    }
  } else if (prebuild) {
    const dest = path.join(stage, 'prebuilds', tuple);
    fs.mkdirSync(dest, { recursive: true });
    // the addon this process runs (same libtorch, same Node ABI), staged where prebuildify puts its output
    fs.copyFileSync(binaryFile, path.join(dest, `${abiName}.node`));
    fs.copyFileSync(binaryFile.replace(/\.node$/, '.json'), path.join(dest, `${abiName}.json`));
  }
  const named = path.join(work, `torch-node-${name}.tgz`);
  fs.renameSync(pack(stage), named);
  return named;
}

/** The package's runtime dependencies as local tarballs, so that installing needs no network. */
function depTarballs(): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const deps: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies)) {
    const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [root, ...(process.env.NODE_PATH || '').split(':').filter(Boolean)] }));
    deps[name] = `file:${pack(dir, work)}`;
  }
  return deps;
}

/** A PATH with everything of the usual one except compilers and build tools. */
function pathWithoutCompiler(): string {
  const bin = path.join(work, 'bin-nocc');
  fs.mkdirSync(bin, { recursive: true });
  const hide = /^(g\+\+|gcc|c\+\+|cc|cpp|clang.*|make|gmake|cmake|ninja|ccache|ld|ld\..*|c89|c99|.*-linux-gnu-.*|g\+\+-.*|gcc-.*|cpp-.*)$/;
  for (const d of (process.env.PATH || '').split(':').concat(['/usr/bin', '/bin'])) {
    if (!d || !fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) {
      if (hide.test(f) || fs.existsSync(path.join(bin, f))) continue;
      fs.symlinkSync(path.join(d, f), path.join(bin, f));
    }
  }
  return bin;
}

function project(name: string, deps: Record<string, string>): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies: deps }, null, 2));
  const program = fs.readFileSync(path.join(__dirname, 'program.js'), 'utf8');
  fs.writeFileSync(path.join(dir, 'esm.mjs'), `import * as torch from 'torch-node';\n${program}\nconsole.log(JSON.stringify(run(torch)));\n`);
  fs.writeFileSync(path.join(dir, 'cjs.cjs'), `const torch = require('torch-node');\n${program}\nconsole.log(JSON.stringify(run(torch)));\n`);
  fs.copyFileSync(path.join(__dirname, 'dist.js'), path.join(dir, 'dist.js'));
  return dir;
}

/**
 * torch.distributed in the installed package (dist.js): the binary reports the backends `want`
 * (_build_info, and the build record next to it); is_gloo_available() says whether Gloo is among
 * them; where it is, all_reduce over a 1-process and a 2-process Gloo group gives the sums, and
 * where not, init_process_group('gloo') says so. (Gloo is there where the libtorch has its headers:
 * Debian's with libgloo-dev, not a pip wheel.)
 */
function checkDistributed(dir: string, record: string, runEnv: NodeJS.ProcessEnv, want: string[]): void {
  const got = JSON.parse(sh(process.execPath, ['dist.js'], { cwd: dir, env: runEnv }));
  expect(got.build_info.c10d_backends).toEqual(want);
  expect(JSON.parse(fs.readFileSync(record, 'utf8')).c10d_backends).toEqual(want);
  expect(got.gloo).toBe(want.includes('gloo'));
  if (!got.gloo) {
    expect(got.gloo_error).toMatch(/^TorchError: the Gloo backend is not available/);
    return;
  }
  expect(got.single).toEqual({ input: [1, 2, 3], backend: 'gloo', world_size: 1, sum: [1, 2, 3] });
  const [a, b] = got.pair.inputs as number[][];
  expect(got.pair).toEqual({ inputs: [a, b], backend: 'gloo', world_size: 2, sum: a.map((x, i) => x + b[i]), peer_exit: 0 });
}

/**
 * The installed program's result against this process's run of program.js. On the same libtorch
 * release libtorch computes both, so they are equal to the bit; on another (a source build that
 * found another libtorch than the one under test) only within float32 rounding.
 */
function expectSameRun(got: { w: number[][]; losses: number[] }, libtorchVersion: string, losses = true): void {
  if (libtorchVersion === thisBuild.torch_version) {
    expect(got.w).toEqual(expected.w);
    if (losses) expect(got.losses).toEqual(expected.losses);
    return;
  }
  const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(b[i]))));
  close(got.w.flat(), expected.w.flat());
  if (losses) close(got.losses, expected.losses);
}

/** What the addon under test was built with (libtorch version, c10d backends). */
const thisBuild = native._build_info();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const expected = new Function('torch', `${fs.readFileSync(path.join(__dirname, 'program.js'), 'utf8')}\nreturn run(torch);`)(torch);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  test('the tarball holds dist JS, declarations, native sources, build files, prebuilds, README and LICENSE only', () => {
    const files = packList(root).files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'types/native.d.ts', 'types/generated/native_ops.d.ts',
      'binding.gyp', 'CMakeLists.txt', 'native/addon.cc', 'scripts/find-libtorch.js', 'scripts/sources.js', 'scripts/install.js']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(lib|test|bench|examples|build|node_modules|\.ci)\//.test(f) || /\.tgz$/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.so(\.|$)/.test(f))).toEqual([]); // libtorch is never bundled
  });
});

describe('installed from the tarball', () => {
  let deps: Record<string, string>;
  beforeAll(() => {
    deps = depTarballs();
  }, 120000);

  test('with a prebuilt binary and no compiler on PATH: ESM and CommonJS programs train', () => {
    deps['torch-node'] = `file:${makeTarball('prebuilt', true)}`;
    const dir = project('app-prebuilt', deps);
    const noCc = { ...env, PATH: pathWithoutCompiler() };
    expect(spawnSync('sh', ['-c', 'command -v g++ || command -v c++ || command -v cc || command -v make'], { env: noCc }).status).not.toBe(0);
    const log = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: dir, env: noCc, all: true });
    expect(log).toMatch(new RegExp(`using prebuilds/${tuple}/${abiName}\\.node`));
    expect(fs.existsSync(path.join(dir, 'node_modules', 'torch-node', 'build'))).toBe(false);
    for (const prog of ['esm.mjs', 'cjs.cjs']) {
      const got = JSON.parse(sh(process.execPath, [prog], { cwd: dir, env: noCc }));
      expectSameRun(got, thisBuild.torch_version); // the same binary as this process
      expect(got.losses[got.losses.length - 1]).toBeLessThan(got.losses[0]);
    }
    checkDistributed(dir, path.join(dir, 'node_modules', 'torch-node', 'prebuilds', tuple, `${abiName}.json`), noCc, thisBuild.c10d_backends);
  }, 180000);

  /**
   * `npm run test:prebuilds` (prebuild --all: Debian's 1.13, the 2.x CPU and CUDA wheels on this
   * machine) leaves one binary per libtorch; the tarball ships them all. Installed with no compiler,
   * each libtorch gets its own binary: the system's with nothing set, a wheel's through $LIBTORCH
   * (its libraries loaded from there, not from LD_LIBRARY_PATH). A training step (Linear, MSELoss,
   * backward, SGD) runs on each; a CUDA binary runs it on the CPU without a driver.
   */
  const tagged = taggedPrebuilds();
  (tagged.length ? test : test.skip)(`prebuilt binaries for ${tagged.map((p) => p.name.replace(/^.*\.libtorch/, '')).join(', ') || '(none built: npm run test:prebuilds)'}: each is picked for its libtorch`, () => {
    deps['torch-node'] = `file:${makeTarball('tagged', 'all')}`;
    const tarball = deps['torch-node'].slice('file:'.length);
    const dir = project('app-tagged', deps);
    const noCc: NodeJS.ProcessEnv = { ...env, PATH: pathWithoutCompiler() };
    delete noCc.LIBTORCH;
    delete noCc.LD_LIBRARY_PATH;
    const installLog = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: dir, env: noCc, all: true });
    expect(installLog).toMatch(/using prebuilds\/.*\.node \(built against libtorch/);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'torch-node', 'build'))).toBe(false);
    const listed = new Set(packList(path.join(dir, 'node_modules', 'torch-node')).files.map((f) => f.path));
    for (const p of tagged) expect(listed).toContain(`prebuilds/${tuple}/${p.name}.node`);
    console.log(`tarball with ${tagged.length} prebuilt binaries: ${(fs.statSync(tarball).size / 1e6).toFixed(1)} MB`);
    fs.writeFileSync(path.join(dir, 'step.js'), `
const torch = require('torch-node');
const { binaryFile, native } = require(require('path').join(__dirname, 'node_modules', 'torch-node', 'dist', 'binding.js'));
torch.manual_seed(0);
const net = new torch.nn.Linear(3, 1);
const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1 });
const x = torch.randn([16, 3], { dtype: torch.float64 }).float();
const y = x.sum(1, { keepdim: true });
const losses = [];
for (let i = 0; i < 5; i++) {
  opt.zero_grad();
  const loss = torch.nn.functional.mse_loss(net.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
console.log(JSON.stringify({ binary: require('path').basename(binaryFile), version: native._build_info().torch_version, losses }));
`);
    for (const p of tagged) {
      const system = p.info.libdir.startsWith('/usr/');
      const runEnv = { ...noCc, ...(system ? {} : { LIBTORCH: path.dirname(p.info.libdir) }) };
      const got = JSON.parse(sh(process.execPath, ['step.js'], { cwd: dir, env: runEnv }));
      expect(got.binary).toBe(`${p.name}.node`);
      expect(got.version.split('.').slice(0, 2)).toEqual(p.info.libtorch_version.split('.').slice(0, 2));
      expect(got.losses[got.losses.length - 1]).toBeLessThan(got.losses[0]);
    }
  }, 600000);

  (sourceBuild ? test : test.skip)('with no prebuilt binary and the compiler back: npm install builds from source', () => {
    deps['torch-node'] = `file:${makeTarball('source', false)}`;
    const dir = project('app-source', deps);
    const log = sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: dir, env: { ...env, ...ccacheEnv }, all: true });
    expect(log).toMatch(/building from source/);
    const built = path.join(dir, 'node_modules', 'torch-node', 'build', 'Release');
    expect(fs.existsSync(path.join(built, 'torch_node.node'))).toBe(true);
    const record = JSON.parse(fs.readFileSync(path.join(built, 'torch_node.json'), 'utf8'));
    expect(record.libtorch_version).toMatch(/^\d+\.\d+\.\d+$/);
    const lt = finder.find();
    expect(record.libtorch_version).toBe(lt.version);
    for (const prog of ['esm.mjs', 'cjs.cjs']) {
      const got = JSON.parse(sh(process.execPath, [prog], { cwd: dir }));
      expectSameRun(got, record.libtorch_version, false);
    }
    // binding.gyp decides the backends as the finder does for CMakeLists.txt (the addon under test)
    if (lt.version === thisBuild.torch_version) expect(lt.c10d_backends).toEqual(thisBuild.c10d_backends);
    checkDistributed(dir, path.join(built, 'torch_node.json'), env, lt.c10d_backends);
  }, 900000);
});

