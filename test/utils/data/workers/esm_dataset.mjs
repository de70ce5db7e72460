// An ES-module dataset: ES modules are not in require.cache, so the class names its module (as
// Python's __module__) for DataLoader worker threads.
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const torch = require('../../../../dist/index.js');

export class Squares extends torch.utils.data.Dataset {
  static __module__ = import.meta.url;
  constructor(n) { super(); this.n = n; }
  __len__() { return this.n; }
  __getitem__(i) { return torch.tensor([i * i]); }
}
