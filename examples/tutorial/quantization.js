#!/usr/bin/env node
// Tutorial section "Quantized Functions": dynamic quantization to int8.
//
// Note: quantize_dynamic replaces the *children* of the model it is given (PyTorch's convert swaps
// submodules, never the root). The tutorial hands it a bare nn.Linear, so in PyTorch, and here,
// quant_model comes back as a float Linear: nothing is quantized. Put the layer inside a container
// (below: nn.Sequential) and it becomes a DynamicQuantizedLinear with int8 weights.
// Run: node examples/tutorial/quantization.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;
const quant = torch.quantization; // import torch.quantization as quant

torch.manual_seed(0); // (not in the tutorial: makes the printed numbers repeatable)
const model = new nn.Linear(10, 5);
const quant_model = quant.quantize_dynamic(model, { dtype: torch.qint8 }); // quantize_dynamic(model, dtype=torch.qint8)

const inputs = torch.randn(20, 10);
const outputs = quant_model(inputs);

console.log(outputs.shape); // print(outputs.shape)

// ---- (not in the tutorial) ---------------------------------------------------------------
console.log('the tutorial\'s quant_model:', String(quant_model), '(a copy of the float layer, as in PyTorch)');

// Quantizing for real: the Linear layers inside a container are swapped
const float_model = new nn.Sequential(new nn.Linear(10, 5));
const q = quant.quantize_dynamic(float_model, { dtype: torch.qint8 });
console.log(String(q));
const ref = float_model(inputs);
const qout = q(inputs);
console.log('int8 output shape', qout.shape, '; largest difference from the float model:', ref.sub(qout).abs().max().item().toFixed(5),
  '(outputs up to', ref.abs().max().item().toFixed(3) + ')');
const w = q[0].weight();
console.log('quantized weight:', String(w.dtype), 'scale', torch.q_scale(w).toExponential(3), 'zero_point', torch.q_zero_point(w));
// A bigger model: only the Linear layers are swapped (the default qconfig_spec)
const mlp = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
console.log(String(quant.quantize_dynamic(mlp, { dtype: torch.qint8 })));
