#!/usr/bin/env node
// Tutorial section "Transformer Layers": nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6).
//
// The tutorial's forward calls self.transformer(x) with one tensor. nn.Transformer's forward takes
// a source AND a target sequence (src, tgt), so in Python that line raises
//   TypeError: forward() missing 1 required positional argument: 'tgt'
// torch-node raises the same kind of error (shown below). The working version passes both; for a
// model that only encodes one sequence, use nn.TransformerEncoder (also shown).
// Run: node examples/tutorial/transformer.js   (in your project: require('torch-node'))
'use strict';
const torch = require('../..');
const nn = torch.nn;

class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.transformer = new nn.Transformer({ d_model: 512, nhead: 8, num_encoder_layers: 6 });
  }

  forward(x, tgt) {
    x = this.transformer(x, tgt); // the tutorial has self.transformer(x): see the note above
    return x;
  }
}

torch.manual_seed(0);
const model = new NeuralNetwork();
model.eval(); // no dropout, so the outputs below are deterministic
const nparams = model.parameters().reduce((n, p) => n + p.numel(), 0);
console.log(`nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6): ${nparams} parameters`);
console.log(String(model.transformer.encoder.layers[0]));

const src = torch.rand(10, 2, 512); // (S, N, E): 10 source tokens, batch of 2
const tgt = torch.rand(7, 2, 512); //  (T, N, E): 7 target tokens
try {
  model.transformer(src); // the tutorial's call: one argument
} catch (e) {
  console.log(`model.transformer(src) -> ${e.name}: ${e.message}`);
}
torch.no_grad(() => {
  const out = model(src, tgt);
  console.log('model(src, tgt) ->', out.shape, '(T, N, E)');
  // With a causal mask on the target, as in training a decoder
  const mask = nn.Transformer.generate_square_subsequent_mask(7);
  console.log('causal tgt_mask:\n' + mask.idx(':3', ':3'));
  console.log('with tgt_mask ->', model.transformer(src, tgt, { tgt_mask: mask }).shape);

  // Encoding a single sequence: nn.TransformerEncoder
  const layer = new nn.TransformerEncoderLayer({ d_model: 512, nhead: 8 });
  const encoder = new nn.TransformerEncoder(layer, { num_layers: 2 });
  encoder.eval();
  console.log('TransformerEncoder(src) ->', encoder(src).shape);
});
