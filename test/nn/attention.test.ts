// nn.MultiheadAttention and F.multi_head_attention_forward against PyTorch 1.13
// (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { ModuleCase, build, expectInitialState, replay, manual_seed, same } from './seq_helpers';

const { nn } = torch;
const F = nn.functional;
const fx = loadFixture('nn_seq_attention.json');
const repr = loadFixture('nn_seq_repr.json');

describe('MultiheadAttention matches PyTorch (init, forward, backward)', () => {
  for (const c of (fx.modules as ModuleCase[]).filter((c) => c.ctor === 'MultiheadAttention')) {
    test(`${c.name}: default initialization after manual_seed`, () => {
      expectInitialState(build(c), c.state);
    });
    test(`${c.name}: outputs and gradients`, () => {
      replay(c, build(c));
    });
  }
});

describe('MultiheadAttention API', () => {
  test('state_dict keys and printout', () => {
    const m = new nn.MultiheadAttention(8, 2, { kdim: 4, vdim: 4 });
    expect(Object.keys(m.state_dict())).toEqual(repr.MultiheadAttention.keys);
    expect(m.toString()).toBe(repr.MultiheadAttention.repr);
    const b = new nn.MultiheadAttention(4, 2, 0.0, true, true);
    expect(Object.keys(b.state_dict())).toEqual(['in_proj_weight', 'in_proj_bias', 'bias_k', 'bias_v', 'out_proj.weight', 'out_proj.bias']);
    expect(b.bias_k!.shape).toEqual([1, 1, 4]);
  });

  test('dropout on attention weights follows train/eval', () => {
    manual_seed(0);
    const m = new nn.MultiheadAttention(4, 2, { dropout: 0.5 });
    const x = torch.randn(3, 2, 4);
    m.eval();
    const [a] = m(x, x, x);
    const [b] = m(x, x, x);
    expect(same(a, b)).toBe(true);
    m.train();
    const [c] = m(x, x, x);
    expect(same(a, c)).toBe(false);
  });

  test('F.multi_head_attention_forward is the function the module calls', () => {
    manual_seed(1);
    const m = new nn.MultiheadAttention(4, 2);
    const q = torch.randn(3, 2, 4);
    const [a, wa] = m(q, q, q, { need_weights: true });
    const [b, wb] = F.multi_head_attention_forward(q, q, q, 4, 2, m.in_proj_weight, m.in_proj_bias, null, null, false, 0.0,
      m.out_proj.weight, m.out_proj.bias, { training: false });
    expect(same(a, b)).toBe(true);
    expect(same(wa!, wb!)).toBe(true);
  });

  test('bad shapes and arguments', () => {
    expect(() => new nn.MultiheadAttention(6, 4)).toThrow('embed_dim must be divisible by num_heads');
    expect(() => new nn.MultiheadAttention(6, 2, { kdims: 3 } as any)).toThrow(/unexpected keyword argument 'kdims'/);
    const m = new nn.MultiheadAttention(4, 2);
    const x = torch.randn(3, 2, 4);
    expect(() => m(x, torch.randn(3, 4), x)).toThrow(torch.TorchError);
    expect(() => m(x, torch.randn(3, 4), x)).toThrow('For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 3-D tensors respectively');
    expect(() => m(torch.randn(3, 2, 5), x, x)).toThrow('was expecting embedding dimension of 4, but got 5');
    expect(() => m(x, x, x, { attn_mask: torch.zeros(2, 3) })).toThrow('The shape of the 2D attn_mask is torch.Size([2, 3]), but should be (3, 3).');
    expect(() => m(x, x, x, { key_padding_mask: torch.zeros([2, 3], { dtype: torch.int64 }) })).toThrow('only bool and floating types of key_padding_mask are supported');
    expect(() => m(x, x, x, { key_padding_mask: torch.zeros([2, 4], { dtype: torch.bool }) })).toThrow('expecting key_padding_mask shape of (2, 3), but got torch.Size([2, 4])');
    expect(() => m(x, x)).toThrow(/missing 1 required argument: 'value'/);
  });

  test('scaled_dot_product_attention needs libtorch 2.0+', () => {
    const q = torch.randn(2, 3, 4);
    if (/^1\./.test(require('../../lib/binding').native._build_info().torch_version)) {
      expect(() => F.scaled_dot_product_attention(q, q, q)).toThrow(/needs libtorch 2.0 or newer/);
    } else {
      const y = F.scaled_dot_product_attention(q, q, q, { is_causal: true });
      expect(y.shape).toEqual([2, 3, 4]);
    }
  });
});
