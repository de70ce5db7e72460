#!/usr/bin/env node
// Tutorial section "Vision Layers": nn.Conv2d, nn.MaxPool2d and nn.BatchNorm2d on 3-channel images.
// (examples/demo/train.js trains a network of these layers on real MNIST digits.)
// Run: node examples/tutorial/vision.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.conv = new nn.Conv2d(3, 64, { kernel_size: 3, stride: 1, padding: 1 });
    this.pool = new nn.MaxPool2d({ kernel_size: 2, stride: 2 });
    this.batchnorm = new nn.BatchNorm2d(64);
  }

  forward(x) {
    x = this.conv(x);
    x = this.pool(x);
    x = this.batchnorm(x);
    return x;
  }
}

// ---- using it (not in the tutorial): a batch of 4 RGB 32x32 images ------------------------
torch.manual_seed(0);
const model = new NeuralNetwork();
console.log(String(model));
const x = torch.rand(4, 3, 32, 32);
const y = model(x);
console.log('input', x.shape, '-> output', y.shape, '(conv keeps 32x32, pooling halves it)');
console.log('per-channel mean after BatchNorm (training mode), first 4 channels:', y.detach().mean([0, 2, 3]).idx(':4'));

// One training step on made-up labels: a classifier head on top, SGD, loss goes down
const head = new nn.Sequential(model, new nn.ReLU(), new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(64, 10));
const opt = new torch.optim.SGD(head.parameters(), { lr: 0.1 });
const labels = torch.randint(0, 10, [4]);
const lossFn = new nn.CrossEntropyLoss();
for (let step = 0; step < 5; step++) {
  opt.zero_grad();
  const loss = lossFn(head(x), labels);
  loss.backward();
  opt.step();
  console.log(`step ${step}: loss ${loss.item().toFixed(4)}`);
}
// Other vision layers: nn.PixelShuffle and nn.Upsample
console.log('PixelShuffle(2):', new nn.PixelShuffle(2)(torch.randn(1, 8, 4, 4)).shape);
console.log('Upsample(scale_factor=2, mode=nearest):', new nn.Upsample({ scale_factor: 2, mode: 'nearest' })(torch.randn(1, 3, 4, 4)).shape);
