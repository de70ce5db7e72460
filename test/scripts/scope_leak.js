// Child process for test/crash.test.ts: a dispose_scope() abandoned by a throw between
// dispose_scope() and dispose() must not keep recording (and holding) every later tensor.
// Prints the live tensor count after 200k unreferenced tensors and GC, and the warnings.
'use strict';
const torch = require('../../dist');
const warnings = [];
process.on('warning', (w) => warnings.push(w.name + ': ' + w.message));
function leaky() {
  const s = torch.dispose_scope();
  torch.ones(2);
  throw new Error('thrown before dispose()');
  // eslint-disable-next-line no-unreachable
  s.dispose();
}
try { leaky(); } catch (e) { /* the caller handles it and goes on */ }
const tick = () => new Promise((r) => setImmediate(r));
(async () => {
  for (let i = 0; i < 5; i++) { global.gc(); await tick(); }
  for (let i = 0; i < 200000; i++) torch.ones(2);
  for (let i = 0; i < 5; i++) { global.gc(); await tick(); }
  process.stdout.write(JSON.stringify({ live: torch.live_tensors().count, warnings }));
})();
