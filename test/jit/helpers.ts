// Shared by test/jit: fixture paths, nested-list comparison and the Python oracle.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../../lib';

export const FIX = path.join(__dirname, '..', 'fixtures', 'jit');
export const fx: any = JSON.parse(fs.readFileSync(path.join(FIX, 'jit.json'), 'utf8'));
export const fixturePath = (name: string): string => path.join(FIX, name);

export const f64 = (v: any): torch.Tensor => torch.tensor(v, { dtype: torch.float64 });
export const f32 = (v: any): torch.Tensor => torch.tensor(v, { dtype: torch.float32 });

const flat = (v: any): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const shapeOf = (v: any): number[] => (Array.isArray(v) ? [v.length, ...(v.length ? shapeOf(v[0]) : [])] : []);

/** Asserts that tensor `t` has the nested list `want`'s shape and values within `tol` (abs + rel). */
export function expectClose(t: torch.Tensor, want: any, tol: number): void {
  expect(t).toBeInstanceOf(torch.Tensor);
  expect(t.shape).toEqual(shapeOf(want));
  const got = flat(t.tolist());
  const w = flat(want);
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(got[i] - w[i]) <= tol * (1 + Math.abs(w[i])))) {
      throw new Error(`element ${i}: got ${got[i]}, PyTorch gave ${w[i]} (tolerance ${tol})`);
    }
  }
}

const PY = '/usr/bin/python3';
/** Why the Python oracle cannot run here, or null when it can. */
export const pythonMissing: string | null = (() => {
  if (!fs.existsSync(PY)) return `${PY} does not exist`;
  const r = spawnSync(PY, ['-c', 'import torch'], { encoding: 'utf8', cwd: os.tmpdir() });
  return r.status === 0 ? null : `${PY} cannot import torch`;
})();

const enc = (t: torch.Tensor): any => ({ dtype: t.dtype.name, shape: t.shape, data: flat(t.tolist()) });

/** Python's torch.jit.load(model) run on `inputs` (test/jit/run_python.py). */
export function pythonRun(model: string, inputs: torch.Tensor[]): { outputs: any[]; state_dict: Record<string, any>; training: boolean } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-jit-'));
  try {
    const spec = path.join(dir, 'inputs.json');
    fs.writeFileSync(spec, JSON.stringify({ inputs: inputs.map(enc) }));
    const r = spawnSync(PY, [path.join(__dirname, 'run_python.py'), model, spec], { encoding: 'utf8', cwd: os.tmpdir(), maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Nested list of a flat encoded tensor, for expectClose. */
export function nested(e: { shape: number[]; data: number[] }): any {
  let k = 0;
  const build = (d: number): any => (d === e.shape.length ? e.data[k++] : Array.from({ length: e.shape[d] }, () => build(d + 1)));
  return build(0);
}

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-jit-'));
}
