/** bin/torchrun.js: sets the rendezvous environment, runs DDP workers, stops all when one fails. */
import { spawnSync, spawn } from 'child_process';
import * as path from 'path';
import { freePort } from './spawn';
import * as torch from '../../lib';

// The workers all_reduce over Gloo: builds without it (e.g. against a pip wheel, TN_NO_GLOO) skip those.
const gloo = torch.distributed.is_available() && torch.distributed.is_gloo_available();
const noGloo = ' (skipped: this build has no Gloo backend)';

const bin = path.join(__dirname, '..', '..', 'bin', 'torchrun.js');
const workers = path.join(__dirname, 'workers');

/**
 * Two "hosts": network namespaces joined by a veth pair (10.77.x.1 and 10.77.x.2). Needs root and
 * `ip netns`; where the container forbids it, the block is skipped with the reason.
 */
const NS = [`tnA${process.pid}`, `tnB${process.pid}`];
const SUBNET = `10.77.${process.pid % 250}`;
function netnsSetup(): string | null {
  const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  const steps = [
    `ip netns add ${NS[0]}`, `ip netns add ${NS[1]}`,
    `ip link add v${process.pid}a netns ${NS[0]} type veth peer name v${process.pid}b netns ${NS[1]}`,
    `ip -n ${NS[0]} addr add ${SUBNET}.1/24 dev v${process.pid}a`, `ip -n ${NS[1]} addr add ${SUBNET}.2/24 dev v${process.pid}b`,
    `ip -n ${NS[0]} link set v${process.pid}a up`, `ip -n ${NS[1]} link set v${process.pid}b up`,
    `ip -n ${NS[0]} link set lo up`, `ip -n ${NS[1]} link set lo up`,
  ];
  for (const c of steps) {
    const r = sh(c);
    if (r.error || r.status !== 0) {
      netnsTeardown();
      return `${c}: ${(r.stderr || String(r.error)).trim()}`;
    }
  }
  return null;
}
function netnsTeardown(): void {
  for (const n of NS) spawnSync('ip', ['netns', 'del', n]);
}
const netnsError = !gloo ? 'no Gloo backend in this build' : process.platform === 'linux' ? netnsSetup() : 'not Linux';
const dNetns = netnsError === null ? describe : describe.skip;
afterAll(() => {
  if (netnsError === null) netnsTeardown();
});

dNetns(netnsError === null ? 'torchrun --nnodes 2 across two network namespaces' : `torchrun --nnodes 2 across two network namespaces (skipped: ${netnsError})`, () => {
  test('two nodes of two workers: ranks by node, one all_reduce over the veth link', async () => {
    const port = 29400 + (process.pid % 500);
    const node = (rank: number) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const c = spawn('ip', ['netns', 'exec', NS[rank], process.execPath, bin, '--nnodes', '2', '--node_rank', String(rank), '--nproc_per_node', '2',
          '--master_addr', `${SUBNET}.1`, '--master_port', String(port), path.join(workers, 'launched.js'), 'ok'], {
          env: { ...process.env, GLOO_SOCKET_IFNAME: `v${process.pid}${rank === 0 ? 'a' : 'b'}` },
        });
        let out = '', err = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (err += d));
        const t = setTimeout(() => c.kill('SIGKILL'), 40000);
        c.on('exit', (code) => { clearTimeout(t); resolve({ code, out, err }); });
      });
    const res = await Promise.all([node(0), node(1)]);
    for (const r of res) if (r.code !== 0) throw new Error(`node failed (${r.code}): ${r.err}`);
    const lines = res.flatMap((r) => r.out.trim().split('\n').map((l) => JSON.parse(l))).sort((a, b) => a.RANK - b.RANK);
    expect(lines.map((l) => [l.RANK, l.LOCAL_RANK, l.WORLD_SIZE, l.sum])).toEqual([
      ['0', '0', '4', 10], ['1', '1', '4', 10], ['2', '0', '4', 10], ['3', '1', '4', 10],
    ]);
  });
});

describe('torchrun', () => {
  (gloo ? test : test.skip)('two workers: env:// rendezvous and an all_reduce' + (gloo ? '' : noGloo), async () => {
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
