#!/usr/bin/env node
'use strict';
// Port of pytorch/examples word_language_model/main.py: a word-level LSTM (or GRU, RNN) language
// model trained with truncated backpropagation and plain SGD (`p.data.add_(p.grad, {alpha: -lr})`).
// Lines that differ from the Python, and why:
//   - argparse: the same options are read from process.argv by hand (no argparse in Node);
//     `--accel`: torch.accelerator is PyTorch 2.x; this port uses 'cuda' when it is available.
//   - `--model Transformer`, `--onnx-export`: not ported (no TransformerModel here, no ONNX export).
//   - keyword arguments are options objects; `x[i:i+seq_len]` is `x.idx(`${i}:${i + seq_len}`)`;
//     `'...'.format(...)` is a template string with the same widths (pad below); Python's `.2f`
//     rounds halves to even, toFixed away from zero; `len(x)` is `x.length` (Tensor, Dictionary);
//     `with torch.no_grad():` is a function; `isinstance(h, torch.Tensor)` is `instanceof`.
//   - `torch.save(model, f)` / `torch.load(f)`: torch-node cannot pickle a module's Python class, so
//     the best model's state_dict is saved and loaded back into the model (`load_state_dict`).
//   - KeyboardInterrupt: Ctrl-C ends the process (no try/except around the epochs).
const torch = require('../..'); // in your project: require('torch-node')
const nn = torch.nn;
const data = require('./data');
const { RNNModel } = require('./model');

const args = {
  data: './data/wikitext-2', model: 'LSTM', emsize: 200, nhid: 200, nlayers: 2, lr: 20, clip: 0.25, epochs: 40,
  batch_size: 20, bptt: 35, dropout: 0.2, tied: false, seed: 1111, log_interval: 200, save: 'model.pt',
  onnx_export: '', nhead: 2, dry_run: false, accel: false, use_optimizer: false,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '').replace(/-/g, '_');
  if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
  args[key] = typeof args[key] === 'boolean' ? true : typeof args[key] === 'number' ? Number(argv[++i]) : argv[++i];
}
if (args.model === 'Transformer' || args.onnx_export) throw new Error('--model Transformer and --onnx-export are not ported');

// Set the random seed manually for reproducibility.
torch.manual_seed(args.seed);

const device = args.accel && torch.cuda.is_available() ? torch.device('cuda') : torch.device('cpu');

console.log('Using device:', String(device));

///////////////////////////////////////////////////////////////////////////////
// Load data
///////////////////////////////////////////////////////////////////////////////

const corpus = new data.Corpus(args.data);

// Starting from sequential data, batchify arranges the dataset into columns: with the alphabet
// as the sequence and batch size 4, columns a..f, g..l, m..r, s..x. The columns are treated as
// independent by the model, which allows more efficient batch processing.
function batchify(data, bsz) {
  // Work out how cleanly we can divide the dataset into bsz parts.
  const nbatch = Math.floor(data.size(0) / bsz);
  // Trim off any extra elements that wouldn't cleanly fit (remainders).
  data = data.narrow(0, 0, nbatch * bsz);
  // Evenly divide the data across the bsz batches.
  data = data.view(bsz, -1).t().contiguous();
  return data.to(device);
}

const eval_batch_size = 10;
const train_data = batchify(corpus.train, args.batch_size);
const val_data = batchify(corpus.valid, eval_batch_size);
const test_data = batchify(corpus.test, eval_batch_size);

///////////////////////////////////////////////////////////////////////////////
// Build the model
///////////////////////////////////////////////////////////////////////////////

const ntokens = corpus.dictionary.length;
let model = new RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout, args.tied).to(device);

const criterion = new nn.NLLLoss();
const optimizer = args.use_optimizer ? new torch.optim.AdamW(model.parameters(), { lr: args.lr }) : null;

///////////////////////////////////////////////////////////////////////////////
// Training code
///////////////////////////////////////////////////////////////////////////////

/** Wraps hidden states in new Tensors, to detach them from their history. */
function repackage_hidden(h) {
  if (h instanceof torch.Tensor) return h.detach();
  return h.map((v) => repackage_hidden(v));
}

