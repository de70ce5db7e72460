// Shared helpers for tests: fixtures written by test/fixtures/make_*.py (PyTorch 1.13).
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';

export interface EncodedTensor {
  dtype: string;
  shape: number[];
  data?: (number | boolean)[];
  real?: number[];
  imag?: number[];
}

export function loadFixture<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
}

export function dtypeByName(name: string): torch.dtype {
  const d = (torch as any)[name];
  if (!(d instanceof torch.dtype)) throw new Error(`unknown dtype ${name}`);
  return d;
}

/** A torch-node tensor holding an encoded fixture tensor. */
export function fromFixture(e: EncodedTensor): torch.Tensor {
  const d = dtypeByName(e.dtype);
  if (e.data === undefined) throw new Error('complex fixtures are outputs only');
  const data = d === torch.int64 ? e.data.map((x) => BigInt(x as number)) : e.data;
  return torch.tensor(data, { dtype: d }).reshape(e.shape);
}

/** Flattened values of a tensor as JS numbers (complex: interleaved real, imag). */
export function flatValues(t: torch.Tensor): number[] {
  if (t.dtype === torch.float16 || t.dtype === torch.bfloat16) t = t.float();
  const a = t.to_typed_array() as ArrayLike<number | bigint>;
  return Array.from(a, (x) => Number(x));
}

/**
 * Absolute tolerance for a module's default initialization after manual_seed against PyTorch's.
 * Both draw the same random bits, but ATen turns them into values with a kernel picked by the
 * CPU's SIMD level: normal_'s Box-Muller transform (nn.Embedding's N(0, 1) weights) differs by up to
 * 1.9e-6 between the AVX2 kernel and ATEN_CPU_CAPABILITY=default (measured over 1e5 draws), and
 * uniform_ by an ulp of its bound (FMA contraction). The inits compared have scales <= 1, so 1e-5
 * leaves five times that room, and a wrong draw, which moves values by the init's scale, still fails.
 */
export const SEEDED_INIT_ATOL = 1e-5;

/** Asserts that `t` equals the fixture tensor `e` in dtype, shape and values (within rtol/atol). */
export function expectTensorClose(t: torch.Tensor, e: EncodedTensor, rtol = 1e-5, atol = 1e-6): void {
  expect(t).toBeInstanceOf(torch.Tensor);
  expect(t.dtype.name).toBe(e.dtype);
  expect(t.shape).toEqual(e.shape);
  const got = flatValues(t);
  let want: number[];
  if (e.real) {
    want = [];
    for (let i = 0; i < e.real.length; i++) want.push(e.real[i], e.imag![i]);
  } else want = e.data!.map((x) => Number(x));
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (!ok) throw new Error(`element ${i}: got ${got[i]}, PyTorch gave ${want[i]} (shape ${e.shape}, dtype ${e.dtype})`);
  }
}

/** The libtorch the addon was built against ("1.13.1", "2.13.0") and its major.minor. */
export const libtorchVersion: string = require('../lib/binding').native._build_info().torch_version;
export const libtorchMinor = libtorchVersion.split('.').slice(0, 2).join('.');

let otherErrors: Record<string, Record<string, string>> | null | undefined;
/**
 * The message PyTorch gives for fixture `file`'s error entry `key` ("err_…") on the libtorch the
 * addon runs on, for errors whose text comes from libtorch itself: PyTorch 1.13's (the fixture) on
 * 1.13; elsewhere that release's, from errors.libtorch-<major>.<minor>.json (written by
 * make_autograd.py under that PyTorch). null when that file is missing: the caller then checks
 * only the error class, and `missingErrorFixture()` registers a visible skip naming the file.
 */
export function libtorchError(file: string, fixture: Record<string, any>, key: string): string | null {
  if (libtorchMinor === '1.13') return fixture[key];
  if (otherErrors === undefined) {
    const f = path.join(__dirname, 'fixtures', `errors.libtorch-${libtorchMinor}.json`);
    otherErrors = fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
  }
  const m = otherErrors?.[file]?.[key];
  if (otherErrors && typeof m !== 'string') throw new Error(`errors.libtorch-${libtorchMinor}.json has no ${file} ${key}`);
  return otherErrors ? m! : null;
}

/** A skipped test that says which messages were checked by class only on this libtorch (see libtorchError). */
export function missingErrorFixture(what: string): void {
  if (libtorchMinor === '1.13' || fs.existsSync(path.join(__dirname, 'fixtures', `errors.libtorch-${libtorchMinor}.json`))) return;
  test.skip(`${what}: messages checked by class only on libtorch ${libtorchVersion} (no errors.libtorch-${libtorchMinor}.json; write it with test/fixtures/make_autograd.py under that PyTorch)`, () => {});
}
