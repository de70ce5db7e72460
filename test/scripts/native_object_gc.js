// Child process for test/native_object.test.ts: packed quantized weights that JS drops without
// dispose() are freed by the NativeObject finalizer once GC collects their owners. Prints the
// native table's live count before, after making 200 unreferenced modules, and after GC.
'use strict';
const torch = require('../../dist');
const { native } = require('../../dist/binding');
const tick = () => new Promise((r) => setImmediate(r));
(async () => {
  const before = native._qp_live();
  for (let i = 0; i < 200; i++) torch.quantization.quantize_dynamic(new torch.nn.Sequential(new torch.nn.Linear(4, 4)));
  const made = native._qp_live();
  for (let i = 0; i < 10 && native._qp_live() > before; i++) { global.gc(); await tick(); }
  process.stdout.write(JSON.stringify({ before, made, after: native._qp_live() }));
})();
