/**
 * CUDA end to end (runs on a machine with an NVIDIA GPU; skipped visibly elsewhere): tensors
 * round-trip, ops match the CPU, autograd and a small model train on the GPU, autocast float16,
 * DataParallel on one GPU matches the plain module, an out-of-memory error is a TorchError and the
 * process keeps working, DDP with NCCL at world size 1.
 */
import * as torch from '../../lib';

const hasCuda = torch.cuda.is_available();
const gpu = hasCuda ? describe : describe.skip;
if (!hasCuda) {
  // eslint-disable-next-line no-console
  describe.skip('CUDA device tests skipped: torch.cuda.is_available() is false (no CUDA build of libtorch or no GPU)', () => {
    test.skip('needs a GPU', () => undefined);
  });
}

function closeTo(a: Tensor, b: Tensor, tol: number): void {
  const x = a.cpu().float().reshape(-1).tolist() as number[];
  const y = b.cpu().float().reshape(-1).tolist() as number[];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]))));
}
type Tensor = torch.Tensor;

gpu('CUDA device', () => {
  test('device queries and memory statistics', () => {
    expect(torch.cuda.device_count()).toBeGreaterThan(0);
    expect(torch.cuda.current_device()).toBe(0);
    expect(typeof torch.cuda.get_device_name(0)).toBe('string');
    torch.cuda.reset_peak_memory_stats();
    const before = torch.cuda.memory_allocated();
    const t = torch.empty([1024, 1024], { device: 'cuda' });
    expect(torch.cuda.memory_allocated()).toBeGreaterThanOrEqual(before + 4 * 1024 * 1024);
    expect(torch.cuda.max_memory_allocated()).toBeGreaterThanOrEqual(torch.cuda.memory_allocated());
    expect(torch.cuda.memory_reserved()).toBeGreaterThanOrEqual(torch.cuda.memory_allocated());
    t.dispose();
    torch.cuda.synchronize();
    torch.cuda.empty_cache();
    torch.cuda.manual_seed_all(0);
  });

  test('round trip and ops match the CPU', () => {
    torch.manual_seed(0);
    const a = torch.randn([64, 32]), b = torch.randn([32, 16]);
    const ga = a.cuda(), gb = b.to('cuda');
    expect(ga.is_cuda).toBe(true);
    expect(ga.cpu().tolist()).toEqual(a.tolist());
    closeTo(torch.mm(ga, gb), torch.mm(a, b), 1e-4);
    closeTo(ga.relu().sum({ dim: 0 }), a.relu().sum({ dim: 0 }), 1e-4);
    closeTo(torch.softmax(ga, 1), torch.softmax(a, 1), 1e-5);
  });

  test('autograd and a small model train on the GPU as on the CPU', () => {
    const build = () => {
      torch.manual_seed(0);
      return new torch.nn.Sequential(new torch.nn.Linear(8, 16), new torch.nn.Linear(16, 1));
    };
    torch.manual_seed(1);
    const x = torch.randn([32, 8]), y = torch.randn([32, 1]);
    const train = (dev: string) => {
      const m = build().to(dev);
      const opt = new torch.optim.SGD(m.parameters(), { lr: 0.05 });
      const xs = x.to(dev), ys = y.to(dev);
      for (let i = 0; i < 5; i++) {
        opt.zero_grad();
        m(xs).sub(ys).pow(2).mean().backward();
        opt.step();
      }
      return m.parameters().map((p: Tensor) => p.detach().cpu());
    };
    const cpu = train('cpu'), cuda = train('cuda');
    cpu.forEach((p, i) => closeTo(cuda[i], p, 1e-4));
  });

  test('autocast float16 and GradScaler', () => {
    const a = torch.randn([16, 16], { device: 'cuda' });
    const r = torch.autocast('cuda', () => torch.mm(a, a));
    expect(r.dtype).toBe(torch.float16);
    const m = new torch.nn.Linear(16, 1).cuda();
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.01 });
    const s = new torch.cuda.amp.GradScaler();
    expect(s.is_enabled()).toBe(true);
    for (let i = 0; i < 3; i++) {
      opt.zero_grad();
      const loss = torch.autocast('cuda', () => m(a).float().pow(2).mean());
      s.scale(loss).backward();
      s.step(opt);
      s.update();
    }
    expect(s.get_scale()).toBe(65536);
  });

  test('DataParallel on one GPU matches the plain module; state_dict keys carry module.', () => {
    torch.manual_seed(0);
    const m = new torch.nn.Linear(4, 2).cuda();
    const dp = new torch.nn.DataParallel(m, { device_ids: [0] });
    const x = torch.randn([6, 4], { device: 'cuda' });
    closeTo(dp(x), m(x), 0);
    expect(Object.keys(dp.state_dict())).toEqual(['module.weight', 'module.bias']);
  });

  test('out of memory is a TorchError and the process keeps working', () => {
    expect(() => torch.empty([1 << 40], { device: 'cuda' })).toThrow(torch.TorchError);
    torch.cuda.empty_cache();
    const t = torch.ones([4], { device: 'cuda' });
    expect(t.sum().item()).toBe(4);
  });

  const nccl = torch.distributed.is_nccl_available() ? test : test.skip;
  nccl('DDP with NCCL at world size 1', () => {
    const dist = torch.distributed;
    const store = new dist.TCPStore('127.0.0.1', 0, 1, true);
    dist.init_process_group('nccl', { store, rank: 0, world_size: 1 });
    try {
      const m = new torch.nn.Linear(4, 2).cuda();
      const ddp = new torch.nn.parallel.DistributedDataParallel(m, { device_ids: [0] });
      const x = torch.randn([8, 4], { device: 'cuda' });
      ddp(x).sum().backward();
      const ref = m.weight.grad!.clone();
      const t = torch.ones([3], { device: 'cuda' });
      dist.all_reduce(t);
      expect(t.cpu().tolist()).toEqual([1, 1, 1]);
      expect(ref.is_cuda).toBe(true);
    } finally {
      dist.destroy_process_group();
    }
  });
});
