// Scopes cannot stay open by accident, and what tidy() returns survives in every container it
// promises (issue 14). The abandoned-scope case runs in a child (test/scripts/scope_leak.js): it
// needs --expose-gc and event-loop turns for the FinalizationRegistry.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as torch from '../lib';

describe('scopes close with the scope that encloses them', () => {
  test('a dispose_scope() left open inside tidy() is closed with it', () => {
    let inner!: torch.Tensor;
    const kept = torch.tidy(() => {
      torch.dispose_scope();
      inner = torch.ones(1);
      return torch.ones(2);
    });
    // the tensor made in the abandoned inner scope is freed with tidy's scope; the result is not
    expect(inner.is_disposed).toBe(true);
    expect(kept.is_disposed).toBe(false);
    // no scope is left open: a tensor made now belongs to no scope and survives the next tidy
    const after = torch.ones(3);
    torch.tidy(() => torch.ones(1).add(1));
    expect(after.is_disposed).toBe(false);
  });

  test('a dispose_scope() left open inside another one is closed with it', () => {
    const outer = torch.dispose_scope();
    torch.dispose_scope();
    const t = torch.ones(1);
    outer.dispose();
    expect(t.is_disposed).toBe(true);
    const after = torch.ones(1);
    torch.tidy(() => undefined);
    expect(after.is_disposed).toBe(false);
  });

  test('tidy() closes its scope when fn throws', () => {
    let made!: torch.Tensor;
    expect(() => torch.tidy(() => { made = torch.ones(1); torch.dispose_scope(); throw new Error('boom'); })).toThrow('boom');
    expect(made.is_disposed).toBe(true);
    const after = torch.ones(1);
    torch.tidy(() => undefined);
    expect(after.is_disposed).toBe(false);
  });

  test('an abandoned dispose_scope() stops recording tensors once collected, and is reported', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'scripts', 'scope_leak.js')], { encoding: 'utf8', timeout: 60000 });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    // 200k tensors were made after the scope was abandoned; none is held by it
    expect(out.live).toBeLessThan(1000);
    expect(out.warnings.join('\n')).toMatch(/TorchScopeWarning: a torch.dispose_scope\(\) was never disposed/);
  });
});

describe('what tidy() returns survives', () => {
  test('at any depth', () => {
    let deep: any = torch.ones(1);
    for (let i = 0; i < 40; i++) deep = [deep];
    const r = torch.tidy(() => { let d: any = torch.ones(1); for (let i = 0; i < 40; i++) d = { v: [d] }; return d; });
    let t: any = r;
    for (let i = 0; i < 40; i++) t = t.v[0];
    expect(t.is_disposed).toBe(false);
    expect(deep).toBeDefined();
  });
  test('in a Set, as a Map key or value, and a cyclic container', () => {
    const r = torch.tidy(() => {
      const s = new Set([torch.ones(1)]);
      const m = new Map([[torch.ones(2), torch.ones(3)]]);
      const cyc: any[] = [torch.ones(4)];
      cyc.push(cyc);
      return { s, m, cyc };
    });
    expect([...r.s][0].is_disposed).toBe(false);
    const [[k, v]] = [...r.m];
    expect(k.is_disposed).toBe(false);
    expect(v.is_disposed).toBe(false);
    expect(r.cyc[0].is_disposed).toBe(false);
  });
  test('a Module returned from tidy keeps its parameters and buffers', () => {
    const m = torch.tidy(() => new torch.nn.Sequential(new torch.nn.Linear(3, 2), new torch.nn.BatchNorm1d(2)));
    for (const p of m.parameters()) expect(p.is_disposed).toBe(false);
    for (const b of m.buffers()) expect(b.is_disposed).toBe(false);
    expect(m(torch.ones(4, 3)).shape).toEqual([4, 2]);
  });
});
