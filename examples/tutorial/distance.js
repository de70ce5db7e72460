#!/usr/bin/env node
// Tutorial section "Distance Functions": F.pairwise_distance and F.cosine_similarity.
// Run: node examples/tutorial/distance.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const F = torch.nn.functional; // import torch.nn.functional as F

torch.manual_seed(0); // (not in the tutorial: makes the printed numbers repeatable)
const x1 = torch.randn(10, 100);
const x2 = torch.randn(10, 100);

const distance = F.pairwise_distance(x1, x2);
const similarity = F.cosine_similarity(x1, x2);

console.log(String(distance)); // print(distance)
console.log(String(similarity)); // print(similarity)

// ---- (not in the tutorial) the module forms, and a check --------------------------------------
const nn = torch.nn;
console.log('nn.PairwiseDistance equals F.pairwise_distance:', torch.allclose(new nn.PairwiseDistance()(x1, x2), distance));
console.log('nn.CosineSimilarity equals F.cosine_similarity:', torch.allclose(new nn.CosineSimilarity({ dim: 1 })(x1, x2), similarity));
console.log('distance of a vector to itself:', F.pairwise_distance(x1, x1).max().item().toExponential(2), '(eps=1e-6 per element)');
console.log('similarity of a vector to itself:', F.cosine_similarity(x1, x1).idx(0).item().toFixed(6));
