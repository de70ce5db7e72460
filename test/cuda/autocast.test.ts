/**
 * torch.autocast on the CPU (bfloat16), and the GradScaler rules on the CPU (torch.amp.GradScaler('cpu')).
 * Expected dtypes: PyTorch 1.13's CPU autocast casts matmul/linear to bfloat16 and keeps float32
 * for ops outside its lists (test/fixtures/make_amp.py records them).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { libtorchMinor, libtorchVersion } from '../helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'amp.json'), 'utf8'));
// Result dtypes and values: PyTorch 1.13's on 1.13; that release's on another libtorch
// (amp.libtorch-<major>.<minor>.json from make_amp.py under it: its bfloat16 matmul rounds differently).
const ampFile = path.join(__dirname, '..', 'fixtures', `amp.libtorch-${libtorchMinor}.json`);
const fxv = libtorchMinor === '1.13' ? fx : fs.existsSync(ampFile) ? JSON.parse(fs.readFileSync(ampFile, 'utf8')) : null;

describe('torch.autocast(cpu)', () => {
  if (!fxv) test.skip(`libtorch ${libtorchVersion}: bfloat16 mm values not compared (no ${path.basename(ampFile)}; write it with test/fixtures/make_amp.py under that PyTorch)`, () => {});
  test('as a scope function: op dtypes as PyTorch', () => {
    const a = torch.tensor(fx.a), b = torch.tensor(fx.b);
    const got = torch.autocast('cpu', () => {
      expect(torch.is_autocast_cpu_enabled()).toBe(true);
      const mm = torch.mm(a, b);
      return { mm: mm.dtype.toString(), add: torch.add(a, a).dtype.toString(), mmv: mm.float().tolist() };
    });
    expect(got.mm).toBe((fxv ?? fx).mm_dtype);
    expect(got.add).toBe((fxv ?? fx).add_dtype);
    if (fxv) {
      const want: number[][] = fxv.mm;
      got.mmv.forEach((row: number[], i: number) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
    }
    expect(torch.is_autocast_cpu_enabled()).toBe(false);
  });
  test('as a `using` guard, nested, and restored', () => {
    const a = torch.tensor(fx.a), b = torch.tensor(fx.b);
    {
      using _g = torch.autocast('cpu', { dtype: torch.bfloat16 });
      expect(torch.mm(a, b).dtype).toBe(torch.bfloat16);
      {
        using _h = torch.autocast('cpu', { enabled: false });
        expect(torch.mm(a, b).dtype).toBe(torch.float32);
      }
      expect(torch.mm(a, b).dtype).toBe(torch.bfloat16);
    }
    expect(torch.mm(a, b).dtype).toBe(torch.float32);
    expect(torch.get_autocast_cpu_dtype()).toBe(torch.bfloat16);
  });
  test('an exception leaves autocast off; float16 on CPU disables with a warning (as PyTorch 1.13)', () => {
    expect(() => torch.autocast('cpu', () => { throw new Error('x'); })).toThrow('x');
    expect(torch.is_autocast_cpu_enabled()).toBe(false);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(torch.autocast('cpu', { dtype: torch.float16 }, () => torch.is_autocast_cpu_enabled())).toBe(false);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    expect(() => torch.autocast('cpu', async () => 1)).toThrow(TypeError);
  });
});

describe('GradScaler rules (CPU)', () => {
  function setup(gradVals: number[]) {
    const p = torch.tensor([1, 2, 3]);
    p.requires_grad_(true);
    const opt = { param_groups: [{ params: [p] }], steps: 0, step() { this.steps++; } };
    return { p, opt, setGrad: () => torch.tensor(gradVals).mul(65536) };
  }
  test('scale, unscale_, step, update: defaults init_scale 2**16, backoff 0.5, growth 2 every growth_interval', () => {
    const s = new torch.amp.GradScaler('cpu', { growth_interval: 2 });
    expect(s.get_scale()).toBe(65536);
    const x = torch.tensor([1, 2]);
    expect(s.scale(x).tolist()).toEqual([65536, 131072]);
    const { p, opt } = setup([1, 1, 1]);
    p.sum().mul(s.get_scale()).backward();
    s.unscale_(opt);
    expect(p.grad!.tolist()).toEqual([1, 1, 1]);
    expect(() => s.unscale_(opt)).toThrow('unscale_() has already been called on this optimizer since the last update().');
    s.step(opt);
    expect(opt.steps).toBe(1);
    expect(() => s.step(opt)).toThrow('step() has already been called since the last update().');
    s.update();
    expect(s.get_scale()).toBe(65536);
    expect(s.state_dict()).toEqual({ scale: 65536, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2, _growth_tracker: 1 });
    // second clean step: grows
    p.grad = null as any;
    s.scale(p.sum()).backward();
    s.step(opt);
    s.update();
    expect(opt.steps).toBe(2);
    expect(s.get_scale()).toBe(131072);
    expect(s._get_growth_tracker()).toBe(0);
  });
  test('an inf gradient skips the step and backs off', () => {
    const s = new torch.amp.GradScaler('cpu');
    const { p, opt } = setup([1, 1, 1]);
    s.scale(p.sum()).backward();
    p.grad!.copy_(torch.tensor([1, Infinity, 0]));
    s.step(opt);
    expect(opt.steps).toBe(0);
    s.update();
    expect(s.get_scale()).toBe(32768);
    const s2 = new torch.amp.GradScaler('cpu');
    s2.load_state_dict(s.state_dict());
    expect(s2.get_scale()).toBe(32768);
    expect(() => s2.update()).toThrow(/_scale is None/);
  });
});
