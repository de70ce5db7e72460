#!/usr/bin/env node
// Tutorial section "DataParallel Layers (multi-GPU, distributed)": nn.DataParallel.
// With several GPUs the batch is split across them; with one GPU the model runs there; on a
// machine without a GPU (as here, usually) the wrapped model runs as is on the CPU, as PyTorch's.
// For several processes or machines, see torch.distributed and nn.parallel.DistributedDataParallel.
// Run: node examples/tutorial/data_parallel.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

torch.manual_seed(0); // (not in the tutorial: makes the printed numbers repeatable)
let model = new nn.Linear(10, 5);
model = new nn.DataParallel(model);

const inputs = torch.randn(20, 10);
const outputs = model(inputs);

console.log(outputs.shape); // print(outputs.shape)

// ---- (not in the tutorial) ---------------------------------------------------------------
const ngpu = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
console.log(`GPUs: ${ngpu}`);
console.log(String(model));
console.log('state_dict keys carry the "module." prefix, as in PyTorch:', Object.keys(model.state_dict()).join(', '));
console.log('same result as the wrapped module:', torch.allclose(outputs.cpu(), model.module(inputs.to(outputs.device)).cpu()));
