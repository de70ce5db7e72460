#!/usr/bin/env node
// Tutorial section "Utilities": nn.init, torch.save / torch.load, nn.utils.clip_grad_norm_.
// model.pth is written in PyTorch's format: Python's torch.load reads it, and a model.pth written
// by Python's torch.save(model.state_dict(), 'model.pth') loads here the same way.
// Run: node examples/tutorial/utilities.js   (in your project: require('torch-node'))
// Writes model.pth in the current directory.
'use strict';
const torch = require('../..');
const nn = torch.nn;

torch.manual_seed(0); // (not in the tutorial: makes the printed numbers repeatable)
const model = new nn.Linear(10, 5);

// Weight initialization
nn.init.xavier_uniform_(model.weight);

// Save the model
torch.save(model.state_dict(), 'model.pth');

// Load the model
model.load_state_dict(torch.load('model.pth'));

// Gradient clipping
nn.utils.clip_grad_norm_(model.parameters(), { max_norm: 1.0 });

// ---- (not in the tutorial) ---------------------------------------------------------------
const bound = Math.sqrt(6 / (10 + 5));
console.log(`xavier_uniform_: weights within ±${bound.toFixed(4)}: max |w| = ${model.weight.abs().max().item().toFixed(4)}`);
const loaded = torch.load('model.pth');
console.log('model.pth holds:', Object.entries(loaded).map(([k, v]) => `${k} ${v.dtype} [${v.shape}]`).join(', '));
console.log('reloaded weight equals the saved one:', torch.allclose(loaded.weight, model.weight, { rtol: 0, atol: 0 }));
// clip_grad_norm_ does something once there are gradients: make large ones, then clip
const out = model(torch.randn(64, 10).mul(100));
out.pow(2).sum().backward();
const before = nn.utils.clip_grad_norm_(model.parameters(), { max_norm: 1.0 });
const after = torch.stack(model.parameters().map((p) => p.grad.norm())).norm();
console.log(`clip_grad_norm_: total gradient norm ${before.item().toFixed(1)} -> ${after.item().toFixed(4)}`);
// Other nn.utils: parameters_to_vector
console.log('parameters_to_vector:', nn.utils.parameters_to_vector(model.parameters()).shape);
