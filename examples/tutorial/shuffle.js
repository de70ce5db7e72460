#!/usr/bin/env node
// Tutorial section "Shuffle Layers".
//
// The tutorial calls torch.shuffle(x, dim=1). PyTorch has no torch.shuffle: in Python that line
// raises  AttributeError: module 'torch' has no attribute 'shuffle'  (torch-node has none either,
// checked below). What the text describes exists in two forms, both shown here:
// - the shuffle layer of ShuffleNet, nn.ChannelShuffle(groups): interleaves channel groups;
// - a random permutation along a dimension: x.index_select(1, torch.randperm(x.size(1))).
// Run: node examples/tutorial/shuffle.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

torch.manual_seed(0);
const x = torch.randn(10, 64, 32, 32);

console.log('typeof torch.shuffle:', typeof torch.shuffle, '(as in PyTorch: no such function)');

// Random shuffle of the channels (what torch.shuffle(x, dim=1) means in the tutorial)
const perm = torch.randperm(x.size(1));
const x_shuffled = x.index_select(1, perm);
console.log(x_shuffled.shape); // print(x_shuffled.shape)
console.log('first permuted channels:', perm.idx(':8'));
console.log('channel 0 of the result is channel', perm.idx(0).item(), 'of the input:',
  torch.allclose(x_shuffled.idx(':', 0), x.idx(':', perm.idx(0).item()), { rtol: 0, atol: 0 })); // exactly equal

// The shuffle layer: nn.ChannelShuffle(groups)
const layer = new nn.ChannelShuffle(4);
console.log(String(layer));
const c = torch.arange(8, { dtype: torch.float32 }).reshape(1, 8, 1, 1);
console.log('channels 0..7 with 4 groups ->', layer(c).flatten());
console.log(layer(x).shape);
