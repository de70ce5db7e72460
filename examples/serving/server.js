#!/usr/bin/env node
// An HTTP server (node:http) serving predictions of a model off the event loop (MODEL=model.pth
// serves the demo's trained network, int8; see model.js):
//   POST /predict {"x": [784 numbers]}  →  {"label": k, "logits": [10 numbers]}
//   GET  /stats                         →  event-loop delay (perf_hooks.monitorEventLoopDelay) and counts
// MODE=async (default) runs forward_async + tolist_async on the libuv pool; MODE=sync runs the
// forward on the event loop (for comparison). PORT (default 3000; 0 picks a free port, printed).
'use strict';
const http = require('http');
const { monitorEventLoopDelay } = require('perf_hooks');
const { makeModel, toInput, torch } = require('./model');

const mode = process.env.MODE || 'async';
const model = makeModel();
const eld = monitorEventLoopDelay({ resolution: 1 });
let served = 0;

async function predict(x) {
  const input = toInput(x);
  if (mode === 'sync') {
    const logits = model(input).tolist()[0];
    return logits;
  }
  const out = await model.forward_async(input);
  input.dispose();
  const logits = (await out.tolist_async())[0];
  out.dispose();
  return logits;
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ mode, served, p50_ms: eld.percentile(50) / 1e6, p99_ms: eld.percentile(99) / 1e6, max_ms: eld.max / 1e6 }));
    return;
  }
  if (req.method === 'POST' && req.url === '/stats/reset') {
    eld.reset();
    served = 0;
    res.end('{}');
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
      if (!Array.isArray(x) || x.length !== 784) throw new RangeError('x must be an array of 784 numbers');
      const logits = await predict(x);
      let label = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i] > logits[label]) label = i;
      served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ label, logits }));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(e.message || e) }));
    }
  });
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  eld.enable();
  console.log(JSON.stringify({ listening: server.address().port, mode }));
});
