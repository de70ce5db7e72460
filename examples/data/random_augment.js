#!/usr/bin/env node
// Random augmentation in DataLoader worker threads, then a small classifier trained on the batches:
// a line-by-line port of random_augment.py, and the same numbers for the same seed (workers are
// seeded base_seed + worker_id, as PyTorch seeds its worker processes).
// Run: node examples/data/random_augment.js   (in your project: require('torch-node'))
//
// Lines that differ from the Python, and why:
// - `module.exports = { NoisyShapes }`: a worker thread imports the dataset's class from its module
//   (Python's pickle does the same by module name); `if (require.main === module)` guards the
//   program, as `if __name__ == '__main__'` does in Python.
// - `img.idx(row, torch.slice(start, start + 5)).fill_(1.0)` for `img[row, start:start + 5] = 1.0`
//   (JS has no slice syntax), `new` before classes, options objects for keyword arguments.
'use strict';
const torch = require('../..');
const { nn } = torch;
const { Dataset, DataLoader } = torch.utils.data;

/**
 * 8x8 images of a bar in the top (class 0) or bottom (class 1) half, at a random row, flipped
 * left-right at random, with uniform noise.
 */
class NoisyShapes extends Dataset {
  constructor(n) {
    super();
    this.n = n;
    this.labels = torch.arange(n).remainder(2);
  }

  __len__() {
    return this.n;
  }

  __getitem__(i) {
    let img = torch.zeros(8, 8, { dtype: torch.float64 });
    const row = Number(torch.randint(0, 4, []).item()) + 4 * Number(this.labels.idx(i).item());
    const start = Number(torch.randint(0, 3, []).item());
    img.idx(row, torch.slice(start, start + 5)).fill_(1.0);
    if (torch.rand([]).item() < 0.5) img = img.flip(1);
    img = img.add(torch.rand(8, 8, { dtype: torch.float64 }).mul(0.1));
    return [img.reshape(64), this.labels.idx(i)];
  }
}
module.exports = { NoisyShapes };

function main() {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(64, 16), new nn.Tanh(), new nn.Linear(16, 2)).double();
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.3 });
  const loss_fn = new nn.CrossEntropyLoss();
  const train = new DataLoader(new NoisyShapes(320), { batch_size: 16, shuffle: true, num_workers: 2 });
  for (let epoch = 0; epoch < 4; epoch++) {
    let total = 0.0;
    let step = 0;
    for (const [x, y] of train) {
      if (step === 0) console.log(`epoch ${epoch} first batch: labels [${y.tolist().join(', ')}] pixel sum ${x.sum().item().toFixed(6)}`);
      opt.zero_grad();
      const loss = loss_fn(model(x), y);
      loss.backward();
      opt.step();
      total += loss.item();
      step++;
    }
    console.log(`epoch ${epoch} mean loss ${(total / train.length).toFixed(6)}`);
  }
  torch.no_grad(() => {
    const [x, y] = new DataLoader(new NoisyShapes(32), { batch_size: 32, num_workers: 2 })[Symbol.iterator]().next().value;
    const acc = model(x).argmax(1).eq(y).double().mean().item();
    console.log(`accuracy on fresh samples ${acc.toFixed(4)}`);
  });
}

if (require.main === module) main();
