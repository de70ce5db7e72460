// Lifetime of native tensor memory: dispose, tidy, dispose_scope + using, GC arenas.
import * as torch from '../lib';
import * as path from 'path';
import { execFileSync } from 'child_process';

describe('dispose', () => {
  test('frees now, is idempotent, and later use is a clear TorchError', () => {
    const before = torch.live_tensors().count;
    const t = torch.ones(3);
    expect(torch.live_tensors().count).toBe(before + 1);
    t.dispose();
    t.dispose();
    expect(t.is_disposed).toBe(true);
    expect(torch.live_tensors().count).toBe(before);
    expect(() => t.add(1)).toThrow(torch.TorchError);
    expect(() => t.add(1)).toThrow(/disposed/);
    expect(() => t.shape).toThrow(/disposed/);
    expect(() => torch.add(torch.ones(3), t)).toThrow(/disposed/);
  });
  test('live_tensors counts bytes', () => {
    const before = torch.live_tensors();
    const t = torch.zeros(1000, { dtype: torch.float64 });
    expect(torch.live_tensors().bytes - before.bytes).toBe(8000);
    t.dispose();
    expect(torch.live_tensors().bytes).toBe(before.bytes);
  });
  test('torch.dispose frees every tensor in a structure', () => {
    const before = torch.live_tensors().count;
    const s = { a: torch.ones(2), b: [torch.ones(2), torch.zeros(1)] };
    torch.dispose(s);
    expect(torch.live_tensors().count).toBe(before);
  });
});

describe('tidy', () => {
  test('the live-tensor count returns exactly to where it started', () => {
    const x = torch.ones(4, 4);
    const before = torch.live_tensors().count;
    torch.tidy(() => {
      let y = x;
      for (let i = 0; i < 100; i++) y = y.mul(1.01).add(0.5).relu();
      return undefined;
    });
    expect(torch.live_tensors().count).toBe(before);
  });
  test('returned tensors survive, in any structure, and move to the outer scope', () => {
    const before = torch.live_tensors().count;
    const outer = torch.tidy(() => {
      const inner = torch.tidy(() => {
        const a = torch.ones(2).add(1);
        return { a, list: [a.mul(2)] };
      });
      expect(inner.a.tolist()).toEqual([2, 2]);
      return inner.list[0];
    });
    expect(outer.tolist()).toEqual([4, 4]);
    expect(torch.live_tensors().count).toBe(before + 1);
    outer.dispose();
  });
  test('an exception inside disposes and rethrows', () => {
    const before = torch.live_tensors().count;
    expect(() =>
      torch.tidy(() => {
        torch.ones(3).add(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(torch.live_tensors().count).toBe(before);
  });
  test('tensors made inside are disposed (use after is an error)', () => {
    let leaked: torch.Tensor | undefined;
    torch.tidy(() => {
      leaked = torch.ones(1);
    });
    expect(leaked!.is_disposed).toBe(true);
  });
});

describe('dispose_scope with using', () => {
  test('frees at block exit except kept tensors', () => {
    const before = torch.live_tensors().count;
    let kept: torch.Tensor;
    {
      using scope = torch.dispose_scope();
      const a = torch.ones(3).add(2);
      kept = scope.keep(a.mul(2));
    }
    expect(kept.tolist()).toEqual([6, 6, 6]);
    expect(torch.live_tensors().count).toBe(before + 1);
    kept.dispose();
  });
  test('a single tensor with using', () => {
    const before = torch.live_tensors().count;
    {
      using t = torch.ones(10);
      expect(t.sum().item()).toBe(10);
    }
    // t.sum() made a tensor that GC will free; t itself was disposed.
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before + 1);
  });
});

describe('GC as a last resort', () => {
  test('1,000,000 ops on 4 KB tensors without dispose keep RSS growth under 256 MB', () => {
    // Plain Node in a child process: jest's vm context slows every global lookup ~3x.
    const out = execFileSync(process.execPath, [path.join(__dirname, 'scripts', 'rss_loop.js'), '1000000'], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.n).toBe(1000000);
    expect(r.growth_mb).toBeLessThan(256);
  }, 300000);
  test('an allocation far beyond memory is a TorchError and the process lives on', () => {
    expect(() => torch.empty(1e15)).toThrow(torch.TorchError);
    expect(() => torch.zeros(1e8, 1e8)).toThrow(torch.TorchError);
    expect(torch.ones(2).sum().item()).toBe(2);
  });
});
