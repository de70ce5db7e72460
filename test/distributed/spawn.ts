/** Helpers for test/distributed: run N ranks of a worker script as child processes. */
import { spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';

export const workers = path.join(__dirname, 'workers');

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface RankResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** Runs `node script ...args(rank)` for every rank; resolves when all exited (kills all after limitMs). */
export function runRanks(script: string, world: number, args: (rank: number) => string[], env: (rank: number) => Record<string, string> = () => ({}), limitMs = 45000): Promise<RankResult[]> {
  return Promise.all(
    Array.from({ length: world }, (_, rank) =>
      new Promise<RankResult>((resolve) => {
        const p = spawn(process.execPath, [path.join(workers, script), ...args(rank)], {
          env: { ...process.env, ...env(rank) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '', stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => p.kill('SIGKILL'), limitMs);
        p.on('exit', (code) => {
          clearTimeout(timer);
          let json: any = null;
          const line = stdout.trim().split('\n').pop();
          try {
            json = line ? JSON.parse(line) : null;
          } catch {
            json = null;
          }
          resolve({ code, stdout, stderr, json });
        });
      }),
    ),
  );
}