// get_batch subdivides the source data into chunks of length args.bptt, along dimension 0 (the
// seq_len dimension of the LSTM).
function get_batch(source, i) {
  const seq_len = Math.min(args.bptt, source.length - 1 - i);
  const data = source.idx(`${i}:${i + seq_len}`);
  const target = source.idx(`${i + 1}:${i + 1 + seq_len}`).view(-1);
  return [data, target];
}

function evaluate(data_source) {
  // Turn on evaluation mode which disables dropout.
  model.eval();
  let total_loss = 0;
  let hidden = model.init_hidden(eval_batch_size);
  torch.no_grad(() => {
    for (let i = 0; i < data_source.size(0) - 1; i += args.bptt) {
      const [data, targets] = get_batch(data_source, i);
      let output;
      [output, hidden] = model(data, hidden);
      hidden = repackage_hidden(hidden);
      total_loss += data.length * criterion(output, targets).item();
    }
  });
  return total_loss / (data_source.length - 1);
}

const pad = (s, n) => String(s).padStart(n);
const f2 = (v, n) => pad(v.toFixed(2), n);

let lr = args.lr;
let epoch = 0;

function train() {
  // Turn on training mode which enables dropout.
  model.train();
  let total_loss = 0;
  let start_time = Date.now();
  let hidden = model.init_hidden(args.batch_size);
  for (let batch = 0, i = 0; i < train_data.size(0) - 1; batch++, i += args.bptt) {
    const [data, targets] = get_batch(train_data, i);
    // Starting each batch, we detach the hidden state from how it was previously produced.
    // If we didn't, the model would try backpropagating all the way to start of the dataset.
    if (args.use_optimizer) optimizer.zero_grad();
    else model.zero_grad();
    hidden = repackage_hidden(hidden);
    let output;
    [output, hidden] = model(data, hidden);
    const loss = criterion(output, targets);
    loss.backward();

    // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
    nn.utils.clip_grad_norm_(model.parameters(), args.clip);
    if (args.use_optimizer) optimizer.step();
    else for (const p of model.parameters()) p.data.add_(p.grad, { alpha: -lr });

    total_loss += loss.item();

    if (batch % args.log_interval === 0 && batch > 0) {
      const cur_loss = total_loss / args.log_interval;
      const elapsed = (Date.now() - start_time) / 1000;
      console.log(`| epoch ${pad(epoch, 3)} | ${pad(batch, 5)}/${pad(Math.floor(train_data.length / args.bptt), 5)} batches | ` +
        `lr ${lr.toFixed(2).padStart(2, '0')} | ms/batch ${f2((elapsed * 1000) / args.log_interval, 5)} | ` +
        `loss ${f2(cur_loss, 5)} | ppl ${f2(Math.exp(cur_loss), 8)}`);
      total_loss = 0;
      start_time = Date.now();
    }
    if (args.dry_run) break;
  }
}

// Loop over epochs.
let best_val_loss = null;
for (epoch = 1; epoch <= args.epochs; epoch++) {
  const epoch_start_time = Date.now();
  train();
  const val_loss = evaluate(val_data);
  console.log('-'.repeat(89));
  console.log(`| end of epoch ${pad(epoch, 3)} | time: ${f2((Date.now() - epoch_start_time) / 1000, 5)}s | ` +
    `valid loss ${f2(val_loss, 5)} | valid ppl ${f2(Math.exp(val_loss), 8)}`);
  console.log('-'.repeat(89));
  // Save the model if the validation loss is the best we've seen so far.
  if (!best_val_loss || val_loss < best_val_loss) {
    torch.save(model.state_dict(), args.save);
    best_val_loss = val_loss;
  } else {
    // Anneal the learning rate if no improvement has been seen in the validation dataset.
    lr /= 4.0;
  }
}

// Load the best saved model.
model.load_state_dict(torch.load(args.save));
// after load the rnn params are not a continuous chunk of memory
// this makes them a continuous chunk, and will speed up forward pass
model.rnn.flatten_parameters();

// Run on test data.
const test_loss = evaluate(test_data);
console.log('='.repeat(89));
console.log(`| End of training | test loss ${f2(test_loss, 5)} | test ppl ${f2(Math.exp(test_loss), 8)}`);
console.log('='.repeat(89));
