/**
 * The tutorial ports (examples/tutorial/*.js): each runs as a user would run it (`node file.js`,
 * in a fresh temporary directory, against the compiled package dist/), exits 0 with nothing on
 * stderr, and prints what it should: where the tutorial's snippet prints something, the same text
 * PyTorch 1.13 prints for it (test/fixtures/examples.json, made by make_examples.py from the
 * tutorial's Python code), elsewhere the shapes and properties the layer guarantees.
 * All the scripts start at once, two at a time, and each test waits for its own.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { libtorchMinor } from './helpers';

const root = path.join(__dirname, '..');
const dir = path.join(root, 'examples', 'tutorial');
const haveDist = fs.existsSync(path.join(root, 'dist', 'index.js'));
const EXP = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'examples.json'), 'utf8'));

/** The tutorial's sections, in its order, and the file that ports each. */
const SECTIONS: [string, string][] = [
  ['Containers', 'containers.js'], ['Convolution Layers', 'convolution.js'], ['Pooling Layers', 'pooling.js'],
  ['Padding Layers', 'padding.js'], ['Non-linear Activations', 'activations.js'], ['Normalization Layers', 'normalization.js'],
  ['Recurrent Layers', 'recurrent.js'], ['Transformer Layers', 'transformer.js'], ['Linear Layers', 'linear.js'],
  ['Dropout Layers', 'dropout.js'], ['Sparse Layers', 'sparse.js'], ['Distance Functions', 'distance.js'],
  ['Loss Functions', 'losses.js'], ['Vision Layers', 'vision.js'], ['Shuffle Layers', 'shuffle.js'],
  ['DataParallel Layers', 'data_parallel.js'], ['Utilities', 'utilities.js'], ['Quantized Functions', 'quantization.js'],
  ['Lazy Modules Initialization', 'lazy.js'],
];


/**
 * stderr without libtorch's own one-time deprecation warnings, which later releases print for APIs
 * that 1.13 (the reference) does not deprecate, e.g. 2.13's "[W… Quantizer.cpp:111] Warning:
 * torch.quantize_per_tensor … are deprecated …"; Python PyTorch 2.13 prints the same. Used only
 * on libtorch other than 1.13.
 */
function withoutLibtorchDeprecations(stderr: string): string {
  return stderr.replace(/^\[W\d{4} [\d:.]+ [\w.]+:\d+\] Warning: [^\n]*deprecated[^\n]*\(function [^\n]*\)\n/gm, '');
}

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string; seconds: number; cwd: string }

const runs = new Map<string, Promise<Run>>();
const queue: (() => void)[] = [];
let active = 0;
const LIMIT = Math.max(1, Math.min(2, os.cpus().length));
function next(): void {
  while (active < LIMIT && queue.length) {
    active++;
    queue.shift()!();
  }
}
function run(file: string): Promise<Run> {
  let p = runs.get(file);
  if (!p) {
    p = new Promise<Run>((resolve) => {
      queue.push(() => {
        const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-example-'));
        const t0 = Date.now();
        const child = spawn(process.execPath, [path.join(dir, file)], { cwd, timeout: 120000 });
        let stdout = '', stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (code, signal) => {
          active--;
          next();
          resolve({ code, signal, stdout, stderr, seconds: (Date.now() - t0) / 1000, cwd });
        });
      });
      next();
    });
    runs.set(file, p);
  }
  return p;
}

/** The numbers printed on the first line that starts with `label`. */
function numbersAfter(out: string, label: string): number[] {
  const line = out.split('\n').find((l) => l.startsWith(label));
  if (line === undefined) throw new Error(`no line starting with ${JSON.stringify(label)} in:\n${out}`);
  return (line.slice(label.length).match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
}
const shape = (s: number[]): string => `[ ${s.join(', ')} ]`; // console.log of a shape array

const DECIMAL = /-?\d+\.\d*(?:e[-+]?\d+)?/g;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, ' +');
/**
 * `out` holds `before` then the text `printed` (PyTorch's), except that each decimal number of
 * `printed` may be any rounding, to the same number of decimals, of PyTorch's full-precision value
 * (`values`, in order) give or take 1e-6 of max(|value|, 1). A float32 kernel (BLAS core, SIMD
 * level) moves these values by up to 1.3e-7 of that (measured over the five kernel settings of
 * scripts/test-kernels.sh), and even that flips the last printed digit of a value that lies within
 * an ulp of a rounding boundary (examples.json has one: a distance 5e-8 above 14.86275), so printed
 * text alone cannot be compared exactly. `whole`: `out` is the whole text (one line).
 */
