/**
 * torch.distributed over Gloo on loopback: 2 and 4 processes run every collective for every dtype
 * and ReduceOp; results (and refusals) must equal what the same release's PyTorch gave with its own
 * Gloo (test/fixtures/make_distributed.py → distributed.json for 1.13,
 * distributed.libtorch-<major>.<minor>.json for the others it was run under).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../../lib';
import { freePort, runRanks, RankResult } from './spawn';
import { libtorchMinor } from '../helpers';

const dist = torch.distributed;
const releaseFixture = path.join(__dirname, '..', 'fixtures', `distributed.libtorch-${libtorchMinor}.json`);
const fx = JSON.parse(fs.readFileSync(fs.existsSync(releaseFixture) ? releaseFixture : path.join(__dirname, '..', 'fixtures', 'distributed.json'), 'utf8'));
/** Whether this release's Gloo refuses ReduceOp.AVG (1.13's does; 2.x's averages). */
const avgRefused = 'error' in fx['2'][0].float32.all_reduce_AVG;
const gloo = dist.is_available() && dist.is_gloo_available();
const d = gloo ? describe : describe.skip;

function compare(world: number, results: RankResult[]): void {
  for (const r of results) {
    if (r.code !== 0) throw new Error(`rank exited with ${r.code}: ${r.stderr}`);
  }
  for (let rank = 0; rank < world; rank++) {
    const got = results[rank].json;
    expect(got.rank).toBe(rank);
    expect(got.world).toBe(world);
    expect(got.backend).toBe('gloo');
    for (const dn of fx.dtypes) {
      const want = fx[String(world)][rank][dn];
      for (const key of Object.keys(want)) {
        if (key === 'input') continue;
        const w = want[key], g = got[dn][key];
        const where = `world ${world} rank ${rank} ${dn} ${key}`;
        if (w !== null && typeof w === 'object' && !Array.isArray(w) && 'error' in w) {
          expect({ where, error: g && g.error !== undefined }).toEqual({ where, error: true });
          expect(g.cls).toBe('TorchError');
          expect(g.error).toContain(w.error);
        } else {
          expect({ where, value: g }).toEqual({ where, value: w });
        }
      }
    }
  }
}

