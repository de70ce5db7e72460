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
