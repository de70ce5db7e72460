/**
 * The tutorial's path both ways: a model's state_dict saved by Python loads into the same torch-node
 * model (`model.load_state_dict(torch.load('model.pth'))`), and a torch-node model's state_dict
 * loads into the same Python model with strict=True, _metadata (module versions) included.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../../lib';
import { EXPECTED, fixture, expectMatches, pythonMissing, tmpdir } from './helpers';

const { nn } = torch;

/** The model of test/fixtures/make_serialization.py. */
class Net extends nn.Module {
  [k: string]: any;
  constructor() {
    super();
    this.conv = new nn.Conv2d(1, 4, 3);
    this.bn = new nn.BatchNorm2d(4);
    this.fc = new nn.Linear(8, 3);
  }
}

const dir = tmpdir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('state_dict from Python into a torch-node model', () => {
  test('load_state_dict(torch.load(...)) gives the model Python\'s weights', () => {
    const net = new Net();
    const loaded = torch.load(fixture('state_dict.pt'));
    const r = net.load_state_dict(loaded);
    expect(r.missing_keys).toEqual([]);
    expect(r.unexpected_keys).toEqual([]);
    const sd = net.state_dict();
    const exp = EXPECTED['state_dict.pt'].value.__dict__ as [string, any][];
    expect(Object.keys(sd)).toEqual(exp.map(([k]) => k));
    for (const [k, d] of exp) {
      // The model's own tensors: same values, dtype and shape (each in a storage of its own).
      expectMatches(sd[k], { __tensor__: { ...d.__tensor__, storage: 0 } }, 'load', k, new Map(), new Map());
    }
    torch.dispose(loaded);
  });
});

(pythonMissing ? describe.skip : describe)(`state_dict from torch-node into a Python model${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`, () => {
  test('Python loads it with strict=True and gets identical tensors and module versions', () => {
    const net = new Net();
    const f = path.join(dir, 'net.pth');
    torch.save(net.state_dict(), f);
    const py = `
import sys, json, torch
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(8, 3)
sd = torch.load(sys.argv[1])
net = Net()
res = net.load_state_dict(sd, strict=True)
print(json.dumps({'type': type(sd).__name__, 'metadata': {k: dict(v) for k, v in sd._metadata.items()},
                  'values': {k: v.flatten().tolist() for k, v in net.state_dict().items()}}))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', py, f], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.type).toBe('OrderedDict');
    expect(out.metadata).toEqual(JSON.parse(JSON.stringify((net.state_dict() as any)._metadata)));
    expect(out.metadata.bn.version).toBe(2);
    const sd = net.state_dict();
    for (const [k, v] of Object.entries<number[]>(out.values)) {
      const mine = sd[k].to_typed_array();
      const theirs = sd[k].dtype === torch.int64 ? BigInt64Array.from(v.map(BigInt)) : Float32Array.from(v);
      expect(Array.from(theirs as any)).toEqual(Array.from(mine as any));
    }
  });
});
