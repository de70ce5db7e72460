// torch.distributions against PyTorch 1.13 (fixtures: test/fixtures/make_distributions.py).
import * as torch from '../../lib';
import { loadFixture, libtorchMinor } from '../helpers';

const D = torch.distributions;
const fx = loadFixture('distributions.json');

type Enc = { dtype: string; shape: number[]; data: (number | string | null)[] } | string | null;

/** A distribution, transform or tensor from the fixture's spec (the Python script builds the same). */
function build(spec: any, leaves?: torch.Tensor[]): any {
  if (Array.isArray(spec)) return spec.map((s) => build(s, leaves));
  if (spec && typeof spec === 'object' && 'tensor' in spec) {
    const t = torch.tensor(spec.tensor, { dtype: (torch as any)[spec.dtype] });
    if (leaves) {
      t.requires_grad_(true);
      leaves.push(t);
    }
    return t;
  }
  if (spec && typeof spec === 'object' && 'transform' in spec) {
    const tr = new (D as any)[spec.transform](...spec.args);
    return spec.inv ? tr.inv : tr;
  }
  if (spec && typeof spec === 'object' && 'dist' in spec) {
    const args = spec.args.map((a: any) => build(a, leaves));
    const kwargs: Record<string, any> = {};
    for (const k of Object.keys(spec.kwargs)) kwargs[k] = build(spec.kwargs[k], leaves);
    const Cls = (D as any)[spec.dist];
    return Object.keys(kwargs).length ? new Cls(...args, kwargs) : new Cls(...args);
  }
  return spec;
}

const decode = (x: number | string | null): number => (x === null ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x));

function expectClose(got: torch.Tensor, want: Enc, what: string, rtol = 1e-6, atol = 1e-9): void {
  if (want === null || typeof want === 'string') throw new Error(`${what}: no fixture tensor`);
  expect({ what, shape: got.shape }).toEqual({ what, shape: want.shape });
  const g = Array.from(got.detach().to(torch.float64).contiguous().to_typed_array() as Float64Array);
  const w = want.data.map(decode);
  g.forEach((v, i) => {
    const ok = (Number.isNaN(v) && Number.isNaN(w[i])) || v === w[i] || Math.abs(v - w[i]) <= atol + rtol * Math.abs(w[i]);
    if (!ok) throw new Error(`${what}[${i}]: got ${v}, PyTorch gave ${w[i]}`);
  });
}

/** The property or method result, or 'NotImplementedError' as the fixture records it. */
function attempt(fn: () => torch.Tensor): torch.Tensor | string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof D.NotImplementedError) return 'NotImplementedError';
    throw e;
  }
}

const weights = (x: torch.Tensor) => torch.linspace(0.5, 1.5, x.numel(), { dtype: x.dtype }).reshape(x.shape);
const seededExact = libtorchMinor === '1.13';

// The fixture's cases were made under torch.set_default_dtype(torch.float64) (numbers become float64).
function float64Default(): void {
  let prev: torch.dtype;
  beforeAll(() => {
    prev = torch.get_default_dtype();
    torch.set_default_dtype(torch.float64);
  });
  afterAll(() => torch.set_default_dtype(prev));
}

describe('distributions: values against PyTorch 1.13', () => {
  float64Default();
  for (const c of fx.cases) {
    test(c.name, () => {
      const d = build(c.spec);
      expect(d).toBeInstanceOf(D.Distribution);
      expect(d.batch_shape).toEqual(c.batch_shape);
      expect(d.event_shape).toEqual(c.event_shape);
      expect(d.has_rsample).toBe(c.has_rsample);
      expect(d.has_enumerate_support).toBe(c.has_enumerate_support);
      const v = torch.tensor(c.value.data.map(decode), { dtype: torch.float64 }).reshape(c.value.shape);
      expectClose(d.log_prob(v), c.log_prob, 'log_prob');
      for (const attr of ['mean', 'variance', 'stddev', 'mode']) {
        const got = attempt(() => d[attr]);
        if (typeof c[attr] === 'string') expect(got).toBe(c[attr]);
        else expectClose(got as torch.Tensor, c[attr], attr);
      }
      const ent = attempt(() => d.entropy());
      if (typeof c.entropy === 'string') expect(ent).toBe(c.entropy);
      else expectClose(ent as torch.Tensor, c.entropy, 'entropy');
      const cdf = attempt(() => d.cdf(v));
      if (typeof c.cdf === 'string') expect(cdf).toBe(c.cdf);
      else expectClose(cdf as torch.Tensor, c.cdf, 'cdf');
      if (c.icdf_value) {
        const iv = torch.tensor(c.icdf_value.data, { dtype: torch.float64 }).reshape(c.icdf_value.shape);
        const icdf = attempt(() => d.icdf(iv));
        if (typeof c.icdf === 'string') expect(icdf).toBe(c.icdf);
        else expectClose(icdf as torch.Tensor, c.icdf, 'icdf');
      }
      if (c.enumerate_support !== undefined) {
        const es = attempt(() => d.enumerate_support());
        if (typeof c.enumerate_support === 'string') expect(es).toBe(c.enumerate_support);
        else expectClose(es as torch.Tensor, c.enumerate_support, 'enumerate_support', 0, 0);
      }
      // shapes of sample(), and values in the support
      const s = d.sample([2, 3]);
      expect(s.shape).toEqual(c.sample_shape);
      expect(d.support.check(s).all().item()).toBe(true);
      // expand() keeps the values and adds batch dims
      const e = d.expand([5, ...c.batch_shape]);
      expect(e.batch_shape).toEqual(c.expand_batch_shape);
      const ev = v.reshape([-1, ...c.batch_shape, ...c.event_shape]).idx(0);
      expectClose(e.log_prob(ev), c.expand_log_prob, 'expand log_prob');
      // the repr after these calls (lazily computed probs/logits show once computed, as in Python)
      expect(d.repr()).toBe(c.repr);
    });
  }
});

