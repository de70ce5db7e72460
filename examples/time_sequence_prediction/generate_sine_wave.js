#!/usr/bin/env node
'use strict';
// Port of pytorch/examples time_sequence_prediction/generate_sine_wave.py: writes traindata.pt,
// N sine waves of L points, each shifted by a random phase.
// Lines that differ from the Python, and why:
//   - np.random.seed(2) / np.random.randint(-4*T, 4*T, N): there is no numpy in JS; the shifts are
//     drawn with torch.manual_seed(2) / torch.randint(-4*T, 4*T, [N, 1]) instead (so the waves are
//     not numpy's, and the Python oracle test/fixtures/make_time_sequence.py draws them the same way).
//   - x = np.empty(...); x[:] = ...: the same array built with torch.arange(L).add(shifts).
//   - np.sin(x / 1.0 / T).astype('float64'): x is converted to float64 first, as numpy's `x / 1.0`
//     does (a JS 1.0 is a plain number, and int64 / number makes the default dtype, float32).
//   - torch.save(data, open('traindata.pt', 'wb')): saves a Tensor (Python saves a numpy array).
//   - N and L can be given as arguments (defaults 100 and 1000, as in the Python), so the example
//     test can train on a smaller set.
const torch = require('../..'); // in your project: require('torch-node')

torch.manual_seed(2);

const T = 20;
const L = Number(process.argv[3] ?? 1000);
const N = Number(process.argv[2] ?? 100);

const x = torch.arange(L, { dtype: torch.int64 }).add(torch.randint(-4 * T, 4 * T, [N, 1]));
const data = torch.sin(x.to(torch.float64).div(1.0).div(T));
torch.save(data, 'traindata.pt');
