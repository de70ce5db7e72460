/**
 * examples/reinforcement_learning/reinforce.js (pytorch/examples' reinforce.py, ported) gives
 * PyTorch 1.13's numbers on the same seed: the Python twin in test/fixtures/make_reinforce.py runs
 * the original script against the same CartPole. The example runs in this process against lib/
 * (TORCH_NODE), so the test needs no build output.
 */
import * as path from 'path';
import { loadFixture, libtorchMinor } from '../helpers';

const fx = loadFixture('reinforce.json');
const file = path.join(__dirname, '..', '..', 'examples', 'reinforcement_learning', 'reinforce.js');

function runExample(argv: string[]): string[] {
  const out: string[] = [];
  const saved = { argv: process.argv, torch: process.env.TORCH_NODE, trace: process.env.REINFORCE_TRACE };
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    process.argv = [process.argv[0], file, ...argv];
    process.env.TORCH_NODE = path.join(__dirname, '..', '..', 'lib');
    process.env.REINFORCE_TRACE = '1';
    jest.isolateModules(() => require(file));
  } finally {
    spy.mockRestore();
    process.argv = saved.argv;
    if (saved.torch === undefined) delete process.env.TORCH_NODE;
    else process.env.TORCH_NODE = saved.torch;
    if (saved.trace === undefined) delete process.env.REINFORCE_TRACE;
    else process.env.REINFORCE_TRACE = saved.trace;
  }
  return out;
}

describe('reinforcement_learning/reinforce', () => {
  let lines: string[];
  beforeAll(() => {
    lines = runExample(['--max-episodes', String(fx.episodes)]);
  });
  const trace = () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const logs = () => lines.filter((l) => !l.startsWith('{'));

  test('runs the episodes and logs every log_interval', () => {
    expect(trace().length).toBe(fx.trace.length);
    expect(logs().length).toBe(fx.lines.length);
    for (const l of logs()) expect(l).toMatch(/^Episode \d+\tLast reward: \d+\.\d\d\tAverage reward: \d+\.\d\d$/);
  });

  (libtorchMinor === '1.13' ? test : test.skip)('same seed, same episodes as PyTorch 1.13 (rewards exact, losses within 1e-4)', () => {
    expect(logs()).toEqual(fx.lines);
    trace().forEach((e, i) => {
      const w = fx.trace[i];
      expect(e.episode).toBe(w.episode);
      expect(e.ep_reward).toBe(w.ep_reward);
      expect(e.running_reward).toBeCloseTo(w.running_reward, 10);
      expect(Math.abs(e.loss - w.loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(w.loss)));
    });
  });
});
