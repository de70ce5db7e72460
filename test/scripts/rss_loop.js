// Child process for test/memory.test.ts: runs N ops on 4 KB tensors with no dispose in plain Node
// (outside jest's vm context, which makes every global lookup slow) and prints the RSS growth.
'use strict';
const torch = require('../../dist');
const n = Number(process.argv[2] || 1000000);
const a = torch.rand(1024);
const b = torch.rand(1024);
for (let i = 0; i < 20000; i++) a.add(b);
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  a.add(b);
  if ((i & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ n, growth_mb: (peak - rss0) / 2 ** 20, ns_per_op: Number(process.hrtime.bigint() - t0) / n, live: torch.live_tensors() }));
