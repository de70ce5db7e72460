// Child process for test/crash.test.ts: worker_threads that exit (process.exit in the worker) or
// are terminated from the main thread while *_async jobs are in flight. Before the fix the job's
// completion, run during the worker's teardown, threw a C++ Napi::Error into std::terminate
// (SIGABRT). Prints "all workers gone" once every worker has ended.
'use strict';
const { Worker, isMainThread, parentPort } = require('worker_threads');
const path = require('path');
const dist = path.join(__dirname, '..', '..', 'dist');
if (isMainThread) {
  const mode = process.argv[2];
  const n = 8;
  let done = 0;
  for (let k = 0; k < n; k++) {
    const w = new Worker(__filename, { argv: [mode] });
    w.on('message', () => w.terminate());
    w.on('error', (e) => console.log('worker error', e.message));
    w.on('exit', () => { if (++done === n) console.log('all workers gone'); });
  }
} else {
  const torch = require(dist);
  const a = torch.randn(400, 400);
  const net = new torch.nn.Sequential(new torch.nn.Linear(400, 400), new torch.nn.ReLU()).eval();
  for (let i = 0; i < 16; i++) {
    net.forward_async(a).catch(() => {});
    a.matmul(a).tolist_async().catch(() => {});
  }
  if (process.argv[2] === 'exit') setTimeout(() => process.exit(0), 1);
  else parentPort.postMessage('go');
}
