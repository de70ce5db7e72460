/**
 * Loads the native addon once and hands it the JS error classes and the shared state array.
 * A missing or mismatched libtorch becomes an error that says what was looked for and how to fix
 * it, not a raw dlopen message.
 */
import * as path from 'path';
import * as fs from 'fs';
import { TorchError } from './errors';
import type { Native } from '../types/native';

/** shared[0]: the id of the native registry's current arena (see lib/tensor.ts). */
export const shared = new Int32Array(4);

const root = path.join(__dirname, '..');

function candidates(): string[] {
  const out: string[] = [];
  if (process.env.TORCH_NODE_BINARY) out.push(path.resolve(process.env.TORCH_NODE_BINARY));
  out.push(path.join(root, 'build', 'Release', 'torch_node.node'));
  return out;
}

function explain(err: Error, file: string): Error {
  const msg = String(err.message);
  const missing = msg.match(/(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/);
  const symbol = msg.match(/undefined symbol: (\S+)/);
  const lines = [`torch-node could not load its native addon (${file}).`];
  if (missing) {
    lines.push(`The shared library ${missing[1]} was not found: libtorch is missing or not on the loader path.`);
  } else if (symbol) {
    lines.push(`Unresolved symbol ${symbol[1]}: the libtorch found at run time differs from the one the addon was built against.`);
    lines.push('Rebuild against the libtorch you have: `npm run build`.');
  } else {
    lines.push(msg);
  }
  lines.push(
    'libtorch is looked for in this order: $LIBTORCH (an unpacked libtorch), LIBTORCH_USE_PYTORCH=1 (python3 -c "import torch"),',
    'then the system (Debian/Ubuntu: `sudo apt-get install -y libtorch-dev libopenblas0-openmp`).',
    'For an unpacked libtorch or a pip-installed PyTorch, also add its lib/ directory to LD_LIBRARY_PATH, then run `npm run setup`.',
  );
  const e = new Error(lines.join('\n'));
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}

function load(): Native {
  const tried: string[] = [];
  for (const file of candidates()) {
    if (!fs.existsSync(file)) {
      tried.push(file);
      continue;
    }
    let mod: Native;
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      mod = require(file);
    } catch (err) {
      throw explain(err as Error, file);
    }
    mod._init({ TorchError, shared });
    return mod;
  }
  throw new Error(
    `torch-node's native addon is not built (looked for ${tried.join(', ')}).\n` +
      'Run `npm run setup` in the torch-node directory: it finds or installs libtorch and builds the addon.',
  );
}

/** The raw native surface (types/native.d.ts). Not part of the public API. */
export const native: Native = load();
