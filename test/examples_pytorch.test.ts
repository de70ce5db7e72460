/**
 * Ports of pytorch/examples programs (examples/<name>/): each runs as a user runs it (`node file.js`
 * in a fresh temporary directory, against the compiled package), exits 0, and prints PyTorch
 * 1.13's numbers for the same program on the same seed (fixtures written by
 * test/fixtures/make_<name>.py). Each port's header lists the lines that differ from the Python.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

function node(cwd: string, file: string, args: string[]): string {
  const r = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(`${file} exited with ${r.status} ${r.signal ?? ''}\n${r.stderr}`);
  return r.stdout;
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('time_sequence_prediction', () => {
  const F = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'time_sequence.json'), 'utf8'));
  test("LBFGS on two LSTMCells gives PyTorch's losses and predictions (float64, 1e-8)", () => {
    const dir = path.join(root, 'examples', 'time_sequence_prediction');
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-tsp-'));
    try {
      node(cwd, path.join(dir, 'generate_sine_wave.js'), [String(F.N), String(F.L)]);
      const out = node(cwd, path.join(dir, 'train.js'), ['--steps', String(F.steps), '--future', String(F.future)]);
      // Parse the printout: STEP / loss: / test loss: / prediction: lines.
      const steps: { losses: number[]; test_loss: number; prediction: number[] }[] = [];
      for (const line of out.split('\n')) {
        if (line.startsWith('STEP:')) steps.push({ losses: [], test_loss: NaN, prediction: [] });
        else if (line.startsWith('loss:')) steps[steps.length - 1].losses.push(Number(line.slice(5)));
        else if (line.startsWith('test loss:')) steps[steps.length - 1].test_loss = Number(line.slice(10));
        else if (line.startsWith('prediction:')) steps[steps.length - 1].prediction = JSON.parse(line.slice(11).trim());
      }
      expect(steps.length).toBe(F.result.length);
      steps.forEach((s, i) => {
        const want = F.result[i];
        expect(s.losses.length).toBe(want.losses.length);
        let worst = 0;
        s.losses.forEach((v, k) => (worst = Math.max(worst, rel(v, want.losses[k]))));
        worst = Math.max(worst, rel(s.test_loss, want.test_loss));
        s.prediction.forEach((v, k) => (worst = Math.max(worst, rel(v, want.prediction[k]))));
        expect(worst).toBeLessThan(1e-8);
      });
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 300000);
});
