/**
 * worker_threads: the addon loads in several workers at once and in the main thread, each with
 * its own state; a model (float + int8 layers) gives in every worker, sync and async, exactly the
 * results the main thread gives; workers exit cleanly and new ones load again afterwards.
 * Workers run the compiled package (dist/, built by `node scripts/setup.js`).
 */
import * as torch from '../../lib';
import { Worker } from 'worker_threads';
import * as fs from 'fs';
import * as path from 'path';
import { native } from '../../lib/binding';

const dist = path.join(__dirname, '..', '..', 'dist', 'index.js');
const haveDist = fs.existsSync(dist);

// The same computation in every thread: weights come in as Float32Arrays.
const workerSource = `
const { parentPort, workerData } = require('worker_threads');
const torch = require(${JSON.stringify(dist)});
const { w1, b1, w2, b2, x, rounds } = workerData;
const T = (a, shape) => torch.tensor(Array.from(a)).reshape(shape);
const q = torch.ao.nn.quantized.dynamic.Linear.from_float({ in_features: 64, out_features: 10, weight: T(w2, [10, 64]), bias: T(b2, [10]) });
const W1 = T(w1, [32, 64]), B1 = T(b1, [64]), X = T(x, [8, 32]);
const f = (x) => q(x.matmul(W1).add(B1).relu()).log_softmax(1);
const g = torch.trace_async(f);
(async () => {
  const outs = [];
  for (let i = 0; i < rounds; i++) {
    const a = f(X).to_typed_array();
    const b = await g(X);
    outs.push(Array.from(a), Array.from(await b.to_typed_array_async()));
  }
  parentPort.postMessage({ outs, engine: torch.backends.quantized.engine });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

function run(data: object): Promise<any> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerSource, { eval: true, workerData: data });
    let msg: any;
    w.on('message', (m) => (msg = m));
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(msg) : reject(new Error(`worker exited with code ${code}`))));
  });
}

(haveDist ? describe : describe.skip)('worker_threads (needs dist/: node scripts/setup.js)', () => {
  const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
  const data = { w1: rnd(32 * 64), b1: rnd(64), w2: rnd(10 * 64), b2: rnd(10), x: rnd(8 * 32), rounds: 3 };

  test('four workers at once give the main thread\'s results, sync and async; workers reload after exit', async () => {
    const T = (a: Float32Array, shape: number[]) => torch.tensor(Array.from(a)).reshape(shape);
    const q = torch.ao.nn.quantized.dynamic.Linear.from_float({ in_features: 64, out_features: 10, weight: T(data.w2, [10, 64]), bias: T(data.b2, [10]) });
    const want = Array.from(q(T(data.x, [8, 32]).matmul(T(data.w1, [32, 64])).add(T(data.b1, [64])).relu()).log_softmax(1).to_typed_array() as Float32Array);
    for (let wave = 0; wave < 2; wave++) {
      const results = await Promise.all([0, 1, 2, 3].map(() => run(data)));
      for (const r of results) {
        expect(r.error).toBeUndefined();
        expect(r.engine).toBe(torch.backends.quantized.engine);
        for (const o of r.outs) expect(o).toEqual(want);
      }
    }
  }, 120000);
});

// ------------------------------------------------------------------ training in workers

// Trains a small MLP for `steps` SGD steps (momentum, weight decay) with the given learning
// rate, from weights and data passed in as Float32Arrays; returns every parameter's bytes.
const trainSource = `
const torch = require(${JSON.stringify(dist)});
function train(d) {
  const T = (a, shape) => torch.tensor(Array.from(a)).reshape(shape);
  const net = new torch.nn.Sequential(new torch.nn.Linear(12, 24), new torch.nn.Tanh(), new torch.nn.Linear(24, 3));
  net.load_state_dict({ '0.weight': T(d.w1, [24, 12]), '0.bias': T(d.b1, [24]), '2.weight': T(d.w2, [3, 24]), '2.bias': T(d.b2, [3]) });
  const x = T(d.x, [32, 12]);
  const y = torch.tensor(Array.from(d.y).map(BigInt));
  const opt = new torch.optim.SGD(net.parameters(), { lr: d.lr, momentum: 0.9, weight_decay: 1e-4 });
  const losses = [];
  for (let s = 0; s < d.steps; s++) {
    torch.tidy(() => {
      opt.zero_grad();
      const loss = torch._nn.cross_entropy_loss(net(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    });
  }
  const params = {};
  for (const [k, v] of Object.entries(net.state_dict())) params[k] = Buffer.from(v.contiguous().to_typed_array().buffer).toString('hex');
  return { params, losses };
}
const { parentPort, workerData } = require('worker_threads');
try { parentPort.postMessage(workerData.jobs.map(train)); } catch (e) { parentPort.postMessage({ error: String(e && e.stack || e) }); }
`;

// Makes packed quantized weights (Linear and LSTM), runs them, and exits without disposing them.
const packedSource = `
const { parentPort } = require('worker_threads');
const torch = require(${JSON.stringify(dist)});
const { native } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'binding.js'))});
const m = torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(64, 64), new torch.nn.ReLU(), new torch.nn.Linear(64, 8)));
const l = torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.LSTM(16, 16, 2)));
const y = m(torch.randn([4, 64])).sum().item() + l(torch.randn([5, 2, 16]))[0].sum().item();
parentPort.postMessage({ live: native._qp_live(), finite: Number.isFinite(y) });
`;

(haveDist ? describe : describe.skip)('worker_threads training and teardown (needs dist/: node scripts/setup.js)', () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'torch-node-workers-'));
  const trainFile = path.join(dir, 'train.js');
  fs.writeFileSync(trainFile, trainSource);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runFile(file: string, data: object = {}): Promise<any> {
    return new Promise((resolve, reject) => {
      const w = new Worker(file, { workerData: data });
      let msg: any;
      w.on('message', (m) => (msg = m));
      w.on('error', reject);
      w.on('exit', (code) => (code === 0 ? resolve(msg) : reject(new Error(`worker exited with code ${code}`))));
    });
  }

  test('four workers train concurrently and end with the parameters one thread gets, bit for bit', async () => {
    const rnd = (n: number, s: number) => Float32Array.from({ length: n }, () => (Math.random() - 0.5) * s);
    const base = { w1: rnd(24 * 12, 0.5), b1: rnd(24, 0.5), w2: rnd(3 * 24, 0.5), b2: rnd(3, 0.5), x: rnd(32 * 12, 2),
      y: Int32Array.from({ length: 32 }, () => Math.floor(Math.random() * 3)), steps: 25 };
    const jobs = [0.05, 0.1, 0.2, 0.4].map((lr) => ({ ...base, lr }));
    // The reference: one thread trains the four models one after another.
    const want = await runFile(trainFile, { jobs });
    expect(want.error).toBeUndefined();
    // Four threads train one each, at the same time.
    const got = (await Promise.all(jobs.map((d) => runFile(trainFile, { jobs: [d] })))).map((r) => (r.error ? r : r[0]));
    got.forEach((g, i) => {
      expect(g.error).toBeUndefined();
      expect(g.losses).toEqual(want[i].losses);
      expect(g.params).toEqual(want[i].params);
      expect(g.losses[g.losses.length - 1]).toBeLessThan(g.losses[0]); // it did train
    });
    // Different learning rates really give different parameters.
    expect(got[0].params['0.weight']).not.toBe(got[3].params['0.weight']);
  }, 180000);

  test('packed quantized weights of workers that exit are freed (20 workers in sequence)', async () => {
    const file = path.join(dir, 'packed.js');
    fs.writeFileSync(file, packedSource);
    const before = native._qp_live();
    let inWorker = 0;
    for (let i = 0; i < 20; i++) {
      const r = await runFile(file);
      expect(r.finite).toBe(true);
      inWorker = r.live;
      // The worker made 2 Linear packs and 2 LSTM layers' cell params (+ their 2 linear packs each).
      expect(inWorker).toBeGreaterThanOrEqual(before + 2);
      // At most `before`: packed weights that earlier tests in this process left to the GC may be
      // freed meanwhile, while a worker that leaked its own would leave 2 or more behind each time.
      expect(native._qp_live()).toBeLessThanOrEqual(before);
    }
    // This thread still works with its own packed weights.
    const q = torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(8, 8)));
    expect(q(torch.randn([2, 8])).shape).toEqual([2, 8]);
  }, 180000);
});
