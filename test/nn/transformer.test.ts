// nn.Transformer and its encoder/decoder layers and stacks against PyTorch 1.13
// (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { ModuleCase, build, expectInitialState, replay, manual_seed, same } from './seq_helpers';

const { nn } = torch;
const fx = loadFixture('nn_seq_attention.json');
const repr = loadFixture('nn_seq_repr.json');

describe('Transformer layers match PyTorch (init, forward, backward)', () => {
  for (const c of (fx.modules as ModuleCase[]).filter((c) => c.ctor.startsWith('Transformer'))) {
    test(`${c.name}: default initialization after manual_seed`, () => {
      expectInitialState(build(c), c.state);
    });
    test(`${c.name}: outputs and gradients (${c.train ? 'train' : 'eval'})`, () => {
      replay(c, build(c));
    });
  }
});

describe('TransformerEncoder / TransformerDecoder stacks clone their layer', () => {
  for (const c of fx.stacks) {
    test(`${c.name}: clones share the layer's initial weights; outputs and gradients`, () => {
      manual_seed(c.seed);
      let m: torch.nn.Module;
      if (c.decoder) {
        const layer = new nn.TransformerDecoderLayer(8, 2, { dim_feedforward: 16, dropout: 0.0 });
        m = new nn.TransformerDecoder(layer, { norm: new nn.LayerNorm(8), num_layers: 2 });
      } else {
        const layer = new nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 16, dropout: 0.0 });
        m = new nn.TransformerEncoder(layer, { num_layers: 2 });
      }
      expectInitialState(m, c.state);
      replay({ ...c, ctor: '', args: [], kwargs: {}, train: true } as ModuleCase, m);
    });
  }
  test('the clones are independent copies', () => {
    const layer = new nn.TransformerEncoderLayer(4, 2, { dim_feedforward: 8 });
    const enc = new nn.TransformerEncoder(layer, 2);
    const l0 = enc.layers.get(0) as torch.nn.TransformerEncoderLayer;
    const l1 = enc.layers.get(1) as torch.nn.TransformerEncoderLayer;
    expect(l0).not.toBe(layer);
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight);
    expect(same(l0.linear1.weight, l1.linear1.weight)).toBe(true);
    torch.no_grad(() => l0.linear1.weight.add_(1));
    expect(same(l0.linear1.weight, l1.linear1.weight)).toBe(false);
    expect(same(layer.linear1.weight, l1.linear1.weight)).toBe(true);
    expect(l0.activation).toBe(layer.activation);
    expect(Object.keys(enc.state_dict())).toEqual(Object.keys(layer.state_dict()).flatMap((k) => [`layers.0.${k}`]).concat(Object.keys(layer.state_dict()).map((k) => `layers.1.${k}`)));
  });
});

describe('Transformer API', () => {
  test('printout and state_dict keys are PyTorch\'s', () => {
    manual_seed(0);
    const layer = new nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 16 });
    expect(layer.toString()).toBe(repr.TransformerEncoderLayer.repr);
    expect(Object.keys(layer.state_dict())).toEqual(repr.TransformerEncoderLayer.keys);
    const t = new nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 16 });
    expect(t.toString()).toBe(repr.Transformer.repr);
    expect(Object.keys(t.state_dict())).toEqual(repr.Transformer.keys);
  });

  test('generate_square_subsequent_mask', () => {
    const m = nn.Transformer.generate_square_subsequent_mask(3);
    expect(m.tolist()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    expect(m.dtype).toBe(torch.float32);
  });

  test('the tutorial model, with a source and a target as nn.Transformer takes', () => {
    const model = new nn.Transformer({ d_model: 32, nhead: 4, num_encoder_layers: 2, num_decoder_layers: 2, dim_feedforward: 64 });
    const out = model(torch.rand(10, 3, 32), torch.rand(7, 3, 32));
    expect(out.shape).toEqual([7, 3, 32]);
  });

  test('eval() makes dropout the identity', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 16, dropout: 0.5 });
    const x = torch.randn(3, 2, 8);
    layer.eval();
    expect(same(layer(x), layer(x))).toBe(true);
    layer.train();
    expect(same(layer(x), layer(x))).toBe(false);
  });

  test('activation: a function, or relu/gelu by name', () => {
    const f = (x: torch.Tensor) => x.tanh();
    const l = new nn.TransformerEncoderLayer(4, 2, { dim_feedforward: 8, activation: f });
    expect(l.activation).toBe(f);
    expect(l.activation_relu_or_gelu).toBe(0);
    expect(new nn.TransformerEncoderLayer(4, 2, { activation: 'gelu' }).activation_relu_or_gelu).toBe(2);
    expect(() => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as any })).toThrow('activation should be relu/gelu, not tanh');
  });

  test('bad shapes and arguments', () => {
    const t = new nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 8 });
    expect(() => t(torch.rand(5, 2, 8), torch.rand(4, 3, 8))).toThrow('the batch number of src and tgt must be equal');
    expect(() => t(torch.rand(5, 2, 6), torch.rand(4, 2, 6))).toThrow('the feature number of src and tgt must be equal to d_model');
    expect(() => t(torch.rand(5, 2, 8))).toThrow(/missing 1 required argument: 'tgt'/);
    const enc = t.encoder as torch.nn.TransformerEncoder;
    expect(() => enc(torch.rand(5, 2, 8), { src_key_padding_mask: torch.zeros([2, 5], { dtype: torch.int64 }) })).toThrow('only bool and floating types of key_padding_mask are supported');
    expect(() => new nn.TransformerEncoderLayer(8, 3)).toThrow('embed_dim must be divisible by num_heads');
    expect(() => new nn.Transformer({ d_modle: 8 } as any)).toThrow(/unexpected keyword argument 'd_modle'/);
  });
});

