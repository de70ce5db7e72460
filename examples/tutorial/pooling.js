#!/usr/bin/env node
// Tutorial section "Pooling Layers": nn.MaxPool2d (and nn.AvgPool2d, which the text mentions).
// Run: node examples/tutorial/pooling.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.pool = new nn.MaxPool2d({ kernel_size: 2, stride: 2 }); // nn.MaxPool2d(kernel_size=2, stride=2)
  }

  forward(x) {
    x = this.pool(x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4);
console.log('input:\n' + x);
console.log('max pooled 2x2, stride 2:\n' + model(x));
console.log('average pooled (nn.AvgPool2d(2)):\n' + new nn.AvgPool2d(2)(x));
const big = torch.randn(8, 32, 28, 28);
console.log('shape', big.shape, '->', model(big).shape);
