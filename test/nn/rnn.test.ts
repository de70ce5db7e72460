// nn.RNN/LSTM/GRU and their cells, and nn.utils.rnn packing, against PyTorch 1.13
// (fixtures: test/fixtures/make_nn_seq.py).
import * as torch from '../../lib';
import { loadFixture } from '../helpers';
import { ModuleCase, build, expectInitialState, replay, manual_seed, same , fromFixture, expectTensorClose } from './seq_helpers';

const { nn } = torch;
const { PackedSequence, pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence, unpack_sequence, unpad_sequence } = nn.utils.rnn;
const fx = loadFixture('nn_seq_rnn.json');
const repr = loadFixture('nn_seq_repr.json');

describe('recurrent modules match PyTorch (init, forward, backward)', () => {
  for (const c of fx.modules as ModuleCase[]) {
    test(`${c.name}: default initialization after manual_seed`, () => {
      expectInitialState(build(c), c.state);
    });
    test(`${c.name}: outputs and gradients (${c.train ? 'train' : 'eval'})`, () => {
      replay(c, build(c));
    });
  }
});

describe('recurrent module API', () => {
  test('state_dict keys and printout are PyTorch\'s', () => {
    manual_seed(0);
    const cases: [string, torch.nn.Module][] = [
      ['LSTM', new nn.LSTM(10, 20, 2, { batch_first: true, dropout: 0.1, bidirectional: true })],
      ['LSTMproj', new nn.LSTM(4, 6, { proj_size: 2 })],
      ['GRU', new nn.GRU(10, 20, { num_layers: 2 })],
      ['RNN', new nn.RNN(3, 4, { nonlinearity: 'relu', bias: false })],
      ['RNNCell', new nn.RNNCell(3, 4, { nonlinearity: 'relu' })],
      ['LSTMCell', new nn.LSTMCell(3, 4)],
      ['GRUCell', new nn.GRUCell(3, 4, false)],
    ];
    for (const [k, m] of cases) {
      expect(Object.keys(m.state_dict())).toEqual(repr[k].keys);
      expect(m.toString()).toBe(repr[k].repr);
    }
  });

  test('positional and options arguments are the same', () => {
    const a = new nn.LSTM(3, 4, 2, true, true, 0.0, true, 2);
    const b = new nn.LSTM({ input_size: 3, hidden_size: 4, num_layers: 2, batch_first: true, bidirectional: true, proj_size: 2 });
    expect(a.toString()).toBe(b.toString());
    expect(a.proj_size).toBe(2);
    expect(a.all_weights.length).toBe(4);
    expect(a.all_weights[0].map((p) => p.shape)).toEqual([[16, 3], [16, 2], [16], [16], [2, 4]]);
  });

  test('bad constructor arguments', () => {
    expect(() => new nn.GRU(3, 4, { proj_size: 2 } as any)).toThrow(/proj_size argument is only supported for LSTM/);
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' } as any)).toThrow(/Unknown nonlinearity 'sigmoid'/);
    expect(() => new nn.LSTM(3, 4, { proj_size: 4 })).toThrow(RangeError);
    expect(() => new nn.LSTM(3, 4, { dropout: 1.5 })).toThrow(/dropout should be a number in range \[0, 1\]/);
    expect(() => new nn.LSTM(3, 4, { hiden_size: 4 } as any)).toThrow(/unexpected keyword argument 'hiden_size'/);
    expect(() => new nn.LSTM('3' as any, 4)).toThrow(TypeError);
    expect(() => new (nn.LSTM as any)(3)).toThrow(/missing 1 required argument: 'hidden_size'/);
  });

  test('bad input shapes are TorchErrors with PyTorch\'s messages', () => {
    const lstm = new nn.LSTM(3, 4);
    expect(() => lstm(torch.randn(5, 2, 7))).toThrow(torch.TorchError);
    expect(() => lstm(torch.randn(5, 2, 7))).toThrow('input.size(-1) must be equal to input_size. Expected 3, got 7');
    expect(() => lstm(torch.randn(5, 2, 3), [torch.randn(2, 2, 4), torch.randn(1, 2, 4)])).toThrow('Expected hidden[0] size (1, 2, 4), got [2, 2, 4]');
    expect(() => lstm(torch.randn(5, 2, 3), [torch.randn(1, 2, 4), torch.randn(1, 4)])).toThrow(/hx and cx should also be 3-D/);
    expect(() => lstm(torch.randn(2, 5, 2, 3))).toThrow('LSTM: Expected input to be 2-D or 3-D but received 4-D tensor');
    const gru = new nn.GRU(3, 4, 2);
    expect(() => gru(torch.randn(5, 2, 3), torch.randn(1, 2, 4))).toThrow('Expected hidden size (2, 2, 4), got [1, 2, 4]');
    expect(() => gru(torch.randn(5, 2, 3), torch.randn(2, 4))).toThrow('For batched 3-D input, hx should also be 3-D but got 2-D tensor');
    const cell = new nn.GRUCell(3, 4);
    expect(() => cell(torch.randn(2, 2, 3))).toThrow('GRUCell: Expected input to be 1-D or 2-D but received 3-D tensor');
    expect(() => cell(torch.randn(2, 5))).toThrow(torch.TorchError);
  });

  test('eval() makes inter-layer dropout the identity; train() draws it', () => {
    manual_seed(3);
    const m = new nn.LSTM(3, 4, 2, { dropout: 0.9 });
    const x = torch.randn(4, 2, 3);
    m.eval();
    const [a] = m(x);
    const [b] = m(x);
    expect(same(a, b)).toBe(true);
    m.train();
    const [c] = m(x);
    expect(same(a, c)).toBe(false);
  });

  test('the tutorial GRU', () => {
    class NeuralNetwork extends nn.Module {
      rnn: torch.nn.GRU;
      constructor() {
        super();
        this.rnn = new nn.GRU({ input_size: 10, hidden_size: 20, num_layers: 2 });
      }
      forward(x: torch.Tensor): torch.Tensor {
        const [y] = this.rnn(x);
        return y;
      }
    }
    const net = new NeuralNetwork();
    expect(net(torch.randn(5, 3, 10)).shape).toEqual([5, 3, 20]);
    expect(Object.keys(net.state_dict())).toEqual(repr.GRU.keys.map((k: string) => `rnn.${k}`));
  });
});