(seededExact ? describe : describe.skip)('distributions: seeded samples and rsample gradients equal PyTorch 1.13 (same libtorch samplers)', () => {
  float64Default();
  for (const c of fx.cases) {
    test(c.name, () => {
      const d = build(c.spec);
      torch.manual_seed(123);
      expectClose(d.sample([4]), c.sample, 'sample', 1e-9, 1e-12);
      if (!c.has_rsample) return;
      const leaves: torch.Tensor[] = [];
      // only the constructor's own tensor arguments become leaves, as in the Python script
      const spec = { ...c.spec, args: c.spec.args, kwargs: c.spec.kwargs };
      const args = spec.args.map((a: any) => (a && a.tensor ? build(a, leaves) : build(a)));
      const kwargs: Record<string, any> = {};
      const kwLeaves: Record<string, torch.Tensor> = {};
      for (const k of Object.keys(spec.kwargs)) {
        const a = spec.kwargs[k];
        kwargs[k] = a && a.tensor ? build(a, leaves) : build(a);
        if (a && a.tensor) kwLeaves[k] = kwargs[k];
      }
      const Cls = (D as any)[spec.dist];
      const d3 = Object.keys(kwargs).length ? new Cls(...args, kwargs) : new Cls(...args);
      torch.manual_seed(7);
      const x = d3.rsample([3]);
      expectClose(x, c.rsample, 'rsample', 1e-9, 1e-12);
      if (!x.requires_grad) return;
      x.mul(weights(x)).sum().backward();
      args.forEach((a: any, i: number) => {
        if (a instanceof torch.Tensor) expectClose(a.grad!, c.rsample_grads.args[i], `grad of argument ${i}`, 1e-7, 1e-10);
      });
      for (const k of Object.keys(kwLeaves)) expectClose(kwLeaves[k].grad!, c.rsample_grads.kwargs[k], `grad of ${k}`, 1e-7, 1e-10);
    });
  }
});

describe('kl_divergence against PyTorch 1.13', () => {
  float64Default();
  for (const k of fx.kl) {
    test(`${k.p.dist} || ${k.q.dist}`, () => {
      expectClose(D.kl_divergence(build(k.p), build(k.q)), k.kl, 'kl');
    });
  }
  test('an unregistered pair raises NotImplementedError with PyTorch\'s text', () => {
    const [type, msg] = fx.errors.kl_missing;
    expect(type).toBe('NotImplementedError');
    expect(() => D.kl_divergence(new D.Categorical(torch.ones(2)), new D.Normal(0.0, 1.0))).toThrow(msg);
  });
  test('register_kl: the most specific registration wins', () => {
    class MyNormal extends D.Normal {}
    const p = new MyNormal(0.0, 1.0);
    const q = new D.Normal(1.0, 2.0);
    const base = D.kl_divergence(new D.Normal(0.0, 1.0), q);
    expect(D.kl_divergence(p, q).item()).toBeCloseTo(base.item() as number, 12);
    D.register_kl(MyNormal, D.Normal)(() => torch.tensor(42.0));
    expect(D.kl_divergence(p, q).item()).toBe(42);
    expect(D.kl_divergence(new D.Normal(0.0, 1.0), q).item()).toBeCloseTo(base.item() as number, 12);
  });
});

