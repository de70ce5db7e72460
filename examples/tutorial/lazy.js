#!/usr/bin/env node
// Tutorial section "Lazy Modules Initialization".
// The tutorial's snippet is a ModuleDict network (ported first). PyTorch's lazy modules proper,
// whose input sizes are inferred from the first batch (nn.LazyLinear, nn.LazyConv2d …), follow.
// Run: node examples/tutorial/lazy.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.layers = new nn.ModuleDict({
      fc1: new nn.Linear(784, 128),
      fc2: new nn.Linear(128, 10),
    });
  }

  forward(x) {
    x = this.layers['fc1'](x);
    x = torch.relu(x);
    x = this.layers['fc2'](x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
console.log('output', model(torch.randn(16, 784)).shape);

// The exercise: create layers conditionally, at run time
const hidden = [256, 64];
const layers = new nn.ModuleDict();
let width = 784;
hidden.forEach((h, i) => {
  layers.set(`fc${i + 1}`, new nn.Linear(width, h));
  width = h;
});
layers.set('out', new nn.Linear(width, 10));
console.log('built at run time:', layers.keys().join(' -> '));

// Lazy modules: in_features is inferred from the first input
const lazy = new nn.Sequential(new nn.LazyLinear(128), new nn.ReLU(), new nn.LazyLinear(10));
console.log('before the first batch:\n' + String(lazy));
console.log('weight before:', lazy[0].weight.constructor.name);
lazy(torch.randn(16, 300));
console.log('after a batch of 300 features:\n' + String(lazy));
console.log('weight after:', lazy[0].weight.shape);
