#!/usr/bin/env node
// A bounded local load: N requests, C concurrent, against a running server; checks every answer
// against the model computed here, and prints throughput and the server's event-loop delay.
// Usage: node examples/serving/load.js PORT [N=2000] [C=16]
'use strict';
const http = require('http');
const { makeModel, requestInputs, toInput, torch } = require('./model');

async function load(port, n = 2000, concurrency = 16) {
  const xs = requestInputs(64);
  const model = makeModel();
  const want = torch.no_grad(() => xs.map((x) => model(toInput(x)).tolist()[0]));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const call = (method, path, body) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const cs = [];
      res.on('data', (c) => cs.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(cs).toString('utf8') || '{}')));
    });
    req.on('error', reject);
    req.end(body);
  });
  await call('POST', '/stats/reset', '');
  let next = 0;
  let wrong = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const k = i % xs.length;
      const r = await call('POST', '/predict', JSON.stringify({ x: xs[k] }));
      const w = want[k];
      if (!r.logits || r.logits.some((v, j) => Math.abs(v - w[j]) > 1e-5)) wrong++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const stats = await call('GET', '/stats');
  agent.destroy();
  return { requests: n, concurrency, wrong, seconds: secs, rps: n / secs, server: stats };
}

module.exports = { load };
if (require.main === module) {
  load(Number(process.argv[2]), Number(process.argv[3] || 2000), Number(process.argv[4] || 16)).then((r) => console.log(JSON.stringify(r, null, 1)));
}
