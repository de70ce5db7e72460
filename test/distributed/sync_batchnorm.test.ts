/**
 * nn.SyncBatchNorm over Gloo on loopback (CPU tensors: a torch-node extension, PyTorch 1.13 wants
 * CUDA): 2 and 4 processes, each on its shard of the batch (uneven shards, an empty one), must
 * give what PyTorch's BatchNorm gives on the whole batch (test/fixtures/make_sync_batchnorm.py):
 * outputs, input gradients, weight/bias gradients summed over the ranks, running statistics, and
 * eval-mode outputs. DDP + SyncBatchNorm trains as one process on the whole batch.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { freePort, runRanks } from './spawn';

const dist = torch.distributed;
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sync_batchnorm.json'), 'utf8'));
const d = dist.is_available() && dist.is_gloo_available() ? describe : describe.skip;
const TOL = 1e-5;

function close(got: number[], want: number[], where: string, tol = TOL): void {
  expect({ where, n: got.length }).toEqual({ where, n: want.length });
  for (let k = 0; k < want.length; k++) {
    if (!(Math.abs(got[k] - want[k]) <= tol * Math.max(1, Math.abs(want[k])))) throw new Error(`${where}[${k}]: ${got[k]} vs ${want[k]}`);
  }
}

async function run(mode: string, world: number, splits?: number[]) {
  const port = await freePort();
  const res = await runRanks('sync_bn.js', world, (r) => [mode, `tcp://127.0.0.1:${port}`, String(r), String(world), ...(splits ? [splits.join(',')] : [])]);
  for (const r of res) if (r.code !== 0 || !r.json) throw new Error(`rank failed (${r.code}): ${r.stderr}`);
  for (const r of res) if (r.json.error) throw new Error(`rank error: ${r.json.error.stack}`);
  return res.map((r) => r.json);
}

d('SyncBatchNorm across processes (Gloo, CPU)', () => {
  for (const [world, splits] of [[2, [3, 5]], [4, [0, 3, 2, 3]]] as [number, number[]][]) {
    test(`world size ${world}, shards ${JSON.stringify(splits)}: equals BatchNorm on the whole batch`, async () => {
      const js = await run('bn', world, splits);
      for (const c of fx.cases) {
        const per = c.shape.slice(1).reduce((a: number, b: number) => a * b, 1);
        let start = 0;
        for (let r = 0; r < world; r++) {
          const lo = start * per, hi = (start + splits[r]) * per;
          start += splits[r];
          const got = js[r].cases[c.name];
          c.iters.forEach((it: any, i: number) => {
            const g = got.iters[i];
            const w = `${c.name} rank ${r} iter ${i}`;
            close(g.out, it.out.slice(lo, hi), `${w} out`);
            close(g.grad_x, it.grad_x.slice(lo, hi), `${w} grad_x`);
            close(g.running_mean, it.running_mean, `${w} running_mean`);
            close(g.running_var, it.running_var, `${w} running_var`);
            expect(g.num_batches_tracked).toBe(it.num_batches_tracked);
            if (c.affine) {
              close(g.grad_weight, it.grad_weight, `${w} grad_weight`);
              close(g.grad_bias, it.grad_bias, `${w} grad_bias`);
            }
          });
          close(got.eval, c.eval.out.slice(lo, hi), `${c.name} rank ${r} eval`);
        }
      }
      for (const j of js) {
        expect(j.bad_group).toBe('TypeError');
        // an input without grad (no all_reduce in backward, as PyTorch): the ranks' weight
        // gradients of sum(y) add up to the sum of the normalized global batch, which is 0
        for (const v of j.nograd_input_weight_grad_sum) expect(Math.abs(v)).toBeLessThan(1e-5);
      }
    });
  }

  for (const world of [2, 4]) {
    test(`DDP + convert_sync_batchnorm, world size ${world}: identical ranks, equal to one process on the whole batch`, async () => {
      const js = await run('ddp', world);
      const ref = fx.ddp_bn.steps;
      for (const j of js) {
        expect(j.converted).toBe('SyncBatchNorm');
        for (let s = 0; s < ref.length; s++) {
          for (const k of Object.keys(ref[s])) {
            expect(j.steps[s][k]).toEqual(js[0].steps[s][k]);
            close(j.steps[s][k], ref[s][k], `step ${s} ${k}`);
          }
        }
      }
    });
  }
});

describe('SyncBatchNorm in one process', () => {
  test('no process group: BatchNorm (training and eval), PyTorch argument checks', () => {
    torch.manual_seed(0);
    const s = new torch.nn.SyncBatchNorm(3, { momentum: 0.2 });
    const b = new torch.nn.BatchNorm1d(3, { momentum: 0.2 });
    const x = torch.randn([5, 3, 2]);
    expect(torch.allclose(s.forward(x), b.forward(x))).toBe(true);
    expect(torch.allclose(s.running_var!, b.running_var!)).toBe(true);
    s.eval();
    b.eval();
    expect(torch.allclose(s.forward(x), b.forward(x))).toBe(true);
    expect(() => s.forward(torch.ones([3]))).toThrow(/expected at least 2D input \(got 1D input\)/);
    expect(() => s.forward(torch.ones([2, 0]))).toThrow(/number of input channels should be non-zero/);
    expect(() => new torch.nn.SyncBatchNorm(3, { process_group: 1 })).toThrow(TypeError);
    expect(String(s)).toBe('SyncBatchNorm(3, eps=1e-05, momentum=0.2, affine=True, track_running_stats=True)');
  });

  test('convert_sync_batchnorm replaces BatchNorm*d recursively, sharing parameters and buffers', () => {
    const inner = new torch.nn.Sequential(new torch.nn.Conv2d(1, 2, 1), new torch.nn.BatchNorm2d(2, { momentum: null }));
    const m = new torch.nn.Sequential(new torch.nn.Linear(2, 3), new torch.nn.BatchNorm1d(3, { affine: false }), inner);
    const bn = inner[1] as any;
    const c = torch.nn.SyncBatchNorm.convert_sync_batchnorm(m) as any;
    expect(c).toBe(m);
    expect(c[1]).toBeInstanceOf(torch.nn.SyncBatchNorm);
    expect(c[1].affine).toBe(false);
    expect(c[2][1]).toBeInstanceOf(torch.nn.SyncBatchNorm);
    expect(c[2][1].momentum).toBeNull();
    expect(c[2][1].weight).toBe(bn.weight);
    expect(c[2][1].running_mean).toBe(bn.running_mean);
    expect(c[2][1].num_batches_tracked).toBe(bn.num_batches_tracked);
    expect(Object.keys(c.state_dict())).toEqual(Object.keys(m.state_dict()));
    const lone = torch.nn.SyncBatchNorm.convert_sync_batchnorm(new torch.nn.BatchNorm1d(4));
    expect(lone).toBeInstanceOf(torch.nn.SyncBatchNorm);
    expect(() => torch.nn.SyncBatchNorm.convert_sync_batchnorm({} as any)).toThrow(TypeError);
  });
});
