#!/usr/bin/env node
// Tutorial section "Linear Layers": nn.Linear(784, 10).
// Run: node examples/tutorial/linear.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.fc = new nn.Linear(784, 10);
  }

  forward(x) {
    x = this.fc(x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.randn(32, 784);
const y = model(x);
console.log('input', x.shape, '-> output', y.shape);
console.log('weight', model.fc.weight.shape, 'bias', model.fc.bias.shape);
// y = x W^T + b
const manual = torch.matmul(x, model.fc.weight.t()).add(model.fc.bias);
console.log('equals x @ W.T + b:', torch.allclose(y, manual, { atol: 1e-5 }));
