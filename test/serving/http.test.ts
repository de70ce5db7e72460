/**
 * HTTP serving (examples/serving): 2,000 requests, 16 concurrent, from a local client against the
 * async server and the sync server (each in its own process). Every answer must be right; the
 * server's event-loop delay (monitorEventLoopDelay p99) and the throughput are reported, not
 * asserted (timings are for bench/, not tests). Runs the compiled package (dist/).
 * The demo's trained model is not available in this branch: the example serves a small MLP with
 * an int8 layer (examples/serving/model.js) instead.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const haveDist = fs.existsSync(path.join(root, 'dist', 'index.js'));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { load } = haveDist ? require(path.join(root, 'examples', 'serving', 'load.js')) : { load: null };

function start(mode: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'examples', 'serving', 'server.js')], { env: { ...process.env, MODE: mode, PORT: '0' } });
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