describe('constraints against PyTorch 1.13', () => {
  const vals = torch.tensor(fx.constraint_values.data.map(decode), { dtype: torch.float64 }).reshape(fx.constraint_values.shape);
  const mats = torch.tensor(fx.constraint_matrices.data.map(decode), { dtype: torch.float64 }).reshape(fx.constraint_matrices.shape);
  for (const c of fx.constraints) {
    test(c.name, () => {
      let con: any;
      if (c.name === 'independent(real, 1)') con = D.constraints.independent(D.constraints.real, 1);
      else con = c.args ? (D.constraints as any)[c.name](...c.args) : (D.constraints as any)[c.name];
      expect(con.repr()).toBe(c.repr);
      expect(con.event_dim).toBe(c.event_dim);
      expect(con.is_discrete).toBe(c.is_discrete);
      const got = con.check(c.matrix ? mats : vals);
      expect(got.shape).toEqual(c.check.shape);
      expect(Array.from(got.to_typed_array() as Uint8Array, Boolean)).toEqual(c.check.data);
    });
  }
  test('dependent constraints cannot be checked', () => {
    expect(D.constraints.is_dependent(D.constraints.dependent)).toBe(true);
    expect(() => D.constraints.dependent.check(torch.ones(1))).toThrow('Cannot determine validity of dependent constraint');
  });
});

describe('validation errors are PyTorch\'s ValueError texts (RangeError)', () => {
  const f32 = (x: number[]) => torch.tensor(x);
  const cases: Record<string, () => unknown> = {
    normal_scale: () => new D.Normal(f32([0.0, 1.0]), f32([1.0, -1.0])),
    normal_scalar: () => new D.Normal(0.0, -1.0),
    bernoulli_both: () => new D.Bernoulli({ probs: f32([0.5]), logits: f32([0.0]) }),
    bernoulli_neither: () => new D.Bernoulli(),
    bernoulli_probs: () => new D.Bernoulli(f32([0.5, 1.5])),
    categorical_dim: () => new D.Categorical(torch.tensor(0.5)),
    log_prob_support: () => new D.Exponential(f32([1.0, 2.0])).log_prob(f32([-1.0, 1.0])),
    log_prob_shape: () => new D.Normal(torch.zeros(3), torch.ones(3)).log_prob(torch.zeros(2)),
    log_prob_event: () => new D.Dirichlet(torch.ones(3)).log_prob(torch.ones(2).div(2)),
    categorical_support: () => new D.Categorical(f32([0.5, 0.5])).log_prob(torch.tensor(2n)),
    uniform_order: () => new D.Uniform(f32([1.0]), f32([0.0])),
    mvn_two: () => new D.MultivariateNormal(torch.zeros(2), { covariance_matrix: torch.eye(2), scale_tril: torch.eye(2) }),
    mvn_posdef: () => new D.MultivariateNormal(torch.zeros(2), { covariance_matrix: torch.tensor([[1.0, 2.0], [2.0, 1.0]]) }),
    independent_ndims: () => new D.Independent(new D.Normal(torch.zeros(2), torch.ones(2)), 2),
    dirichlet_dim: () => new D.Dirichlet(torch.tensor(1.0)),
    geometric_zero: () => new D.Geometric(f32([0.0, 0.5])),
    beta_param: () => new D.Beta(f32([1.0, -1.0]), f32([1.0, 1.0])),
  };
  for (const name of Object.keys(cases)) {
    test(name, () => {
      const [type, msg] = fx.errors[name];
      expect(type).toBe('ValueError');
      let err: unknown = null;
      try {
        cases[name]();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toBe(msg);
    });
  }
  test('validate_args: false skips the checks', () => {
    const n = new D.Normal(0.0, -1.0, { validate_args: false });
    expect(n.log_prob(torch.tensor(0.0)).isnan().item()).toBe(true);
  });
});

describe('reprs', () => {
  test('as PyTorch prints them', () => {
    const r = fx.reprs;
    expect(new D.Normal(torch.zeros(2), torch.ones(2)).repr()).toBe(r.normal_vec);
    expect(new D.Normal(0.0, 1.0).repr()).toBe(r.normal_scalar);
    expect(String(new D.Bernoulli({ logits: torch.tensor([0.0, 1.0]) }))).toBe(r.bernoulli);
    expect(new D.Categorical(torch.tensor([0.5, 0.5])).repr()).toBe(r.categorical);
    expect(new D.Independent(new D.Normal(torch.zeros(2), torch.ones(2)), 1).repr()).toBe(r.independent);
    expect(new D.OneHotCategorical(torch.tensor([0.5, 0.5])).repr()).toBe(r.onehot);
    expect(new D.Uniform(0.0, 1.0).support.repr()).toBe(r.uniform_support);
    expect(new D.MixtureSameFamily(new D.Categorical(torch.ones(2)), new D.Normal(torch.zeros(2), torch.ones(2))).repr()).toBe(r.mixture);
  });
});
