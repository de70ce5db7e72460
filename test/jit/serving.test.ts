/**
 * examples/serving/torchscript.js: an HTTP server for a TorchScript file made in Python (the
 * traced CNN of test/fixtures/make_jit.py). 200 requests, 8 concurrent, against the async and the
 * sync server (each its own process); every answer must equal Python's recorded output (1e-10,
 * float64). Event-loop delay is reported by /stats, not asserted. Runs the compiled package (dist/).
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { fixturePath, fx } from './helpers';

const root = path.join(__dirname, '..', '..');
const haveDist = fs.existsSync(path.join(root, 'dist', 'index.js'));

function start(mode: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'examples', 'serving', 'torchscript.js'), fixturePath('traced_cnn.pt')], {
      env: { ...process.env, MODE: mode, PORT: '0' },
    });
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

function request(port: number, method: string, url: string, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const flat = (v: any): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const same = (a: any, b: any): boolean => {
  const x = flat(a);
  const y = flat(b);
  return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= 1e-10 * (1 + Math.abs(y[i])));
};

(haveDist ? describe : describe.skip)('serving a Python-made TorchScript model (needs dist/: node scripts/setup.js)', () => {
  for (const mode of ['async', 'sync']) {
    test(`${mode} server: 200 requests, 8 concurrent, every answer equals Python's`, async () => {
      const { proc, port } = await start(mode);
      try {
        const cases = [
          { x: fx.cnn.x, y: fx.cnn.y },
          { x: fx.cnn.x2, y: fx.cnn.y2 },
        ];
        let next = 0;
        let wrong = 0;
        const worker = async (): Promise<void> => {
          while (next < 200) {
            const c = cases[next++ % 2];
            const r = await request(port, 'POST', '/predict', { x: c.x });
            if (r.status !== 200 || !same(r.body.y, c.y)) wrong++;
          }
        };
        await Promise.all(Array.from({ length: 8 }, worker));
        expect(wrong).toBe(0);
        const bad = await request(port, 'POST', '/predict', { x: [[1, 2]] });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toMatch(/Expected|size|shape|dimension|input/i);
        const stats = await request(port, 'GET', '/stats');
        expect(stats.body.served).toBe(200);
        expect(stats.body.mode).toBe(mode);
        console.log(`torchscript ${mode} server: event-loop p99 ${stats.body.p99_ms.toFixed(2)} ms`);
      } finally {
        proc.kill();
      }
    }, 120000);
  }
});
