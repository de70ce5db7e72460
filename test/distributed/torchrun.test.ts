/** bin/torchrun.js: sets the rendezvous environment, runs DDP workers, stops all when one fails. */
import { spawnSync, spawn } from 'child_process';
import * as path from 'path';
import { freePort } from './spawn';

const bin = path.join(__dirname, '..', '..', 'bin', 'torchrun.js');
const workers = path.join(__dirname, 'workers');

describe('torchrun', () => {
  test('two workers: env:// rendezvous and an all_reduce', async () => {
    const port = await freePort();
    const r = spawnSync(process.execPath, [bin, '--nproc_per_node', '2', '--master_port', String(port), path.join(workers, 'launched.js'), 'ok'], { encoding: 'utf8', timeout: 30000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).sort((a, b) => a.RANK - b.RANK);
    expect(lines.map((l) => [l.RANK, l.LOCAL_RANK, l.WORLD_SIZE, l.MASTER_PORT, l.sum])).toEqual([
      ['0', '0', '2', String(port), 3],
      ['1', '1', '2', String(port), 3],
    ]);
  });

  test('a failing worker stops the others and the launcher fails', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [bin, '--nproc_per_node=3', `--master_port=${port}`, path.join(workers, 'launched.js'), 'fail'], { encoding: 'utf8', timeout: 30000 });
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(/rank 1 \(local_rank 1\) exited with code 7; the other 2 worker\(s\) were stopped/);
    expect(Date.now() - t0).toBeLessThan(20000);
  });

  test('usage errors', () => {
    const r = spawnSync(process.execPath, [bin, '--nproc_per_node', 'x', 'a.js'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid int value/);
    const r2 = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect(r2.stderr).toMatch(/required: training_script/);
  });
  void spawn;
});
