import * as torch from '../../lib';
import { Tensor } from '../../lib/tensor';
import { fixtures, problem, makeClosure, flat, maxAbsDiff, setGrad, Problem, libtorchVersion } from './problem';

const O: Record<string, any> = torch.optim;
type DtypeName = 'float64' | 'float32';

function build(f: any, P: Problem): torch.optim.Optimizer {
  const cls = O[f.optimizer];
  const byName: Record<string, torch.Tensor> = { W: P.W, b: P.b, u: P.u };
  const params = f.groups
    ? f.groups.map((g: any) => ({ ...g, params: g.params.map((n: string) => byName[n]) }))
    : [P.W, P.b, P.u];
  return new cls(params, f.kwargs);
}

/** Runs a case as make_optim.py does: the parameters after every step, and the losses. */
function run(f: any, dtype: torch.dtype, steps: number): { traj: number[][]; losses: number[]; opt: torch.optim.Optimizer } {
  const P = problem(dtype);
  if (f.autograd) for (const t of [P.W, P.b, P.u]) t.requires_grad_(true);
  const opt = build(f, P);
  const closure = makeClosure(opt, P, Boolean(f.autograd));
  const traj: number[][] = [];
  const losses: number[] = [];
  const n = f.closure_steps ?? steps;
  for (let i = 0; i < n; i++) {
    if (f.closure_steps) {
      losses.push(Number((opt.step(closure) as torch.Tensor).item()));
    } else {
      losses.push(Number(closure().item()));
      opt.step();
    }
    traj.push(flat([P.W, P.b, P.u]));
  }
  return { traj, losses, opt };
}

// Every step's parameters, the losses, the final state and the param_groups, against the fixture's,
// within the tolerance recorded there (float64 5e-8 over 100 steps, float32 1e-5 over 20).
for (const dtypeName of ['float64', 'float32'] as DtypeName[]) {
  const cases: Record<string, any> = fixtures[dtypeName];
  const tol: number = fixtures._tolerance[dtypeName];
  const steps = (Object.values(cases).find((c: any) => !c.closure_steps) as any).trajectory.length;
  describe(`optimizer trajectories in ${dtypeName} follow PyTorch 1.13's torch.optim on libtorch ${libtorchVersion} (${steps} steps, ${tol})`, () => {
    test.each(Object.keys(cases))('%s', (name) => {
      const f = cases[name];
      const { traj, losses, opt } = run(f, torch[dtypeName], steps);
      expect(traj.length).toBe(f.trajectory.length);
      let worst = 0;
      for (let i = 0; i < traj.length; i++) worst = Math.max(worst, maxAbsDiff(traj[i], f.trajectory[i]));
      if (process.env.OPTIM_SHOW_DIFF) console.log(dtypeName, name, worst, worst / tol);
      expect(worst).toBeLessThan(tol);
      expect(maxAbsDiff(losses, f.losses)).toBeLessThan(tol);
      // State layout and values equal Python's state_dict.
      const sd = opt.state_dict();
      expect([...sd.state.keys()].map(String)).toEqual(Object.keys(f.state));
      for (const [k, v] of sd.state) {
        const want = f.state[String(k)];
        const got = Object.fromEntries(Object.entries(v).filter(([, x]) => !Array.isArray(x)));
        expect(Object.keys(got)).toEqual(Object.keys(want));
        for (const key of Object.keys(want)) {
          const g = got[key];
          if (g instanceof torch.Tensor) expect(maxAbsDiff(flat([g]), want[key])).toBeLessThan(tol);
          else if (typeof want[key] === 'number' && typeof g === 'number') expect(Math.abs(g - want[key])).toBeLessThan(tol);
          else expect(g).toEqual(want[key]);
        }
      }
      const groups = sd.param_groups.map((g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v === undefined ? null : v])));
      expect(groups).toEqual(f.param_groups);
    });
  });
}

