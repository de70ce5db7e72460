#!/usr/bin/env node
'use strict';
// Port of pytorch/examples time_sequence_prediction/train.py: two stacked LSTMCells learn sine
// waves with LBFGS, then predict 1000 points past each test wave.
// Lines that differ from the Python, and why:
//   - argparse: `--steps N` is read from process.argv by hand (there is no argparse in Node).
//   - np.random.seed(0): there is no numpy (nothing here draws from it).
//   - torch.from_numpy(data[3:, :-1]): `data` is a Tensor already; `x[3:, :-1]` is `x.idx('3:', ':-1')`.
//   - keyword arguments are options objects ({dtype: torch.double}, {dim: 1}, {lr: 0.8}, {future});
//     `outputs += [output]` is outputs.push(output); `with torch.no_grad():` is a function.
//   - forward's `future = 0` is passed positionally, `seq(test_input, future)` (Python passes it by
//     keyword).
//   - matplotlib: no plot is drawn (there is no matplotlib in Node); the last predicted value of
//     each test wave is printed instead (`y = pred.detach().numpy()` is `pred.detach()`).
//   - `--future N` (default 1000, the Python's constant) so the example test can predict fewer points.
const torch = require('../..'); // in your project: require('torch-node')
const nn = torch.nn;
const optim = torch.optim;

class Sequence extends nn.Module {
  constructor() {
    super();
    this.lstm1 = new nn.LSTMCell(1, 51);
    this.lstm2 = new nn.LSTMCell(51, 51);
    this.linear = new nn.Linear(51, 1);
  }

  forward(input, future = 0) {
    const outputs = [];
    let h_t = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let c_t = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let h_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let c_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let output;

    for (const input_t of input.split(1, { dim: 1 })) {
      [h_t, c_t] = this.lstm1(input_t, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2(h_t, [h_t2, c_t2]);
      output = this.linear(h_t2);
      outputs.push(output);
    }
    for (let i = 0; i < future; i++) { // if we should predict the future
      [h_t, c_t] = this.lstm1(output, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2(h_t, [h_t2, c_t2]);
      output = this.linear(h_t2);
      outputs.push(output);
    }
    return torch.cat(outputs, { dim: 1 });
  }
}

const argv = process.argv.slice(2);
const opt = { steps: 15, future: 1000 };
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--steps') opt.steps = Number(argv[++i]);
  else if (argv[i] === '--future') opt.future = Number(argv[++i]);
}
// set random seed to 0
torch.manual_seed(0);
// load data and make training set
const data = torch.load('traindata.pt');
const input = data.idx('3:', ':-1');
const target = data.idx('3:', '1:');
const test_input = data.idx(':3', ':-1');
const test_target = data.idx(':3', '1:');
// build the model
const seq = new Sequence();
seq.double();
const criterion = new nn.MSELoss();
// use LBFGS as optimizer since we can load the whole data to train
const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8 });
// begin to train
for (let i = 0; i < opt.steps; i++) {
  console.log('STEP: ', i);
  const closure = () => {
    optimizer.zero_grad();
    const out = seq(input);
    const loss = criterion(out, target);
    console.log('loss:', loss.item());
    loss.backward();
    return loss;
  };
  optimizer.step(closure);
  // begin to predict, no need to track gradient here
  torch.no_grad(() => {
    const future = opt.future;
    const pred = seq(test_input, future);
    const loss = criterion(pred.idx(':', `:${-future}`), test_target);
    console.log('test loss:', loss.item());
    const y = pred.detach();
    console.log('prediction:', JSON.stringify(y.idx(':', -1).tolist()));
  });
}
