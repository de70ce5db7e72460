#!/usr/bin/env node
// Tutorial section "Containers": Module, Sequential, ModuleList, ModuleDict, ParameterList and
// ParameterDict, ported line by line from the Python snippets. Run: node examples/tutorial/containers.js
//
// In your own project: const torch = require('torch-node');
'use strict';
const torch = require('../..'); // import torch
const nn = torch.nn; //            import torch.nn as nn

// ---- Sequential ----------------------------------------------------------------------------
// model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1))
const model = new nn.Sequential(
  new nn.Linear(784, 128),
  new nn.ReLU(),
  new nn.Linear(128, 10),
  new nn.Softmax({ dim: 1 }),
);

// ---- ModuleList ----------------------------------------------------------------------------
class ListNet extends nn.Module { // class NeuralNetwork(nn.Module):
  constructor() {
    super();
    this.layers = new nn.ModuleList([
      new nn.Linear(784, 128),
      new nn.ReLU(),
      new nn.Linear(128, 10),
      new nn.Softmax({ dim: 1 }),
    ]);
  }

  forward(x) {
    for (const layer of this.layers) { // for layer in self.layers:
      x = layer(x);
    }
    return x;
  }
}

// ---- ModuleDict ----------------------------------------------------------------------------
class DictNet extends nn.Module {
  constructor() {
    super();
    this.layers = new nn.ModuleDict({
      fc1: new nn.Linear(784, 128),
      relu: new nn.ReLU(),
      fc2: new nn.Linear(128, 10),
      softmax: new nn.Softmax({ dim: 1 }),
    });
  }

  forward(x) {
    x = this.layers['fc1'](x);
    x = this.layers['relu'](x);
    x = this.layers['fc2'](x);
    x = this.layers['softmax'](x);
    return x;
  }
}

// ---- ParameterList and ParameterDict -------------------------------------------------------
class ParamNet extends nn.Module {
  constructor() {
    super();
    this.weights = new nn.ParameterList([
      new nn.Parameter(torch.randn(784, 128)),
      new nn.Parameter(torch.randn(128, 10)),
    ]);
    this.biases = new nn.ParameterDict({
      bias1: new nn.Parameter(torch.zeros(128)),
      bias2: new nn.Parameter(torch.zeros(10)),
    });
  }

  forward(x) {
    x = torch.matmul(x, this.weights[0]).add(this.biases['bias1']); // + is .add() in JS
    x = torch.relu(x);
    x = torch.matmul(x, this.weights[1]).add(this.biases['bias2']);
    return x;
  }
}

// ---- using them (not in the tutorial): a batch of 64 flattened 28x28 images ----------------
torch.manual_seed(0);
const x = torch.randn(64, 784);
const nets = { Sequential: model, ModuleList: new ListNet(), ModuleDict: new DictNet(), 'ParameterList/ParameterDict': new ParamNet() };
for (const [name, net] of Object.entries(nets)) {
  const y = net(x);
  const nparams = net.parameters().reduce((n, p) => n + p.numel(), 0);
  console.log(`== ${name}: output shape [${y.shape}], ${nparams} parameters`);
  console.log(String(net)); // print(net)
  console.log('state_dict keys:', Object.keys(net.state_dict()).join(', '));
  if (net !== nets['ParameterList/ParameterDict']) {
    // Softmax(dim=1) makes each row a probability distribution: the rows sum to 1
    console.log('row sums of the first 3 outputs:', y.idx(':3').sum(1));
  }
  console.log();
}