function expectPrinted(out: string, printed: string, values: number[], { before = '', whole = false } = {}): void {
  const nums = printed.match(DECIMAL) ?? [];
  expect(nums.length).toBe(values.length);
  const body = escapeRe(before) + printed.split(DECIMAL).map(escapeRe).join('(-?\\d+\\.\\d*(?:e[-+]?\\d+)?)');
  const decimals = (x: string) => x.replace(/e.*/, '').split('.')[1].length;
  let problem = `no text like ${JSON.stringify(before + printed)} in:\n${out}`;
  let best = -1; // the place that held the most leading values, to report
  // Every place the text's shape fits (several printouts may share it): one must hold the values.
  for (const m of out.matchAll(new RegExp(whole ? `^${body}$` : body, 'g'))) {
    const bad = nums.findIndex((p, i) => {
      const got = m[i + 1];
      return !(decimals(got) === decimals(p) && Math.abs(Number(got) - values[i]) <= 0.5 * 10 ** -decimals(p) + 1e-6 * Math.max(Math.abs(values[i]), 1));
    });
    if (bad < 0) return;
    if (bad <= best) continue;
    best = bad;
    problem = `printed ${m[bad + 1]} where PyTorch's value is ${values[bad]} (printed ${nums[bad]}) in ${JSON.stringify(m[0])}`;
  }
  throw new Error(problem);
}
const V = EXP.values;

