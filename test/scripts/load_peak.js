// Child process for test/serialization/malformed.test.ts: torch.load(argv[2]) after a warm-up load
// of argv[3], reporting the peak RSS (VmHWM) before and after and the error; then touches a 64 MiB
// tensor and reports VmHWM again, which shows the measurement sees a spike of that size.
'use strict';
const fs = require('fs');
const torch = require('../../dist');
const hwm = () => Number(/VmHWM:\s*(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
torch.dispose(torch.load(process.argv[3]));
const before = hwm();
let error = null;
try {
  torch.dispose(torch.load(process.argv[2]));
} catch (e) {
  error = { name: e.constructor.name, message: e.message };
}
const after = hwm();
const t = torch.ones([16 << 20]);
const touched = hwm();
t.dispose();
console.log(JSON.stringify({ before, after, touched, error }));