d('collectives over Gloo (PyTorch fixtures)', () => {
  test('world size 2 (tcp://): every collective, dtype and ReduceOp', async () => {
    const port = await freePort();
    const res = await runRanks('collectives.js', 2, (r) => [`tcp://127.0.0.1:${port}`, String(r), '2']);
    compare(2, res);
    const [a, b] = res.map((r) => r.json);
    expect(a.async_ok).toBe(true);
    expect(a.async_completed).toBe(true);
    expect(a.async_value).toEqual([3]); // 1 + 2
    expect(b.async_sync_value).toEqual([10]); // max(0, 10)
    expect(a.ring).toEqual([1]);
    expect(b.ring).toEqual([0]);
    expect(a.recv_any_src).toBe(1);
    expect(a.recv_any_val).toEqual([42]);
    expect(a.group_rank).toBe(0);
    expect(b.group_rank).toBe(-1);
    expect(b.group_size).toBe(-1);
    expect(a.group_sum).toEqual([1]);
    expect(b.group_sum).toEqual([2]); // non-member: untouched
    expect(a.bad_tensor.cls).toBe('TypeError');
    expect(a.bad_op.cls).toBe('TypeError');
    expect(a.bad_src.cls).toBe('RangeError');
    expect(a.bad_kw.cls).toBe('TypeError');
    expect(a.bad_list.cls).toBe('RangeError');
    expect(a.after_destroy.cls).toBe('TorchError');
    expect(a.initialized).toBe(false);
  });

  test('world size 4 (env://): every collective, dtype and ReduceOp; subgroups and p2p', async () => {
    const port = await freePort();
    const res = await runRanks('collectives.js', 4, (r) => ['env', String(r), '4'], (r) => ({
      MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(r), WORLD_SIZE: '4',
    }));
    compare(4, res);
    const js = res.map((r) => r.json);
    expect(js.map((j) => j.async_value[0])).toEqual([10, 10, 10, 10]);
    expect(js.map((j) => j.ring[0])).toEqual([3, 0, 1, 2]);
    expect(js[0].recv_any_src).toBe(3);
    expect(js.map((j) => j.group_rank)).toEqual([0, -1, 1, -1]);
    expect(js[0].group_sum).toEqual([4]); // ranks 0 and 2: 1 + 3
    expect(js[2].group_sum).toEqual([4]);
    expect(js[0].group_bcast).toEqual([2]); // from global rank 2
  });

  test('file:// rendezvous', async () => {
    const file = path.join(os.tmpdir(), `tn-dist-${process.pid}-${Date.now()}`);
    const res = await runRanks('collectives.js', 2, (r) => [`file://${file}`, String(r), '2']);
    fs.rmSync(file, { force: true });
    expect(res.map((r) => r.code)).toEqual([0, 0]);
    expect(res[0].json.async_value).toEqual([3]);
  });

  test('a rank that dies makes the others fail with a TorchError, not hang', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const res = await runRanks('die.js', 2, (r) => [`tcp://127.0.0.1:${port}`, String(r), '2', '5']);
    expect(res[1].code).toBe(3);
    expect(res[0].code).toBe(0);
    expect(res[0].json.cls).toBe('TorchError');
    expect(res[0].json.error).toMatch(/all_reduce failed/);
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});

d('torch.distributed in one process', () => {
  test('not initialized: clean errors; availability', () => {
    expect(dist.is_available()).toBe(true);
    expect(dist.is_initialized()).toBe(false);
    expect(() => dist.get_rank()).toThrow(torch.TorchError);
    expect(() => dist.all_reduce(torch.ones([1]))).toThrow(/has not been initialized/);
    expect(dist.is_nccl_available()).toBe(torch.cuda.is_available() && dist.is_nccl_available());
  });

  test('bad arguments to init_process_group', () => {
    expect(() => dist.init_process_group('bogus', { rank: 0, world_size: 1 })).toThrow(RangeError);
    expect(() => dist.init_process_group('gloo', { init_method: 'tcp://127.0.0.1:1', world_size: 1 })).toThrow(/rank parameter missing/);
    expect(() => dist.init_process_group('gloo', { init_method: 'foo://x' , rank: 0, world_size: 1})).toThrow(/No rendezvous handler/);
    expect(() => dist.init_process_group('gloo', { bogus: 1 })).toThrow(TypeError);
    expect(() => dist.init_process_group('gloo', { store: {}, rank: 0, world_size: 1 })).toThrow(TypeError);
  });

  test(`world of one over a TCPStore: store API, collectives, AVG ${avgRefused ? 'refused' : 'taken'} as in PyTorch ${fx.torch_version}`, async () => {
    const store = new dist.TCPStore('127.0.0.1', 0, 1, true, 10);
    expect(store.port).toBeGreaterThan(0);
    store.set('k', 'v');
    expect(store.get('k').toString()).toBe('v');
    expect(store.add('n', 2)).toBe(2);
    expect(store.add('n', 3)).toBe(5);
    expect(() => store.wait(['missing'], 0.2)).toThrow(torch.TorchError);
    dist.init_process_group('gloo', { store, rank: 0, world_size: 1, timeout: 10 });
    try {
      expect(dist.get_backend()).toBe('gloo');
      expect(() => dist.init_process_group('gloo', { store, rank: 0, world_size: 1 })).toThrow(/twice/);
      const t = torch.tensor([1, 2, 3]);
      dist.all_reduce(t);
      expect(t.tolist()).toEqual([1, 2, 3]);
      const w = dist.broadcast(t, 0, { async_op: true })!;
      expect(await w.wait_async()).toBe(true);
      expect(dist.barrier()).toBeNull();
      expect(() => dist.all_reduce(torch.ones([2, 2]).t())).toThrow(/contiguous/);
      // Last: Gloo's barrier waits on every work still in a worker's hands and rethrows its error,
      // and a failed work stays there until its worker thread runs again, so a barrier right after
      // this refusal fails with it on a loaded machine (as in PyTorch).
      if (avgRefused) {
        expect(() => dist.all_reduce(t, { op: dist.ReduceOp.AVG })).toThrow(/Cannot use ReduceOp.AVG with Gloo/);
      } else {
        const f = torch.tensor([1, 2, 3], { dtype: torch.float32 }); // an integer AVG cannot hold its result
        dist.all_reduce(f, { op: dist.ReduceOp.AVG });
        expect(f.tolist()).toEqual([1, 2, 3]);
      }
    } finally {
      dist.destroy_process_group();
    }
    expect(dist.is_initialized()).toBe(false);
  });
});
