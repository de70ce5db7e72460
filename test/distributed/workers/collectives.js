// A rank of test/distributed/collectives.test.ts: runs every collective for every dtype and
// prints what it got as one JSON line. argv: init_method rank world_size
'use strict';
const torch = require('../../../dist');
const dist = torch.distributed;
const fx = require('../../fixtures/distributed.json');
const [init, rankS, worldS] = process.argv.slice(2);
const rank = Number(rankS), world = Number(worldS);
if (init === 'env') dist.init_process_group('gloo', { timeout: 20 });
else dist.init_process_group('gloo', { init_method: init, rank, world_size: world, timeout: 20 });

const vals = (t) => (t.dtype === torch.bool ? t.tolist() : t.to(torch.float64).tolist());
const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    return { error: String(e.message), cls: e.constructor.name };
  }
};
const out = { rank: dist.get_rank(), world: dist.get_world_size(), backend: dist.get_backend() };
for (const dn of fx.dtypes) {
  const dt = torch[dn];
  const ins = fx[String(world)][rank][dn].input;
  const base = () => torch.tensor(ins, { dtype: torch.float64 }).to(dt);
  const res = {};
  for (const op of fx.ops) {
    res['all_reduce_' + op] = attempt(() => {
      const t = base();
      dist.all_reduce(t, { op: dist.ReduceOp[op] });
      return vals(t);
    });
  }
  res.broadcast = attempt(() => { const t = base(); dist.broadcast(t, world - 1); return vals(t); });
  res.reduce_max_dst1 = attempt(() => { const t = base(); dist.reduce(t, 1, dist.ReduceOp.MAX); return vals(t); });
  res.all_gather = attempt(() => {
    const lst = Array.from({ length: world }, () => torch.zeros_like(base()));
    dist.all_gather(lst, base());
    return lst.map(vals);
  });
  res.gather = attempt(() => {
    const lst = rank === 0 ? Array.from({ length: world }, () => torch.zeros_like(base())) : null;
    dist.gather(base(), { gather_list: lst, dst: 0 });
    return rank === 0 ? lst.map(vals) : null;
  });
  res.scatter = attempt(() => {
    const t = torch.zeros_like(base());
    const lst = rank === 0 ? Array.from({ length: world }, (_, k) => (dt === torch.bool ? base() : base().add(k))) : null;
    dist.scatter(t, lst, 0);
    return vals(t);
  });
  res.reduce_scatter_sum = attempt(() => {
    const t = torch.zeros_like(base());
    const lst = Array.from({ length: world }, (_, k) => (dt === torch.bool ? base() : base().mul(k + 1)));
    dist.reduce_scatter(t, lst);
    return vals(t);
  });
  out[dn] = res;
}
// Async forms: Work.wait(), Work.wait_async(), is_completed(); p2p; groups.
(async () => {
  const t = torch.tensor([rank + 1], { dtype: torch.float32 });
  const w = dist.all_reduce(t, { async_op: true });
  out.async_ok = await w.wait_async();
  out.async_completed = w.is_completed();
  out.async_value = t.tolist();
  const t2 = torch.tensor([rank * 10], { dtype: torch.float32 });
  dist.all_reduce(t2, dist.ReduceOp.MAX, { async_op: true }).wait();
  out.async_sync_value = t2.tolist();
  // ring of send/recv: rank r sends r to r+1
  const next = (rank + 1) % world, prev = (rank + world - 1) % world;
  const s = torch.tensor([rank], { dtype: torch.int64 }), r = torch.zeros([1], { dtype: torch.int64 });
  const sw = dist.isend(s, next), rw = dist.irecv(r, prev);
  sw.wait(); rw.wait();
  out.ring = r.tolist();
  const any = torch.zeros([1], { dtype: torch.int64 });
  if (rank === 0) {
    out.recv_any_src = dist.recv(any);
    out.recv_any_val = any.tolist();
  } else if (rank === world - 1) dist.send(torch.tensor([42n]), 0);
  // a subgroup of the even ranks
  const evens = Array.from({ length: world }, (_, i) => i).filter((i) => i % 2 === 0);
  const g = dist.new_group(evens);
  out.group_rank = dist.get_rank(g);
  out.group_size = dist.get_world_size(g);
  const gt = torch.tensor([rank + 1], { dtype: torch.float32 });
  dist.all_reduce(gt, { group: g });
  out.group_sum = gt.tolist();
  const gb = torch.tensor([rank], { dtype: torch.float32 });
  dist.broadcast(gb, evens[evens.length - 1], g);
  out.group_bcast = gb.tolist();
  dist.barrier();
  // errors
  out.bad_tensor = attempt(() => dist.all_reduce([1, 2]));
  out.bad_op = attempt(() => dist.all_reduce(torch.ones([1]), { op: 'sum' }));
  out.bad_src = attempt(() => dist.broadcast(torch.ones([1]), world));
  out.bad_kw = attempt(() => dist.all_reduce(torch.ones([1]), { opp: 1 }));
  out.bad_list = attempt(() => dist.all_gather([torch.ones([1])], torch.ones([1])));
  dist.destroy_process_group();
  out.after_destroy = attempt(() => dist.get_rank());
  out.initialized = dist.is_initialized();
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
