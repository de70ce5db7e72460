/**
 * The entry file of a DataLoader worker thread: loads torch-node (the same module instances that
 * the dataset's own module gets when it requires torch-node), then runs the worker loop.
 */
import { workerData } from 'worker_threads';
import { installCodeCache } from './code_cache';
import type { WorkerStart } from './worker';

const start = workerData as WorkerStart & { port: import('worker_threads').MessagePort };
// torch-node's modules compile from the process's code cache where the main thread has one
// (code_cache.ts); so they load after the hook, by require.
const loaded = installCodeCache(start.code_cache);
require('../../../index');
loaded();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { worker_loop } = require('./worker') as typeof import('./worker');
const sig = new Int32Array(start.signal);
// A worker that ends in any way tells the main thread (which may be blocked in Atomics.wait).
process.on('exit', (code) => {
  try {
    start.port.postMessage({ type: 'exit', code });
  } finally {
    Atomics.add(sig, 0, 1);
    Atomics.notify(sig, 0);
  }
});
worker_loop(start, start.port).catch((e) => {
  start.port.postMessage({ type: 'fatal', error: { name: e?.constructor?.name ?? 'Error', message: String(e?.message ?? e), stack: String(e?.stack ?? e) } });
  Atomics.add(sig, 0, 1);
  Atomics.notify(sig, 0);
});
