#!/usr/bin/env node
// Tutorial section "Convolution Layers": two nn.Conv2d layers with ReLU.
// Run: node examples/tutorial/convolution.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    // nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)
    this.conv1 = new nn.Conv2d(1, 32, { kernel_size: 3, stride: 1, padding: 1 });
    this.conv2 = new nn.Conv2d(32, 64, { kernel_size: 3, stride: 1, padding: 1 });
  }

  forward(x) {
    x = this.conv1(x);
    x = torch.relu(x);
    x = this.conv2(x);
    x = torch.relu(x);
    return x;
  }
}

// ---- using it (not in the tutorial): 8 one-channel 28x28 images ----------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.randn(8, 1, 28, 28);
const y = model(x);
console.log('input shape ', x.shape, '-> output shape', y.shape); // padding=1 keeps 28x28
console.log('conv1.weight shape', model.conv1.weight.shape, ' conv2.weight shape', model.conv2.weight.shape);
console.log('after ReLU: min', y.min().item(), '(never negative), mean', y.mean().item().toFixed(4));
