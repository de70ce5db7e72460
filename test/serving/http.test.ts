/**
 * HTTP serving (examples/serving): 2,000 requests, 16 concurrent, from a local client against the
 * async server and the sync server (each in its own process). Every answer must be right; the
 * server's event-loop delay (monitorEventLoopDelay p99) and the throughput are reported, not
 * asserted (timings are for bench/, not tests). Runs the compiled package (dist/).
 * The served model is the demo's network, trained here for one short epoch (examples/demo/train.js,
 * as `npm run demo` but on 3,000 digits) and quantized to int8 with quantize_dynamic; the requests
 * are MNIST digits (examples/serving/model.js with MODEL=model.pth).
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const root = path.join(__dirname, '..', '..');
const haveDist = fs.existsSync(path.join(root, 'dist', 'index.js'));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-serving-'));
const MODEL = path.join(out, 'model.pth');
let load: any = null;
if (haveDist) {
  const r = spawnSync(process.execPath, [path.join(root, 'examples', 'demo', 'train.js'), '--train', '3000', '--test', '1000', '--epochs', '1', '--quiet', '--out', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`training the demo failed: ${r.stderr}`);
  process.env.MODEL = MODEL; // for load.js (the reference answers) and the servers
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  load = require(path.join(root, 'examples', 'serving', 'load.js')).load;
}
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function start(mode: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'examples', 'serving', 'server.js')], { env: { ...process.env, MODE: mode, PORT: '0', MODEL } });
    let buf = '';
    proc.stdout!.on('data', (c) => {
      buf += c;
      const m = buf.match(/\{"listening":(\d+)/);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.stderr!.on('data', (c) => process.stderr.write(c));
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

(haveDist ? describe : describe.skip)('HTTP serving (needs dist/: node scripts/setup.js)', () => {
  const results: Record<string, any> = {};
  for (const mode of ['async', 'sync']) {
    test(`${mode} server: 2,000 requests, 16 concurrent, every answer right`, async () => {
      const { proc, port } = await start(mode);
      try {
        const r = await load(port, 2000, 16);
        results[mode] = r;
        expect(r.wrong).toBe(0);
        expect(r.server.served).toBe(2000);
        expect(r.server.mode).toBe(mode);
      } finally {
        proc.kill();
      }
    }, 300000);
  }
  afterAll(() => {
    for (const [mode, r] of Object.entries(results)) {
      // eslint-disable-next-line no-console
      console.log(`${mode}: ${r.rps.toFixed(0)} req/s, event-loop delay p50 ${r.server.p50_ms.toFixed(2)} ms, p99 ${r.server.p99_ms.toFixed(2)} ms, max ${r.server.max_ms.toFixed(2)} ms`);
    }
  });
});
