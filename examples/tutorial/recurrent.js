#!/usr/bin/env node
// Tutorial section "Recurrent Layers": a 2-layer nn.GRU (nn.RNN and nn.LSTM work the same way).
// Run: node examples/tutorial/recurrent.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.rnn = new nn.GRU({ input_size: 10, hidden_size: 20, num_layers: 2 }); // nn.GRU(input_size=10, hidden_size=20, num_layers=2)
  }

  forward(x) {
    const [out, _h] = this.rnn(x); // x, _ = self.rnn(x)
    x = out;
    return x;
  }
}

// ---- using it (not in the tutorial): sequences of 5 steps, batch of 3 (batch_first=False) ---
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.randn(5, 3, 10);
const y = model(x);
console.log('input', x.shape, '-> output', y.shape, '(seq_len, batch, hidden_size)');

// The final hidden state, and the two other recurrent layers the text names
const [, h_n] = model.rnn(x);
console.log('GRU h_n', h_n.shape, '(num_layers, batch, hidden_size); last step of the output equals the top layer of h_n:',
  torch.allclose(y.idx(-1), h_n.idx(-1)));
const lstm = new nn.LSTM(10, 20, { num_layers: 2 });
const [lo, [lh, lc]] = lstm(x);
console.log('LSTM output', lo.shape, 'h_n', lh.shape, 'c_n', lc.shape);
const rnn = new nn.RNN(10, 20, { nonlinearity: 'tanh', batch_first: true });
const [ro, rh] = rnn(torch.randn(3, 5, 10));
console.log('RNN (batch_first) output', ro.shape, 'h_n', rh.shape);
