/**
 * Optimizer and scheduler states travel to and from Python through torch.save / torch.load.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../../lib';
import { problem, makeClosure, flat, maxAbsDiff, Problem } from './problem';

const S = torch.optim.lr_scheduler;
const FIX = path.join(__dirname, '..', 'fixtures');
const after = require('../fixtures/optim_state_file.json');

const PY = '/usr/bin/python3';
const hasTorch = fs.existsSync(PY) && spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('states saved by Python load and continue the same run', () => {
  test('Adam (amsgrad) + StepLR from optim_adam_state.pt', () => {
    const saved: any = torch.load(path.join(FIX, 'optim_adam_state.pt'));
    expect(saved.optimizer.state).toBeInstanceOf(Map);
    const P = problem();
    P.W = saved.W.clone();
    P.b = saved.b.clone();
    P.u = saved.u.clone();
    const opt = new torch.optim.Adam([P.W, P.b, P.u], { lr: 0.01, amsgrad: true });
    const sched = new S.StepLR(opt, { step_size: 2, gamma: 0.5 });
    opt.load_state_dict(saved.optimizer);
    sched.load_state_dict(saved.scheduler);
    expect(opt.state.get(P.W)!.max_exp_avg_sq).toBeInstanceOf(torch.Tensor);
    const closure = makeClosure(opt, P);
    for (let i = 0; i < 5; i++) {
      closure();
      opt.step();
      sched.step();
      expect(maxAbsDiff(flat([P.W, P.b, P.u]), after.trajectory[i])).toBeLessThan(1e-6);
    }
    expect(opt.param_groups.map((g) => g.lr)).toEqual(after.lrs);
  });
});

(hasTorch ? describe : describe.skip)('Python loads what torch-node saved (needs /usr/bin/python3 with torch)', () => {
  test('an SGD (momentum, two groups) state continues in Python as in torch-node', () => {
    const P: Problem = problem();
    const opt = new torch.optim.SGD([{ params: [P.W], momentum: 0.9 }, { params: [P.b, P.u], lr: 0.05 }], { lr: 0.1 });
    const closure = makeClosure(opt, P);
    for (let i = 0; i < 3; i++) { closure(); opt.step(); }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optim-'));
    const file = path.join(dir, 'state.pt');
    torch.save({ optimizer: opt.state_dict(), W: P.W, b: P.b, u: P.u, X: P.X, Y: P.Y }, file);
    for (let i = 0; i < 3; i++) { closure(); opt.step(); }
    const script = `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(FIX)})
from make_optim import loss_and_grad, flat
d = torch.load(${JSON.stringify(file)})
W, b, u = d['W'].clone(), d['b'].clone(), d['u'].clone()
opt = torch.optim.SGD([{'params': [W], 'momentum': 0.9}, {'params': [b, u], 'lr': 0.05}], lr=0.1)
opt.load_state_dict(d['optimizer'])
for _ in range(3):
    loss, gW, gb = loss_and_grad(d['X'], d['Y'], W, b)
    W.grad = gW
    b.grad = gb
    opt.step()
print(json.dumps({'params': flat([W, b, u]), 'groups': [{k: v for k, v in g.items() if k != 'params'} for g in opt.param_groups],
                  'state_keys': sorted(opt.state_dict()['state'].keys())}))
`;
    const r = spawnSync(PY, ['-c', script], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).not.toMatch(/Error/);
    const out = JSON.parse(r.stdout);
    expect(maxAbsDiff(out.params, flat([P.W, P.b, P.u]))).toBeLessThan(1e-6);
    expect(out.state_keys).toEqual([0, 1]);
    expect(out.groups[0].momentum).toBe(0.9);
    expect(out.groups[1].lr).toBe(0.05);
  });
});
