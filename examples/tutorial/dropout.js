#!/usr/bin/env node
// Tutorial section "Dropout Layers": nn.Dropout(0.5).
// Run: node examples/tutorial/dropout.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.dropout = new nn.Dropout(0.5);
  }

  forward(x) {
    x = this.dropout(x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.ones(2, 8);
console.log('training mode: about half are zeroed, the rest scaled by 1/(1-p) = 2\n' + model(x));
const big = model(torch.ones(10000));
console.log('fraction zeroed over 10,000 elements:', big.eq(0).to(torch.float32).mean().item().toFixed(3), ' mean (stays ~1):', big.mean().item().toFixed(3));
model.eval();
console.log('eval mode: identity\n' + model(x));
