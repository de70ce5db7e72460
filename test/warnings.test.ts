// libtorch warnings (TORCH_WARN, TORCH_WARN_ONCE) and PyTorch's Python-level deprecations reach
// process.emitWarning once per message, as PyTorch's PyWarningHandler and Python's default
// warnings filter show them, from sync calls and from *_async work (raised on the libuv pool,
// emitted on the JS thread when the job completes). The messages are PyTorch 1.13's.
import * as torch from '../lib';
import { _reset_warnings } from '../lib/errors';
import { libtorchMinor } from './helpers';

let spy: jest.SpyInstance;
beforeEach(() => {
  _reset_warnings();
  spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(() => spy.mockRestore());

const calls = (re: RegExp) => spy.mock.calls.filter((c) => re.test(String(c[0])));
// The libtorch warning these tests trigger is 1.13's deprecation of uint8 masks; from 2.0 on such a
// mask is an error, so on 2.x they skip (the Python-level F.dropout2d warning still runs).
const u8Warns = libtorchMinor === '1.13';
const testU8 = u8Warns ? test : test.skip;
const U8_MASK = /masked_select received a mask with dtype torch\.uint8, this behavior is now deprecated/;

testU8('a TORCH_WARN from a sync call is emitted once per message, as a UserWarning', () => {
  const x = torch.ones(2);
  const m = torch.tensor([1, 0], { dtype: torch.uint8 });
  expect(x.masked_select(m).tolist()).toEqual([1]);
  expect(x.masked_select(m).tolist()).toEqual([1]); // libtorch warns again; JS shows it once
  const got = calls(U8_MASK);
  expect(got.length).toBe(1);
  expect(got[0][1]).toEqual({ type: 'UserWarning' });
});

testU8('the warning is emitted before the result is used (during the call)', () => {
  const m = torch.tensor([1, 0], { dtype: torch.uint8 });
  torch.ones(2).masked_select(m);
  expect(calls(U8_MASK).length).toBe(1);
});

testU8('a warning raised before an error is emitted, and the error still thrown', () => {
  // masked_fill_ with a uint8 mask warns before broadcasting the mask (PyTorch: the warning, then
  // RuntimeError "The size of tensor a (2) must match the size of tensor b (3) ...").
  const m = torch.tensor([1, 0, 1], { dtype: torch.uint8 });
  expect(() => torch.ones(2).masked_fill_(m, 1)).toThrow(/The size of tensor a \(2\) must match the size of tensor b \(3\)/);
  expect(calls(/masked_fill_ received a mask with dtype torch\.uint8/).length).toBe(1);
});

testU8('a warning raised on the libuv pool by *_async work is emitted on completion', async () => {
  const f = torch.trace_async((x: torch.Tensor, m: torch.Tensor) => x.masked_select(m));
  const m = torch.tensor([1, 0], { dtype: torch.uint8 });
  await f(torch.ones(2), m); // traced on the JS thread: a sync warning
  expect(calls(U8_MASK).length).toBe(1);
  _reset_warnings();
  spy.mockClear();
  const y = await f(torch.ones(2), m); // replayed on the pool
  expect(y.tolist()).toEqual([1]);
  expect(calls(U8_MASK).length).toBe(1);
});

test("F.dropout2d on a 2-D input: PyTorch's deprecation warning, once", () => {
  const x = torch.ones(2, 3);
  torch.nn.functional.dropout2d(x, { training: false });
  new torch.nn.Dropout2d().eval().forward(x);
  const got = calls(/^dropout2d: Received a 2-D input to dropout2d, which is deprecated and will result in an error in a future release\./);
  expect(got.length).toBe(1);
  expect(torch.nn.functional.dropout2d(torch.ones(1, 2, 3, 3), { training: false }).shape).toEqual([1, 2, 3, 3]);
  expect(calls(/dropout2d/).length).toBe(1);
});
