#!/usr/bin/env node
// Tutorial section "Padding Layers": nn.ZeroPad2d.
// Run: node examples/tutorial/padding.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.padding = new nn.ZeroPad2d({ padding: 1 }); // nn.ZeroPad2d(padding=1)
  }

  forward(x) {
    x = this.padding(x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.ones(1, 1, 3, 3);
const y = model(x);
console.log('shape', x.shape, '->', y.shape);
console.log(String(y));
// Other padding layers of the same family
console.log('ReflectionPad2d(1):\n' + new nn.ReflectionPad2d(1)(torch.arange(9, { dtype: torch.float32 }).reshape(1, 1, 3, 3)));
console.log('ConstantPad1d(2, 3.5):\n' + new nn.ConstantPad1d(2, 3.5)(torch.zeros(1, 2, 2)));
