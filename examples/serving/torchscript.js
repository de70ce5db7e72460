#!/usr/bin/env node
// An HTTP server (node:http) serving a TorchScript model made in Python (torch.jit.script or
// torch.jit.trace, then torch.jit.save), off the event loop:
//   node examples/serving/torchscript.js model.pt
//   POST /predict {"x": nested array}  →  {"y": forward's output as nested arrays}
//   GET  /stats                        →  event-loop delay (monitorEventLoopDelay) and counts
// The input is built with the dtype of the model's first floating parameter (float32 when it has
// none). MODE=async (default) runs forward_async + tolist_async on the libuv pool; MODE=sync runs
// the forward on the event loop. PORT (default 3000; 0 picks a free port, printed).
'use strict';
const http = require('http');
const path = require('path');
const { monitorEventLoopDelay } = require('perf_hooks');
const torch = require(path.join(__dirname, '..', '..', 'dist'));

const file = process.argv[2];
if (!file) {
  console.error('usage: torchscript.js model.pt');
  process.exit(2);
}
const mode = process.env.MODE || 'async';
// inference only: no autograd graph for the sync forward nor for the jobs (they take this mode)
torch.set_grad_enabled(false);
const model = torch.jit.load(file, { map_location: 'cpu' });
model.eval();
const param = model.parameters().find((p) => p.is_floating_point());
const dtype = param ? param.dtype : torch.float32;
const eld = monitorEventLoopDelay({ resolution: 1 });
let served = 0;

async function predict(x) {
  const input = torch.tensor(x, { dtype });
  if (mode === 'sync') {
    const y = model(input);
    input.dispose();
    const out = y.tolist();
    y.dispose();
    return out;
  }
  const y = await model.forward_async(input);
  input.dispose();
  const out = await y.tolist_async();
  y.dispose();
  return out;
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ mode, served, p50_ms: eld.percentile(50) / 1e6, p99_ms: eld.percentile(99) / 1e6, max_ms: eld.max / 1e6 }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/predict') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { x } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (!Array.isArray(x)) throw new TypeError('x must be a nested array of numbers');
      const y = await predict(x);
      served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ y }));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(e.message || e) }));
    }
  });
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  eld.enable();
  console.log(JSON.stringify({ listening: server.address().port, mode, model: path.basename(file) }));
});
