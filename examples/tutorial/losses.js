#!/usr/bin/env node
// Tutorial section "Loss Functions": nn.CrossEntropyLoss (and nn.MSELoss, nn.BCELoss, which the
// text names).
// Run: node examples/tutorial/losses.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

torch.manual_seed(0); // (not in the tutorial: makes the printed numbers repeatable)
const criterion = new nn.CrossEntropyLoss();

const outputs = torch.randn(10, 5);
// torch.tensor of integers is int64 in Python; in JS numbers are floats, so say the dtype
const labels = torch.tensor([1, 3, 0, 2, 4, 1, 3, 0, 2, 4], { dtype: torch.int64 });

const loss = criterion(outputs, labels);

console.log(String(loss)); // print(loss)

// ---- (not in the tutorial) ---------------------------------------------------------------
console.log('chance level for 5 classes is ln(5) =', Math.log(5).toFixed(4));
const logits = outputs.clone().requires_grad_(true);
const l = criterion(logits, labels);
l.backward();
console.log('gradient w.r.t. the logits (softmax - one_hot) / N, first row:\n' + logits.grad.idx(0));
console.log('nn.MSELoss:', new nn.MSELoss()(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.5, 2.0, 2.0])).item());
console.log('nn.BCELoss:', new nn.BCELoss()(torch.tensor([0.9, 0.2, 0.7]), torch.tensor([1.0, 0.0, 1.0])).item().toFixed(6));
console.log('nn.CrossEntropyLoss(label_smoothing=0.1):', String(new nn.CrossEntropyLoss({ label_smoothing: 0.1 })(outputs, labels)));
