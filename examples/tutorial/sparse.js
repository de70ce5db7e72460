#!/usr/bin/env node
// Tutorial section "Sparse Layers": nn.EmbeddingBag(1000, 10, sparse=True).
// Run: node examples/tutorial/sparse.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.embedding = new nn.EmbeddingBag(1000, 10, { sparse: true }); // nn.EmbeddingBag(1000, 10, sparse=True)
  }

  forward(x) {
    x = this.embedding(x);
    return x;
  }
}

// ---- using it (not in the tutorial) ---------------------------------------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
// 4 bags of 5 word indices each: every bag becomes the mean of its 5 embeddings (mode='mean')
const x = torch.randint(0, 1000, [4, 5]);
const y = model(x);
console.log('indices', x.shape, '-> bags', y.shape);
console.log('bag 0 equals the mean of its rows of the weight:',
  torch.allclose(y.idx(0), model.embedding.weight.index_select(0, x.idx(0)).mean(0), { atol: 1e-6 }));
// 1-D input with offsets: bags of different lengths
const flat = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9], { dtype: torch.int64 });
const offsets = torch.tensor([0, 4], { dtype: torch.int64 });
console.log('two bags from offsets [0, 4]:', model.embedding(flat, offsets).shape);
// sparse=True: the gradient of the weight is a sparse COO tensor holding only the rows used
y.sum().backward();
const g = model.embedding.weight.grad;
console.log('weight.grad:', String(g.layout), 'is_sparse', g.is_sparse);
const rows = g.coalesce().indices().idx(0);
console.log('rows of weight.grad that are not zero:', rows.numel(), 'of', g.size(0),
  '(at most the', x.numel(), 'indices used)');
// optimizers that take sparse gradients: SGD, Adagrad and SparseAdam (Adam refuses them, as in PyTorch)
const before = model.embedding.weight.detach().clone();
const opt = new torch.optim.SparseAdam(model.parameters(), { lr: 0.01 });
opt.step();
const changed = model.embedding.weight.detach().ne(before).any(1).sum().item();
console.log('SparseAdam step changed', changed, 'rows: exactly the rows in the gradient:', changed === rows.numel());
// nn.Embedding, the plain lookup table
const emb = new nn.Embedding(10, 3, { padding_idx: 0 });
console.log('nn.Embedding(10, 3, padding_idx=0)(tensor([0, 2])):\n' + emb(torch.tensor([0, 2], { dtype: torch.int64 })));
