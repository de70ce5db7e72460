// The model the serving example and test use. With MODEL=path/to/model.pth (written by the demo,
// `npm run demo`): the demo's network with those trained weights, its Linear layers dynamically
// quantized to int8 (torch.quantization.quantize_dynamic), fed held-out MNIST digits. Without:
// a small MLP (784 → 128 → 10) whose last layer is int8, with weights from a seeded generator so
// that every process builds the same model, fed random inputs.
'use strict';
const path = require('path');
const torch = require(path.join(__dirname, '..', '..', 'dist'));

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}
const randArr = (r, n, scale) => Float32Array.from({ length: n }, () => r() * scale);

class MLP extends torch.nn.Module {
  constructor(seed = 1) {
    super();
    const r = rng(seed);
    this.w1 = new torch.nn.Parameter(torch.frombuffer(randArr(r, 784 * 128, 0.1), { dtype: torch.float32 }).reshape([784, 128]));
    this.b1 = new torch.nn.Parameter(torch.frombuffer(randArr(r, 128, 0.1), { dtype: torch.float32 }));
    this.fc2 = torch.ao.nn.quantized.dynamic.Linear.from_float({
      in_features: 128, out_features: 10,
      weight: torch.frombuffer(randArr(r, 10 * 128, 0.2), { dtype: torch.float32 }).reshape([10, 128]),
      bias: torch.frombuffer(randArr(r, 10, 0.2), { dtype: torch.float32 }),
    });
  }
  forward(x) {
    return this.fc2(x.matmul(this.w1).add(this.b1).relu()).log_softmax(1);
  }
}

/** Deterministic request inputs: `n` images of 784 values. */
function inputs(n, seed = 7) {
  const r = rng(seed);
  return Array.from({ length: n }, () => Array.from(randArr(r, 784, 2)));
}

const demoPath = process.env.MODEL || null;

/** The served model (in eval mode). */
function makeModel() {
  if (!demoPath) return new MLP().eval();
  const { makeNet } = require('../demo/train.js');
  const net = makeNet(torch);
  net.load_state_dict(torch.load(demoPath));
  net.eval();
  return torch.quantization.quantize_dynamic(net);
}

/** A request's 784 numbers as the model's input batch of one. */
function toInput(x) {
  const t = torch.tensor([x]);
  if (!demoPath) return t;
  const r = t.reshape([1, 1, 28, 28]);
  t.dispose();
  return r;
}

/** Request inputs: `n` digits (normalized as the demo trains) from the end of the mnist set, or random arrays. */
function requestInputs(n) {
  if (!demoPath) return inputs(n);
  const { loadDigits } = require('../demo/train.js');
  const ds = loadDigits(torch);
  const len = ds.__len__();
  return Array.from({ length: n }, (_, i) => ds.__getitem__(len - 1 - ((i * 97) % len))[0].reshape([-1]).tolist());
}

module.exports = { MLP, inputs, torch, makeModel, toInput, requestInputs, demoPath };
