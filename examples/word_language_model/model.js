'use strict';
// Port of pytorch/examples word_language_model/model.py (RNNModel). Lines that differ from the
// Python, and why:
//   - `getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)` is `new nn[rnn_type](...)`, with
//     keyword arguments as an options object; ValueError is RangeError (torch-node's convention).
//   - `next(self.parameters())` is `this.parameters()[0]` (parameters() is an array).
//   - TransformerModel and PositionalEncoding are not ported (main.js refuses --model Transformer).
const torch = require('../..'); // in your project: require('torch-node')
const nn = torch.nn;
const F = torch.nn.functional;

/** Container module with an encoder, a recurrent module, and a decoder. */
class RNNModel extends nn.Module {
  constructor(rnn_type, ntoken, ninp, nhid, nlayers, dropout = 0.5, tie_weights = false) {
    super();
    this.ntoken = ntoken;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    if (['LSTM', 'GRU'].includes(rnn_type)) {
      this.rnn = new nn[rnn_type](ninp, nhid, nlayers, { dropout });
    } else {
      const nonlinearity = { RNN_TANH: 'tanh', RNN_RELU: 'relu' }[rnn_type];
      if (nonlinearity === undefined) {
        throw new RangeError("An invalid option for `--model` was supplied, options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']");
      }
      this.rnn = new nn.RNN(ninp, nhid, nlayers, { nonlinearity, dropout });
    }
    this.decoder = new nn.Linear(nhid, ntoken);

    // Optionally tie weights as in:
    // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
    // and "Tying Word Vectors and Word Classifiers: A Loss Framework for Language Modeling" (Inan et al. 2016)
    if (tie_weights) {
      if (nhid !== ninp) throw new RangeError('When using the tied flag, nhid must be equal to emsize');
      this.decoder.weight = this.encoder.weight;
    }

    this.init_weights();

    this.rnn_type = rnn_type;
    this.nhid = nhid;
    this.nlayers = nlayers;
  }

  init_weights() {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  forward(input, hidden) {
    const emb = this.drop(this.encoder(input));
    let [output, h] = this.rnn(emb, hidden);
    output = this.drop(output);
    let decoded = this.decoder(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.log_softmax(decoded, { dim: 1 }), h];
  }

  init_hidden(bsz) {
    const weight = this.parameters()[0];
    if (this.rnn_type === 'LSTM') {
      return [weight.new_zeros(this.nlayers, bsz, this.nhid), weight.new_zeros(this.nlayers, bsz, this.nhid)];
    }
    return weight.new_zeros(this.nlayers, bsz, this.nhid);
  }
}

module.exports = { RNNModel };
