/**
 * A TorchScript archive whose code calls an op this libtorch may lack: aten::rms_norm (PyTorch
 * 2.4+), in newop_2x.pt saved by PyTorch 2.13 (test/fixtures/make_jit_newop.py). On a libtorch
 * without the op, torch.jit.load is a TorchError that names it (as Python 1.13's own load does,
 * which the script checks); on one with it, the module runs and gives 2.13's numbers (float64, 1e-10).
 */
import * as fs from 'fs';
import * as torch from '../../lib';
import { libtorchVersion } from '../helpers';
import { expectClose, f64, fixturePath, fx as jitFx } from './helpers';

const fx = JSON.parse(fs.readFileSync(fixturePath('newop.json'), 'utf8'));
const fx_scripted_greet = jitFx.scripted.greet;
const [major, minor] = libtorchVersion.split('.').map(Number);
const hasOp = major > 2 || (major === 2 && minor >= 4);
const lacking = hasOp ? describe.skip : describe;
const having = hasOp ? describe : describe.skip;

lacking(`torch.jit.load on libtorch ${libtorchVersion}, which lacks ${fx.op}`, () => {
  test('a TorchError that names the op and the line of TorchScript that calls it', () => {
    const file = fixturePath('newop_2x.pt');
    let err: any;
    try {
      torch.jit.load(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(torch.TorchError);
    expect(err.message).toContain(`Unknown builtin op: ${fx.op}`);
    expect(err.message).toContain('torch.rms_norm(');
    expect(() => torch.jit.load(fs.readFileSync(file))).toThrow(/Unknown builtin op: aten::rms_norm/);
  });

  test('the process goes on: other archives still load and run', () => {
    expect(() => torch.jit.load(fixturePath('newop_2x.pt'))).toThrow(torch.TorchError);
    const m = torch.jit.load(fixturePath('scripted.pt'));
    expect(m.greet('ann')).toEqual(fx_scripted_greet);
  });
});

having(`torch.jit.load on libtorch ${libtorchVersion}, which has ${fx.op}`, () => {
  test(`runs and gives PyTorch ${fx.torch_version}'s numbers`, () => {
    const m = torch.jit.load(fixturePath('newop_2x.pt'));
    expect(m.code).toContain('rms_norm');
    expectClose(m(f64(fx.x)), fx.y, 1e-10);
  });
});
