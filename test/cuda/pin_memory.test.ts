/**
 * Pinned host memory and non_blocking copies. Without CUDA (this machine) everything answers as
 * PyTorch 1.13 does here (test/fixtures/make_pin_memory.py → pin_memory.json): pin_memory() and
 * pin_memory=True factories raise (a TorchError here), is_pinned() is false, non_blocking CPU
 * copies are plain copies, DataLoader({pin_memory: true}) leaves batches unpinned, silently.
 * With CUDA, the pinned path runs in the second block.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { pin_memory } from '../../lib/utils/data/_utils/pin_memory';
import { libtorchMinor, libtorchVersion } from '../helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'pin_memory.json'), 'utf8'));
// libtorch's own messages (pin_memory(), pin_memory=True factories): PyTorch 1.13's on 1.13, that
// release's elsewhere (pin_memory.libtorch-<major>.<minor>.json from make_pin_memory.py under it);
// the DataLoader's warnings are torch-node's port of 1.13's Python and stay 1.13's.
const libFile = path.join(__dirname, '..', 'fixtures', `pin_memory.libtorch-${libtorchMinor}.json`);
const lx = libtorchMinor === '1.13' ? fx : fs.existsSync(libFile) ? JSON.parse(fs.readFileSync(libFile, 'utf8')) : null;
const hasCuda = torch.cuda.is_available();
const noCuda = hasCuda ? describe.skip : describe;
const withCuda = hasCuda ? describe : describe.skip;

function warnings(fn: () => void): string[] {
  const got: string[] = [];
  const h = (w: Error) => got.push(w.message);
  process.on('warning', h);
  const orig = process.emitWarning;
  (process as any).emitWarning = (w: any) => got.push(String(w));
  try {
    fn();
  } finally {
    (process as any).emitWarning = orig;
    process.off('warning', h);
  }
  return got;
}

noCuda('pinned memory without CUDA (as PyTorch 1.13 without CUDA)', () => {
  if (!lx) test.skip(`libtorch ${libtorchVersion}: messages checked by class only (no ${path.basename(libFile)}; write it with test/fixtures/make_pin_memory.py under that PyTorch)`, () => {});
  const x = () => torch.tensor([1, 2, 3]);
  test('pin_memory() and pin_memory=True factories raise TorchErrors with PyTorch\'s messages', () => {
    expect(fx.cuda_available).toBe(false);
    expect(() => x().pin_memory()).toThrow(torch.TorchError);
    expect(() => torch.empty([3], { pin_memory: true })).toThrow(torch.TorchError);
    expect(() => torch.zeros([3], { pin_memory: true })).toThrow(torch.TorchError);
    if (lx) {
      expect(() => x().pin_memory()).toThrow(lx.pin_memory.message);
      expect(() => torch.empty([3], { pin_memory: true })).toThrow(lx.empty_pin_memory.message);
      expect(() => torch.zeros([3], { pin_memory: true })).toThrow(lx.zeros_pin_memory.message);
    }
    expect(() => x().pin_memory('cuda')).toThrow(torch.TorchError);
    expect(() => x().pin_memory(3 as any)).toThrow(TypeError);
    expect(x().is_pinned()).toBe(fx.is_pinned.value);
    expect(torch.empty([3], { pin_memory: false }).is_pinned()).toBe(false);
  });

  test('non_blocking copies on the CPU are plain copies; cuda(non_blocking) raises', () => {
    expect(x().to('cpu', { non_blocking: true }).tolist()).toEqual(fx.to_cpu_non_blocking.value);
    const d = x().to(torch.float64, { non_blocking: true });
    expect(d.dtype).toBe(torch.float64);
    expect(d.tolist()).toEqual(fx.to_double_non_blocking.value);
    expect(torch.zeros([3]).copy_(x(), { non_blocking: true }).tolist()).toEqual(fx.copy_non_blocking.value);
    expect(torch.zeros([3]).copy_(x(), true).tolist()).toEqual(fx.copy_non_blocking.value);
    // PyTorch: AssertionError "Torch not compiled with CUDA enabled"; here a TorchError
    expect(() => x().cuda({ non_blocking: true })).toThrow(torch.TorchError);
  });

  test('DataLoader({pin_memory: true}) leaves batches unpinned without a warning', async () => {
    const ds = new torch.utils.data.TensorDataset(torch.arange(6).reshape([3, 2]).to(torch.float32));
    let batches: any[] = [];
    const w = warnings(() => {
      batches = [...new torch.utils.data.DataLoader(ds, { batch_size: 2, pin_memory: true })];
    });
    expect(w).toEqual(fx.loader_warnings);
    expect(batches.map((b) => b[0].is_pinned())).toEqual(fx.loader_pinned);
    expect(batches.map((b) => b[0].tolist())).toEqual(fx.loader_values);
    const viaAwait: any[] = [];
    for await (const b of new torch.utils.data.DataLoader(ds, { batch_size: 2, pin_memory: true })) viaAwait.push(b[0].tolist());
    expect(viaAwait).toEqual(fx.loader_values);
    const w2 = warnings(() => {
      [...new torch.utils.data.DataLoader(ds, { batch_size: 2, pin_memory_device: 'cuda' })];
    });
    expect(w2).toEqual(fx.device_without_pin_warnings);
  });

  test('the batch pinning walk: tensors in arrays, objects and Maps; strings and numbers pass through', () => {
    class Pinnable {
      pin_memory(): string {
        return 'pinned';
      }
    }
    const marker = new Pinnable();
    expect(pin_memory({ a: [1, 'x', marker], m: new Map([['k', marker]]) })).toEqual({ a: [1, 'x', 'pinned'], m: new Map([['k', 'pinned']]) });
    expect(() => pin_memory([torch.ones([1])])).toThrow(torch.TorchError);
  });
});

withCuda(hasCuda ? 'pinned memory with CUDA' : 'pinned memory with CUDA (skipped: no CUDA in this build or machine)', () => {
  test('pin_memory, non_blocking host-to-device copies, pinned DataLoader batches', async () => {
    const x = torch.randn([64, 32]);
    const p = x.pin_memory();
    expect(p.is_pinned()).toBe(true);
    expect(x.is_pinned()).toBe(false);
    expect(p.pin_memory().is_pinned()).toBe(true);
    expect(torch.equal(p, x)).toBe(true);
    const g = p.to('cuda', { non_blocking: true });
    const back = torch.empty([64, 32], { pin_memory: true });
    expect(back.is_pinned()).toBe(true);
    back.copy_(g, { non_blocking: true });
    torch.cuda.synchronize();
    expect(torch.equal(back, x)).toBe(true);
    expect(torch.equal(p.cuda({ non_blocking: true }).cpu(), x)).toBe(true);
    const ds = new torch.utils.data.TensorDataset(x);
    const batches = [...new torch.utils.data.DataLoader(ds, { batch_size: 16, pin_memory: true })];
    expect(batches.every((b: any) => b[0].is_pinned())).toBe(true);
  });
});