describe('Optimizer API', () => {
  test('param_groups are plain objects; lr written there is used by the next step', () => {
    const P = problem();
    const opt = new torch.optim.SGD([P.W], { lr: 0.1 });
    expect(Object.getPrototypeOf(opt.param_groups[0])).toBe(Object.prototype);
    const g = torch.ones_like(P.W);
    setGrad(P.W, g);
    const before = flat([P.W]);
    opt.param_groups[0].lr = 0.5;
    opt.step();
    const after = flat([P.W]);
    expect(maxAbsDiff(after.map((v, i) => before[i] - v), before.map(() => 0.5))).toBeLessThan(1e-6);
  });

  test('positional and named options are the same', () => {
    const P = problem();
    const a = new torch.optim.SGD([P.W], 0.1, 0.9, { nesterov: true });
    const b = new torch.optim.SGD([P.W], { lr: 0.1, momentum: 0.9, nesterov: true });
    // Tensors are compared by identity: toEqual would iterate them (Tensors iterate over dim 0).
    const { params: pa, ...ga } = a.param_groups[0];
    const { params: pb, ...gb } = b.param_groups[0];
    expect(ga).toEqual(gb);
    expect(pa.length === 1 && pa[0] === P.W && pb.length === 1 && pb[0] === P.W).toBe(true);
    const c = new torch.optim.Adam([P.W], 0.01, [0.8, 0.9], { amsgrad: true });
    expect(c.param_groups[0].betas).toEqual([0.8, 0.9]);
    expect(c.param_groups[0].amsgrad).toBe(true);
  });

  test('zero_grad: set_to_none defaults to true (PyTorch 2.x, as Module.zero_grad); false zeroes in place', () => {
    const P = problem();
    const opt = new torch.optim.SGD([P.W, P.b], { lr: 0.1 });
    const { native } = require('../../lib/binding');
    setGrad(P.W, torch.ones_like(P.W));
    opt.zero_grad();
    expect(native._optim_has_grad([P.W._h, P.b._h])).toEqual([false, false]);
    setGrad(P.W, torch.ones_like(P.W));
    opt.zero_grad({ set_to_none: false });
    expect(native._optim_has_grad([P.W._h, P.b._h])).toEqual([true, false]);
    const gW = new Tensor(native._optim_flat_grad([P.W._h]));
    expect(Array.from(gW.to_typed_array() as Float32Array).every((v) => v === 0)).toBe(true);
    opt.zero_grad({ set_to_none: true });
    expect(native._optim_has_grad([P.W._h])).toEqual([false]);
    opt.zero_grad(true);
  });

  test('params without grad are skipped and get no state', () => {
    const P = problem();
    const opt = new torch.optim.Adam([P.W, P.u]);
    setGrad(P.W, torch.ones_like(P.W));
    const u0 = flat([P.u]);
    opt.step();
    expect(opt.state.has(P.W)).toBe(true);
    expect(opt.state.has(P.u)).toBe(false);
    expect(flat([P.u])).toEqual(u0);
    expect(opt.state.get(P.W)!.exp_avg).toBeInstanceOf(torch.Tensor);
  });

  test('add_param_group fills defaults and rejects duplicates', () => {
    const P = problem();
    const opt = new torch.optim.SGD([P.W], { lr: 0.1, momentum: 0.9 });
    opt.add_param_group({ params: P.b, lr: 0.01 });
    expect(opt.param_groups[1].params.length === 1 && opt.param_groups[1].params[0] === P.b).toBe(true);
    expect(opt.param_groups[1].momentum).toBe(0.9);
    expect(opt.param_groups[1].lr).toBe(0.01);
    expect(() => opt.add_param_group({ params: [P.W] })).toThrow(RangeError);
  });

  test('state_dict / load_state_dict continue the same trajectory', () => {
    const A = problem();
    const optA = new torch.optim.Adam([A.W, A.b], { lr: 0.01, amsgrad: true });
    const closureA = makeClosure(optA, A);
    for (let i = 0; i < 5; i++) { closureA(); optA.step(); }
    const sd = optA.state_dict();
    expect(sd.state.get(0)!.step).toBeInstanceOf(torch.Tensor);
    expect(sd.param_groups[0].params).toEqual([0, 1]);
    // A second optimizer on copies of the parameters, loaded from the state dict.
    const B = problem();
    B.W = A.W.clone();
    B.b = A.b.clone();
    const optB = new torch.optim.Adam([B.W, B.b], { lr: 0.5 });
    // Through a plain object with string keys too (what a JSON or pickle round trip may give).
    optB.load_state_dict({ state: Object.fromEntries([...sd.state].map(([k, v]) => [String(k), v])), param_groups: sd.param_groups });
    expect(optB.param_groups[0].lr).toBe(0.01);
    expect(optB.param_groups[0].amsgrad).toBe(true);
    expect(optB.state.get(B.W)!.exp_avg).not.toBe(sd.state.get(0)!.exp_avg);
    const closureB = makeClosure(optB, B);
    for (let i = 0; i < 5; i++) { closureA(); optA.step(); closureB(); optB.step(); }
    expect(maxAbsDiff(flat([A.W, A.b]), flat([B.W, B.b]))).toBe(0);
  });

  test('load_state_dict rejects mismatched groups', () => {
    const P = problem();
    const opt = new torch.optim.SGD([P.W, P.b], { lr: 0.1 });
    const sd = opt.state_dict();
    const other = new torch.optim.SGD([P.W], { lr: 0.1 });
    expect(() => other.load_state_dict(sd)).toThrow(RangeError);
    expect(() => other.load_state_dict({ state: new Map(), param_groups: [{}, {}] } as any)).toThrow(RangeError);
    expect(() => other.load_state_dict(42 as any)).toThrow(TypeError);
  });

  test('state survives a tidy() scope', () => {
    const P = problem();
    const opt = new torch.optim.SGD([P.W], { lr: 0.1, momentum: 0.9 });
    torch.tidy(() => {
      setGrad(P.W, torch.ones_like(P.W));
      opt.step();
    });
    const buf = opt.state.get(P.W)!.momentum_buffer as torch.Tensor;
    expect(buf.is_disposed).toBe(false);
    expect(flat([buf]).every((v) => v === 1)).toBe(true);
  });

  test('bad arguments are clean errors', () => {
    const P = problem();
    expect(() => new torch.optim.SGD(P.W as any, { lr: 0.1 })).toThrow(TypeError);
    expect(() => new torch.optim.SGD([], { lr: 0.1 })).toThrow(RangeError);
    expect(() => new torch.optim.SGD([P.W])).toThrow(RangeError);
    expect(() => new torch.optim.SGD([P.W], { lr: -1 })).toThrow(RangeError);
    expect(() => new torch.optim.SGD([P.W], { lr: 0.1, nesterov: true })).toThrow(RangeError);
    expect(() => new torch.optim.SGD([P.W], { lr: 0.1, bogus: 1 } as any)).toThrow(TypeError);
    expect(() => new torch.optim.SGD([42] as any, { lr: 0.1 })).toThrow(TypeError);
    expect(() => new torch.optim.Adam([P.W], { betas: [1.5, 0.9] })).toThrow(RangeError);
    expect(() => new torch.optim.Adam([P.W], { betas: 0.9 } as any)).toThrow(TypeError);
    expect(() => new torch.optim.LBFGS([{ params: [P.W] }, { params: [P.b] }])).toThrow(RangeError);
    expect(() => new torch.optim.LBFGS([P.W], { line_search_fn: 'armijo' })).toThrow(RangeError);
    expect(() => (new torch.optim.LBFGS([P.W]) as any).step()).toThrow(TypeError);
    // A grad of the wrong shape is libtorch's error, as a TorchError.
    const opt = new torch.optim.SGD([P.W], { lr: 0.1, momentum: 0.9 });
    setGrad(P.W, torch.ones_like(P.W));
    opt.step();
    opt.state.get(P.W)!.momentum_buffer = torch.ones(7);
    expect(() => opt.step()).toThrow(torch.TorchError);
  });

  test('toString is PyTorch\'s repr', () => {
    const P = problem();
    const opt = new torch.optim.SGD([P.W], { lr: 0.1 });
    expect(opt.toString()).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)',
    );
  });
});
