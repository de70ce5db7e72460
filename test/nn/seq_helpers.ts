// Helpers for the nn sequence/attention/sparse/loss tests: decode the fixtures written by
// test/fixtures/make_nn_seq.py and replay a module case (init, forward, backward) against them.
import * as torch from '../../lib';
import { EncodedTensor, fromFixture as fromFixtureBase, expectTensorClose as expectCloseBase, SEEDED_INIT_ATOL } from '../helpers';

const { nn } = torch;

const SPECIAL: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN };
/** Fixture floats that JSON cannot hold (inf, -inf, nan) are strings: turn them back into numbers. */
function fixNonFinite(e: EncodedTensor): EncodedTensor {
  if (!e.data || !e.data.some((x) => typeof x === 'string')) return e;
  return { ...e, data: e.data.map((x: any) => (typeof x === 'string' ? SPECIAL[x] : x)) };
}
/** A tensor from an encoded fixture tensor (non-finite values included). */
export function fromFixture(e: EncodedTensor): torch.Tensor {
  return fromFixtureBase(fixNonFinite(e));
}
/** expectTensorClose of test/helpers, for fixtures holding non-finite values too. */
export function expectTensorClose(t: torch.Tensor, e: EncodedTensor, rtol = 1e-5, atol = 1e-6): void {
  const f = fixNonFinite(e);
  if (f === e) return expectCloseBase(t, e, rtol, atol);
  const got = Array.from(t.to_typed_array() as Float32Array, Number);
  expect(t.shape).toEqual(e.shape);
  f.data!.forEach((w: any, i: number) => {
    const g = got[i];
    const ok = Number.isFinite(w) ? Math.abs(g - w) <= atol + rtol * Math.abs(w) : Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w));
    if (!ok) throw new Error(`element ${i}: got ${g}, PyTorch gave ${w}`);
  });
}

/** torch.manual_seed. */
export function manual_seed(seed: number): void {
  torch.manual_seed(seed);
}

export function decode(v: any): any {
  if (v === null || v === undefined) return v;
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === 'object') {
    if ('$t' in v) return fromFixture(v.$t);
    if ('$packed' in v) {
      const p = v.$packed;
      return new nn.utils.rnn.PackedSequence(
        fromFixture(p.data), fromFixture(p.batch_sizes),
        p.sorted_indices ? fromFixture(p.sorted_indices) : null, p.unsorted_indices ? fromFixture(p.unsorted_indices) : null,
      );
    }
    if ('dtype' in v && 'shape' in v) return fromFixture(v);
    const o: Record<string, any> = {};
    for (const k of Object.keys(v)) o[k] = decode(v[k]);
    return o;
  }
  return v;
}

/** Decodes forward inputs; {"$same": i} is the very object of input i (self-attention). */
export function decodeInputs(list: any[]): any[] {
  const out: any[] = [];
  for (const v of list) out.push(v !== null && typeof v === 'object' && '$same' in v ? out[v.$same] : decode(v));
  return out;
}

/** The tensors of an output structure in order (PackedSequence: its data; null skipped). */
export function flatOutputs(o: any): torch.Tensor[] {
  if (o === null || o === undefined) return [];
  if (o instanceof nn.utils.rnn.PackedSequence) return [o.data];
  if (o instanceof torch.Tensor) return [o];
  if (Array.isArray(o)) return o.flatMap(flatOutputs);
  if (typeof o === 'object' && 'output' in o && 'loss' in o) return [o.output, o.loss];
  throw new Error(`unexpected output ${String(o)}`);
}

/** The tensor leaves of decoded inputs, in the fixture's order. */
export function leaves(v: any): torch.Tensor[] {
  if (v instanceof nn.utils.rnn.PackedSequence) return [v.data];
  if (v instanceof torch.Tensor) return [v];
  if (Array.isArray(v)) return v.flatMap(leaves);
  return [];
}

