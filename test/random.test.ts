// RNG: the same numbers as Python PyTorch for the same seeds (fixtures:
// test/fixtures/make_autograd.py → random.json), torch.Generator objects, RNG state.
import * as torch from '../lib';
import { Tensor, TorchError } from '../lib';
import { libtorchError, missingErrorFixture } from './helpers';

const R = require('./fixtures/random.json');
missingErrorFixture('random err_bad_state');
const flat = (t: Tensor) => t.reshape(-1).tolist() as number[];
function close(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i]))));
}

describe('default generator', () => {
  test('manual_seed then randn/rand gives Python\'s numbers', () => {
    expect(torch.manual_seed(0)).toBe(torch.default_generator);
    close(flat(torch.randn(3, 4)), R.seed0_randn_3x4);
    close(flat(torch.rand(5)), R.seed0_then_rand_5);
  });
  test('randint, randperm, normal, bernoulli, multinomial', () => {
    torch.manual_seed(42);
    expect(flat(torch.randint(0, 10, [8]))).toEqual(R.seed42_randint);
    expect(flat(torch.randperm(8))).toEqual(R.seed42_randperm);
    close(flat(torch.normal(2.0, 3.0, [4])), R.seed42_normal);
    expect(flat(torch.bernoulli(torch.full([6], 0.5)))).toEqual(R.seed42_bernoulli);
    expect(flat(torch.multinomial(torch.tensor([0.1, 0.2, 0.3, 0.4]), 6, { replacement: true }))).toEqual(R.seed42_multinomial);
  });
  test('initial_seed, get_rng_state / set_rng_state replays the stream', () => {
    torch.manual_seed(7);
    expect(torch.initial_seed()).toBe(R.seed7_initial_seed);
    const st = torch.get_rng_state();
    expect(st.dtype).toBe(torch.uint8);
    expect(st.numel()).toBe(R.state_len);
    const a = flat(torch.randn(4));
    close(a, R.state_after_seed7_randn);
    torch.set_rng_state(st);
    expect(flat(torch.randn(4))).toEqual(a);
    // libtorch's text: 1.13's on 1.13, that release's elsewhere (helpers.libtorchError)
    const bad_state = libtorchError('random.json', R, 'err_bad_state');
    expect(() => torch.set_rng_state(torch.zeros(10, { dtype: torch.uint8 }))).toThrow(bad_state === null ? TorchError : new TorchError(bad_state));
    expect(() => torch.set_rng_state(torch.zeros(10) as any)).toThrow(TypeError);
  });
  test('negative and 64-bit seeds wrap as in PyTorch', () => {
    torch.manual_seed(-1);
    expect(String(torch.initial_seed())).toBe(R.seed_neg1_initial_seed);
    close(flat(torch.randn(3)), R.seed_neg1_randn);
    torch.manual_seed(2n ** 63n + 5n);
    close(flat(torch.randn(3)), R.seed_big_randn);
    expect(() => torch.manual_seed(2n ** 64n)).toThrow(RangeError);
    expect(() => torch.manual_seed('1' as any)).toThrow(TypeError);
  });
  test('seed() reseeds non-deterministically and returns the seed', () => {
    const s = torch.seed();
    expect(['number', 'bigint']).toContain(typeof s);
    expect(torch.initial_seed()).toBe(s);
  });
});

describe('torch.Generator', () => {
  test('a seeded generator gives Python\'s numbers and leaves the default stream alone', () => {
    torch.manual_seed(0);
    const g = new torch.Generator().manual_seed(123);
    expect(g).toBeInstanceOf(torch.Generator);
    close(flat(torch.randn([2, 3], { generator: g })), R.gen123_randn);
    close(flat(torch.rand(3, { generator: g })), R.gen123_rand);
    close(flat(torch.randn(3, 4)), R.seed0_randn_3x4);
    expect(g.initial_seed()).toBe(123);
    expect(g.device.type).toBe('cpu');
  });
  test('default seed, get_state / set_state, seed()', () => {
    const g = new torch.Generator();
    expect(g.initial_seed()).toBe(R.gen_default_initial_seed);
    g.manual_seed(5);
    const st = g.get_state();
    const a = flat(torch.rand(4, { generator: g }));
    expect(g.set_state(st)).toBe(g);
    expect(flat(torch.rand(4, { generator: g }))).toEqual(a);
    const s = g.seed();
    expect(g.initial_seed()).toBe(s);
  });
  test('bad arguments', () => {
    expect(() => new torch.Generator('cuda:7')).toThrow(TorchError);
    expect(() => torch.randn(2, { generator: 5 as any })).toThrow();
    expect(() => new torch.Generator().manual_seed(1.5)).toThrow(TypeError);
  });
});