const CHECKS: Record<string, (out: string, r: Run) => void> = {
  'containers.js': (out) => {
    expect(out).toContain(EXP.containers.repr);
    expect(out).toContain(EXP.containers.param_repr);
    for (const name of ['Sequential', 'ModuleList', 'ModuleDict']) {
      expect(out).toContain(`== ${name}: output shape [64,10], 101770 parameters`); // 784*128+128 + 128*10+10
    }
    expect(out).toContain('== ParameterList/ParameterDict: output shape [64,10], 101770 parameters');
    expect(out).toContain('state_dict keys: weights.0, weights.1, biases.bias1, biases.bias2');
    expect(out).toContain('state_dict keys: layers.fc1.weight, layers.fc1.bias, layers.fc2.weight, layers.fc2.bias');
    const sums = out.split('\n').filter((l) => l.startsWith('row sums'));
    expect(sums.length).toBe(3);
    for (const l of sums) for (const v of numbersAfter(l, 'row sums of the first 3 outputs:')) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
  },
  'convolution.js': (out) => {
    expect(out).toContain(`-> output shape ${shape([8, 64, 28, 28])}`);
    expect(out).toContain(`conv1.weight shape ${shape([32, 1, 3, 3])}`);
    expect(numbersAfter(out, 'after ReLU: min')[0]).toBe(0);
    expectPrinted(out, EXP.convolution.mean, V.convolution_mean, { before: 'mean ' }); // seeded: the same weights and input as PyTorch
  },
  'pooling.js': (out) => {
    expect(out).toContain(`max pooled 2x2, stride 2:\n${EXP.pooling.max}`);
    expect(out).toContain(`average pooled (nn.AvgPool2d(2)):\n${EXP.pooling.avg}`);
    expect(out).toContain(`${shape([8, 32, 28, 28])} -> ${shape([8, 32, 14, 14])}`);
  },
  'padding.js': (out) => {
    expect(out).toContain(`${shape([1, 1, 3, 3])} -> ${shape([1, 1, 5, 5])}`);
    expect(out).toContain(EXP.padding.zero);
    expect(out).toContain(`ReflectionPad2d(1):\n${EXP.padding.reflection}`);
    expect(out).toContain(`ConstantPad1d(2, 3.5):\n${EXP.padding.constant}`);
  },
  'activations.js': (out) => {
    expect(numbersAfter(out, 'ReLU network: output')[2]).toBe(0); // min
    for (const v of numbersAfter(out, 'Softmax network: output').slice(2)) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
    const names: Record<string, string> = {
      relu: 'torch.relu', sigmoid: 'torch.sigmoid', tanh: 'torch.tanh', softmax: 'torch.softmax', log_softmax: 'torch.log_softmax', elu: 'F.elu', leaky_relu: 'F.leaky_relu',
    };
    for (const [k, label] of Object.entries(names)) expect(out).toContain(`${label.padEnd(18)} ${EXP.activations[k]}`);
  },
  'normalization.js': (out) => {
    const [m, s] = numbersAfter(out, 'output mean');
    expect(Math.abs(m)).toBeLessThan(1e-3);
    expect(Math.abs(s - 1)).toBeLessThan(1e-2);
    expect(Math.abs(numbersAfter(out, 'InstanceNorm2d:').pop()!)).toBeLessThan(1e-3);
  },
  'recurrent.js': (out) => {
    expect(out).toContain(EXP.recurrent.repr);
    expect(out).toContain(`input ${shape([5, 3, 10])} -> output ${shape([5, 3, 20])}`);
    expect(out).toContain('equals the top layer of h_n: true');
    expect(out).toContain(`LSTM output ${shape([5, 3, 20])} h_n ${shape([2, 3, 20])} c_n ${shape([2, 3, 20])}`);
    expect(out).toContain(`RNN (batch_first) output ${shape([3, 5, 20])} h_n ${shape([1, 3, 20])}`);
  },
  'transformer.js': (out) => {
    expect(out).toContain(`${EXP.transformer.parameters} parameters`);
    expect(EXP.transformer.one_arg_error).toBe('TypeError');
    expect(out).toMatch(/model\.transformer\(src\) -> TypeError: /);
    expect(out).toContain(`model(src, tgt) -> ${shape([7, 2, 512])}`);
    expect(out).toContain(`with tgt_mask -> ${shape([7, 2, 512])}`);
    expect(out).toContain(`TransformerEncoder(src) -> ${shape([10, 2, 512])}`);
  },
  'linear.js': (out) => {
    expect(out).toContain(`input ${shape([32, 784])} -> output ${shape([32, 10])}`);
    expect(out).toContain('equals x @ W.T + b: true');
  },
  'dropout.js': (out) => {
    const nums = numbersAfter(out, 'fraction zeroed over 10,000 elements:');
    const [frac, mean] = [nums[0], nums[nums.length - 1]];
    expect(Math.abs(frac - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(mean - 1)).toBeLessThan(0.06);
    expect(out).toContain('eval mode: identity\ntensor([[1., 1., 1., 1., 1., 1., 1., 1.],\n        [1., 1., 1., 1., 1., 1., 1., 1.]])');
  },
  'sparse.js': (out) => {
    expect(out).toContain(`indices ${shape([4, 5])} -> bags ${shape([4, 10])}`);
    expect(out).toContain('bag 0 equals the mean of its rows of the weight: true');
    expect(out).toContain(`two bags from offsets [0, 4]: ${shape([2, 10])}`);
    const [rows, of] = numbersAfter(out, 'rows of weight.grad that are not zero:');
    expect(of).toBe(1000);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(20); // only the rows of the 20 indices used
    expect(out).toContain('weight.grad: torch.sparse_coo is_sparse true');
    expect(out).toMatch(/SparseAdam step changed \d+ rows: exactly the rows in the gradient: true/);
    expect(out).toMatch(/padding_idx=0\)\(tensor\(\[0, 2\]\)\):\ntensor\(\[\[ ?0\.0000, +0\.0000, +0\.0000\],/);
  },
  'distance.js': (out) => {
    expectPrinted(out, EXP.distance.distance, V.distance);
    expectPrinted(out, EXP.distance.similarity, V.similarity);
    expect(out).toContain('nn.PairwiseDistance equals F.pairwise_distance: true');
    expect(out).toContain('nn.CosineSimilarity equals F.cosine_similarity: true');
  },
  'losses.js': (out) => {
    expectPrinted(out.split('\n')[0], EXP.losses.loss, V.loss, { whole: true });
    expectPrinted(out, EXP.losses.smoothed, V.smoothed, { before: 'nn.CrossEntropyLoss(label_smoothing=0.1): ' });
    expectPrinted(out, EXP.losses.grad0, V.grad0, { before: 'first row:\n' });
    expect(out).toContain(`nn.MSELoss: ${EXP.losses.mse}`);
    expect(out).toContain(`nn.BCELoss: ${EXP.losses.bce}`);
  },
  'vision.js': (out) => {
    expect(out).toContain(EXP.vision.repr);
    expect(out).toContain(`input ${shape([4, 3, 32, 32])} -> output ${shape([4, 64, 16, 16])}`);
    // seeded: the same weights, data and SGD steps as PyTorch, so the same losses
    const steps = out.split('\n').filter((l) => l.startsWith('step '));
    expect(steps.length).toBe(EXP.vision.steps.length);
    steps.forEach((l, i) => expectPrinted(l, EXP.vision.steps[i], [V.vision_steps[i]], { whole: true }));
    expect(out).toContain(`PixelShuffle(2): ${shape([1, 2, 8, 8])}`);
  },
  'shuffle.js': (out) => {
    expect(EXP.shuffle.has_torch_shuffle).toBe(false);
    expect(out).toContain('typeof torch.shuffle: undefined');
    expect(out).toContain(`${shape([10, 64, 32, 32])}\n`);
    expect(out).toMatch(/channel 0 of the result is channel \d+ of the input: true/);
    expect(out).toContain(`channels 0..7 with 4 groups -> ${EXP.shuffle.channel_shuffle_4_groups}`);
  },
  'data_parallel.js': (out) => {
    expect(out.split('\n')[0]).toBe(shape(EXP.data_parallel.shape));
    expect(out).toContain(`"module." prefix, as in PyTorch: ${EXP.data_parallel.keys.join(', ')}`);
    expect(out).toContain('same result as the wrapped module: true');
  },
  'utilities.js': (out, r) => {
    const [bound, max] = numbersAfter(out, 'xavier_uniform_: weights within ±');
    expect(max).toBeLessThanOrEqual(bound);
    expect(out).toContain('model.pth holds: weight torch.float32 [5,10], bias torch.float32 [5]');
    expect(out).toContain('reloaded weight equals the saved one: true');
    const [, after] = numbersAfter(out, 'clip_grad_norm_: total gradient norm');
    expect(Math.abs(after - 1)).toBeLessThan(1e-3);
    expect(fs.existsSync(path.join(r.cwd, 'model.pth'))).toBe(true);
  },
  'quantization.js': (out) => {
    expect(out.split('\n')[0]).toBe(shape(EXP.quantization.shape));
    expect(out).toContain(`the tutorial's quant_model: ${EXP.quantization.repr}`);
    expect(out).toContain(EXP.quantization.sequential_repr);
    expect(out).toContain('quantized weight: torch.qint8');
    expectPrinted(out, EXP.quantization.max_diff, V.max_diff, { before: 'largest difference from the float model: ' });
  },
  'lazy.js': (out) => {
    expect(out).toContain(`output ${shape([16, 10])}`);
    expect(out).toContain('built at run time: fc1 -> fc2 -> out');
    expect(out).toContain('(0): LazyLinear(in_features=0, out_features=128, bias=True)');
    expect(out).toContain('weight before: UninitializedParameter');
    expect(out).toContain('(0): Linear(in_features=300, out_features=128, bias=True)');
    expect(out).toContain(`weight after: ${shape([128, 300])}`);
  },
};

(haveDist ? describe : describe.skip)(`tutorial ports in examples/tutorial${haveDist ? '' : ' (skipped: needs dist/: node scripts/setup.js)'}`, () => {
  afterAll(async () => {
    const done = await Promise.all([...runs.entries()].map(async ([f, p]) => [f, await p] as const));
    for (const [, r] of done) fs.rmSync(r.cwd, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.log(done.map(([f, r]) => `${f} ${r.seconds.toFixed(1)} s`).join(', '));
  });

  test('one file per section of the tutorial, and no other', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
    expect(files).toEqual(SECTIONS.map(([, f]) => f).sort());
    for (const f of files) void run(f); // start them all; the tests below wait
  });

  for (const [section, file] of SECTIONS) {
    test(`${section}: node examples/tutorial/${file}`, async () => {
      const r = await run(file);
      if (r.code !== 0) throw new Error(`${file} exited with ${r.code} ${r.signal ?? ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
      expect(libtorchMinor === '1.13' ? r.stderr : withoutLibtorchDeprecations(r.stderr)).toBe('');
      CHECKS[file](r.stdout, r);
    }, 150000);
  }
});