export interface ModuleCase {
  name: string;
  ctor: string;
  args: any[];
  kwargs: Record<string, any>;
  seed: number;
  train: boolean;
  state: Record<string, EncodedTensor>;
  inputs: any[];
  call_kwargs: Record<string, any>;
  outputs: EncodedTensor[];
  grad_outputs?: (EncodedTensor | null)[];
  input_grads?: (EncodedTensor | null)[];
  param_grads?: Record<string, EncodedTensor | null>;
  [k: string]: any;
}

/** Builds the case's module right after manual_seed(seed), as the fixture script did. */
export function build(c: ModuleCase): torch.nn.Module {
  manual_seed(c.seed);
  const Ctor = (nn as any)[c.ctor];
  const kw = decode(c.kwargs);
  return Object.keys(kw).length ? new Ctor(...c.args, kw) : new Ctor(...c.args);
}

/** The initial state equals PyTorch's (same keys in the same order, the same values up to the SIMD kernel: SEEDED_INIT_ATOL). */
export function expectInitialState(m: torch.nn.Module, state: Record<string, EncodedTensor>, atol = SEEDED_INIT_ATOL): void {
  const sd = m.state_dict();
  expect(Object.keys(sd)).toEqual(Object.keys(state));
  for (const k of Object.keys(state)) {
    try {
      expectTensorClose(sd[k], state[k], 1e-5, atol);
    } catch (e) {
      throw new Error(`${k}: ${(e as Error).message}`);
    }
  }
}

/**
 * Runs forward and backward as the fixture did (weights loaded from the fixture's state, so this
 * checks the numbers independently of the initialization) and compares outputs and every gradient.
 */
export function replay(c: ModuleCase, m: torch.nn.Module, tol = { rtol: 1e-4, atol: 1e-5 }, call?: (m: any, inputs: any[], kw: any) => any): any {
  m.load_state_dict(decode(c.state));
  m.train(c.train);
  const inputs = decodeInputs(c.inputs);
  const ls = leaves(inputs);
  ls.forEach((x, i) => {
    if (c.input_grads && c.input_grads[i]) x.requires_grad_(true);
  });
  const kw = decode(c.call_kwargs);
  manual_seed(c.seed + 2000);
  const out = call ? call(m, inputs, kw) : Object.keys(kw).length ? m(...inputs, kw) : m(...inputs);
  const outs = flatOutputs(out);
  expect(outs.length).toBe(c.outputs.length);
  outs.forEach((o, i) => {
    try {
      expectTensorClose(o, c.outputs[i], tol.rtol, tol.atol);
    } catch (e) {
      throw new Error(`output ${i}: ${(e as Error).message}`);
    }
  });
  if (c.grad_outputs) {
    const pairs: [torch.Tensor, torch.Tensor][] = [];
    outs.forEach((o, i) => {
      const g = c.grad_outputs![i];
      if (g) pairs.push([o, fromFixture(g)]);
    });
    torch.autograd.backward(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
    ls.forEach((x, i) => {
      const want = c.input_grads![i];
      if (!want) return;
      try {
        expectTensorClose(x.grad!, want, tol.rtol, tol.atol);
      } catch (e) {
        throw new Error(`grad of input ${i}: ${(e as Error).message}`);
      }
    });
    const named = new Map(m.named_parameters());
    expect([...named.keys()]).toEqual(Object.keys(c.param_grads!));
    for (const [k, want] of Object.entries(c.param_grads!)) {
      const g = named.get(k)!.grad;
      if (want === null) {
        expect(g).toBeNull();
        continue;
      }
      try {
        expectTensorClose(g!, want, tol.rtol, tol.atol);
      } catch (e) {
        throw new Error(`grad of ${k}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}

/** torch.equal: same shape and the same elements. */
export function same(a: torch.Tensor, b: torch.Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  return a.eq(b).all().item() as boolean;
}
