#!/usr/bin/env node
// Tutorial sections "Non-linear Activations (weighted sum, nonlinearity)" and "(other)":
// Linear + nn.ReLU, Linear + nn.Softmax, and the functions the text names.
// Run: node examples/tutorial/activations.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;
const F = nn.functional;

// Weighted sum, nonlinearity
class ReluNetwork extends nn.Module {
  constructor() {
    super();
    this.fc1 = new nn.Linear(784, 128);
    this.relu = new nn.ReLU();
  }

  forward(x) {
    x = this.fc1(x);
    x = this.relu(x);
    return x;
  }
}

// Other
class SoftmaxNetwork extends nn.Module {
  constructor() {
    super();
    this.fc1 = new nn.Linear(784, 128);
    this.softmax = new nn.Softmax({ dim: 1 }); // nn.Softmax(dim=1)
  }

  forward(x) {
    x = this.fc1(x);
    x = this.softmax(x);
    return x;
  }
}

// ---- using them (not in the tutorial) -------------------------------------------------------
torch.manual_seed(0);
const x = torch.randn(4, 784);
const r = new ReluNetwork()(x);
console.log('ReLU network: output', r.shape, 'min', r.min().item(), 'fraction of zeros', r.eq(0).to(torch.float32).mean().item().toFixed(3));
const s = new SoftmaxNetwork()(x);
console.log('Softmax network: output', s.shape, 'row sums', s.sum(1));

// The functions the text names: torch.relu, torch.sigmoid, torch.tanh, torch.softmax,
// torch.log_softmax, F.elu, F.leaky_relu (torch.elu and torch.leaky_relu in Python are the same
// ATen ops, reachable here as F.elu / F.leaky_relu).
const v = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0]);
console.log('v                 ', v);
console.log('torch.relu        ', torch.relu(v));
console.log('torch.sigmoid     ', torch.sigmoid(v));
console.log('torch.tanh        ', torch.tanh(v));
console.log('torch.softmax     ', torch.softmax(v, 0));
console.log('torch.log_softmax ', torch.log_softmax(v, 0));
console.log('F.elu             ', F.elu(v));
console.log('F.leaky_relu      ', F.leaky_relu(v, 0.1));
