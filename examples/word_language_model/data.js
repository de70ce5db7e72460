'use strict';
// Port of pytorch/examples word_language_model/data.py. Lines that differ from the Python, and why:
//   - `open(path, 'r', encoding="utf8")` and `for line in f`: the file is read whole and split at
//     '\n' (Python's line iteration; a last line without '\n' counts as a line, an empty trailing
//     piece after the last '\n' does not); `line.split()` is split on runs of whitespace.
//   - `__len__` is kept, and `length` is its JS spelling (torch-node's convention for len()).
const fs = require('fs');
const path = require('path');
const torch = require('../..'); // in your project: require('torch-node')

class Dictionary {
  constructor() {
    this.word2idx = new Map();
    this.idx2word = [];
  }

  add_word(word) {
    if (!this.word2idx.has(word)) {
      this.idx2word.push(word);
      this.word2idx.set(word, this.idx2word.length - 1);
    }
    return this.word2idx.get(word);
  }

  __len__() {
    return this.idx2word.length;
  }
  get length() {
    return this.__len__();
  }
}

function lines(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}
const words = (line) => [...line.split(/\s+/).filter((w) => w !== ''), '<eos>'];

class Corpus {
  constructor(dir) {
    this.dictionary = new Dictionary();
    this.train = this.tokenize(path.join(dir, 'train.txt'));
    this.valid = this.tokenize(path.join(dir, 'valid.txt'));
    this.test = this.tokenize(path.join(dir, 'test.txt'));
  }

  /** Tokenizes a text file. */
  tokenize(file) {
    if (!fs.existsSync(file)) throw new Error(`no such file: ${file}`);
    // Add words to the dictionary
    for (const line of lines(file)) for (const word of words(line)) this.dictionary.add_word(word);

    // Tokenize file content
    const idss = [];
    for (const line of lines(file)) {
      const ids = [];
      for (const word of words(line)) ids.push(this.dictionary.word2idx.get(word));
      idss.push(torch.tensor(ids).type(torch.int64));
    }
    return torch.cat(idss);
  }
}

module.exports = { Dictionary, Corpus };
