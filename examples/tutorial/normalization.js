#!/usr/bin/env node
// Tutorial section "Normalization Layers": nn.BatchNorm2d (and nn.InstanceNorm2d, nn.LayerNorm,
// which the text names).
// Run: node examples/tutorial/normalization.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.bn = new nn.BatchNorm2d(32);
  }

  forward(x) {
    x = this.bn(x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.randn(16, 32, 8, 8).mul(3).add(5); // mean 5, std 3
const y = model(x); // training mode: normalizes with the batch's statistics
console.log('input  mean %s std %s', x.mean().item().toFixed(3), x.std().item().toFixed(3));
console.log('output mean %s std %s', y.mean().item().toFixed(3), y.std().item().toFixed(3));
console.log('running_mean[:4] after one batch (momentum 0.1):', model.bn.running_mean.idx(':4'));
model.eval(); // eval mode: uses the running statistics
console.log('eval-mode output mean', model(x).mean().item().toFixed(3), '(the running statistics have seen one batch only)');

const inorm = new nn.InstanceNorm2d(32);
const lnorm = new nn.LayerNorm([32, 8, 8]);
console.log('InstanceNorm2d: per-sample, per-channel mean of output[0,0]:', inorm(x).idx(0, 0).mean().item().toFixed(4));
console.log('LayerNorm:      per-sample mean/std of output[0]:', lnorm(x).idx(0).mean().item().toFixed(4), lnorm(x).idx(0).std({ unbiased: false }).item().toFixed(4));