describe('nn.utils.rnn', () => {
  const p = fx.packing;
  const seqs = () => p.seqs.map(fromFixture) as torch.Tensor[];

  test('pad_sequence', () => {
    expectTensorClose(pad_sequence(seqs()), p.pad_sequence);
    expectTensorClose(pad_sequence(seqs(), { batch_first: true, padding_value: -1.0 }), p.pad_sequence_bf);
    expectTensorClose(pad_sequence(seqs(), true, -1.0), p.pad_sequence_bf);
  });

  test('pack_sequence sorted and unsorted', () => {
    const [a, b, c] = seqs();
    const u = pack_sequence([a, b, c], { enforce_sorted: false });
    for (const k of ['data', 'batch_sizes', 'sorted_indices', 'unsorted_indices'] as const) expectTensorClose(u[k]!, p.pack_sequence_unsorted[k]);
    const s = pack_sequence([a, c, b]);
    expectTensorClose(s.data, p.pack_sequence_sorted.data);
    expectTensorClose(s.batch_sizes, p.pack_sequence_sorted.batch_sizes);
    expect(s.sorted_indices).toBeNull();
    const [data, batch_sizes] = s;
    expect(data).toBe(s.data);
    expect(batch_sizes).toBe(s.batch_sizes);
  });

  test('pad_packed_sequence round trip with total_length', () => {
    const u = pack_sequence(seqs(), false);
    const [padded, lengths] = pad_packed_sequence(u, { batch_first: true, total_length: 6, padding_value: 9.0 });
    expectTensorClose(padded, p.pad_packed_bf_total6.padded);
    expectTensorClose(lengths, p.pad_packed_bf_total6.lengths);
    const back = unpack_sequence(u);
    seqs().forEach((s, i) => expect(same(back[i], s)).toBe(true));
    const un = unpad_sequence(padded, lengths, { batch_first: true });
    seqs().forEach((s, i) => expect(same(un[i], s)).toBe(true));
    expect(() => pad_packed_sequence(u, { total_length: 2 })).toThrow(/Expected total_length to be at least the length of the longest sequence/);
  });

  test('pack_padded_sequence: lengths as an array, gradient flows back, unsorted lengths error', () => {
    const x = torch.randn(4, 3, 2).requires_grad_();
    const packed = pack_padded_sequence(x, [2, 4, 3], { enforce_sorted: false });
    const [y] = pad_packed_sequence(packed);
    y.sum().backward();
    const g = x.grad!;
    // padding positions get no gradient: x[2:, 0] and x[3:, 2]
    expect(g.idx('2:', 0).sum().item()).toBe(0);
    expect(g.idx(3, 2).sum().item()).toBe(0);
    expect(g.idx(':2', 0).sum().item()).toBe(4);
    const padded = pad_sequence(seqs());
    expect(() => pack_padded_sequence(padded, [2, 4, 3])).toThrow(torch.TorchError);
    expect(() => pack_padded_sequence(padded, [2, 4, 3])).toThrow(p.unsorted_error);
    expect(() => pack_padded_sequence(padded, 'x' as any)).toThrow(TypeError);
  });

  test('PackedSequence moves with to() and keeps batch_sizes on the CPU', () => {
    const s = pack_sequence(seqs(), false);
    const d = s.double();
    expect(d.data.dtype).toBe(torch.float64);
    expect(d.batch_sizes).toBe(s.batch_sizes);
    expect(d.sorted_indices).toBe(s.sorted_indices);
    expect(s.to(torch.float32).data.dtype).toBe(torch.float32);
    expect(s.is_cuda).toBe(false);
    expect(() => new PackedSequence(torch.randn(2))).toThrow(TypeError);
  });
});
