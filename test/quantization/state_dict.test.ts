/**
 * Saving and loading dynamic quantized models: torch.save(q.state_dict()) → torch.load →
 * load_state_dict into a fresh quantize_dynamic model gives the same outputs (Linear and LSTM);
 * state_dicts Python 1.13 saved load (test/fixtures/make_quant_state.py) and ours load in Python;
 * the demo network's quantized state_dict file is ≥ 3.5× smaller, and the trained demo keeps its
 * held-out accuracy within 0.5 points after quantize_dynamic.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../../lib';
import { pythonMissing } from '../serialization/helpers';
// Zip records' CRC-32 with the library's JS one (zlib.crc32 needs Node 20.15 or later).
import { crc32 } from '../../lib/utils/tensorboard/proto';
import { native } from '../../lib/binding';

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

const { nn } = torch;
const FIX = path.join(__dirname, '..', 'fixtures', 'quant_state');
const F = JSON.parse(fs.readFileSync(path.join(FIX, 'qmodels.json'), 'utf8'));
type T = { shape: number[]; data: number[] };
const t = (x: T) => torch.tensor(x.data).reshape(x.shape);
const hex = (a: torch.Tensor): string => {
  const v = a.contiguous().to_typed_array();
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
};
function close(a: torch.Tensor, b: T, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  const av = Array.from(a.to(torch.float64).to_typed_array() as Float64Array);
  let worst = 0;
  for (let i = 0; i < av.length; i++) worst = Math.max(worst, Math.abs(av[i] - b.data[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

const mlp = (): torch.nn.Module => torch.quantization.quantize_dynamic(new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 4))).eval();
const lstm = (): torch.nn.Module => torch.quantization.quantize_dynamic(new nn.Sequential(new nn.LSTM(8, 12, 2))).eval();
const gru = (): torch.nn.Module => torch.quantization.quantize_dynamic(new nn.Sequential(new nn.GRU(8, 12, { bidirectional: true }))).eval();
const cell = (): torch.nn.Module => torch.quantization.quantize_dynamic(new nn.Sequential(new nn.LSTMCell(8, 12))).eval();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qsd-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('torch-node save → load → load_state_dict', () => {
  test.each([['Linear', mlp, [5, 16]], ['LSTM', lstm, [6, 3, 8]], ['GRU', gru, [6, 3, 8]], ['LSTMCell', cell, [3, 8]]] as const)('%s: identical outputs in a fresh model', async (_name, make, shape) => {
    torch.manual_seed(1);
    const q = make();
    const x = torch.randn(shape as unknown as number[]);
    const y = torch.no_grad(() => q(x));
    const p = path.join(dir, `${_name}.pt`);
    torch.save(q.state_dict(), p);
    for (const sd of [torch.load(p), await torch.load_async(p)]) {
      torch.manual_seed(2); // different float weights before loading
      const q2 = make();
      const before = torch.no_grad(() => q2(x));
      q2.load_state_dict(sd);
      const y2 = torch.no_grad(() => q2(x));
      const [a, b, c] = Array.isArray(y) ? [y[0], y2[0], before[0]] : [y, y2, before];
      expect(hex(b)).toBe(hex(a));
      expect(hex(c)).not.toBe(hex(a));
    }
  });
});

describe('state_dicts Python saved', () => {
  const sd = torch.load(path.join(FIX, 'qmodels.pt'));
  test(`Linear (qint8 _rebuild_qtensor weights; ${F.engine}) gives Python's output`, () => {
    const q = mlp();
    q.load_state_dict(sd.mlp);
    close(torch.no_grad(() => q(t(F.mlp.x))), F.mlp.y, 1e-6);
    const w = (q as any)[0].weight();
    expect(w.dtype).toBe(torch.qint8);
    expect(w.qscheme()).toBe(torch.per_tensor_affine);
  });
  test('LSTM (torch.ScriptObject CellParamsBase state) gives Python\'s output', async () => {
    const q = lstm();
    q.load_state_dict(sd.lstm);
    const [out, [h, c]] = torch.no_grad(() => q(t(F.lstm.x)));
    close(out, F.lstm.out, 1e-6);
    close(h, F.lstm.h, 1e-6);
    close(c, F.lstm.c, 1e-6);
    const q2 = lstm();
    q2.load_state_dict((await torch.load_async(path.join(FIX, 'qmodels.pt'))).lstm);
    expect(hex(torch.no_grad(() => q2(t(F.lstm.x)))[0])).toBe(hex(out));
  });
  test('GRU and LSTMCell (ScriptObject states) give Python\'s outputs', () => {
    const g = gru();
    g.load_state_dict(sd.gru);
    const [go, gh] = torch.no_grad(() => g(t(F.lstm.x)));
    close(go, F.gru.out, 1e-6);
    close(gh, F.gru.h, 1e-6);
    const c = cell();
    c.load_state_dict(sd.cell);
    const [ch, cc] = torch.no_grad(() => c(t(F.cell.x)));
    close(ch, F.cell.h, 1e-6);
    close(cc, F.cell.c, 1e-6);
  });
  test('other TorchScript objects are refused', () => {
    // The same file with the class name of the packed RNN params changed (same length, so the
    // pickle stays well formed): refused before anything is built.
    const buf = Buffer.from(fs.readFileSync(path.join(FIX, 'qmodels.pt')));
    const from = Buffer.from('__torch__.torch.classes.rnn.CellParamsBase');
    const to = Buffer.from('__torch__.torch.classes.rnn.EvilParamsBase');
    const at = buf.indexOf(from);
    expect(at).toBeGreaterThan(0);
    to.copy(buf, at);
    // Keep the zip's CRC of data.pkl right, so the refusal is what is tested.
    const [, , recs] = native._ser_archive(fs.readFileSync(path.join(FIX, 'qmodels.pt')), 1 << 30) as [string, number, [string, number, number, number, number][]];
    const [, start, size, , crc] = recs.find((r) => r[0] === 'data.pkl')!;
    const fixed = crc32(buf.subarray(start, start + size)) >>> 0;
    for (let k = buf.indexOf(u32(crc)); k >= 0; k = buf.indexOf(u32(crc), k + 4)) u32(fixed).copy(buf, k);
    expect(() => torch.load(buf)).toThrow(/refusing to load a torch.ScriptObject of class '__torch__.torch.classes.rnn.EvilParamsBase'/);
  });
});

(pythonMissing ? describe.skip : describe)(`Python 1.13 loads torch-node's quantized state_dicts${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`, () => {
  // Both sides on one engine: torch-node's default where Python 1.13 has it; else (libtorch 2.x
  // defaults to x86, which 1.13 lacks) 1.13's default engine, or another of 1.13's engines, that this
  // libtorch supports (test/fixtures/quant.json), since packed weights are engine-specific.
  const py113 = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'quant.json'), 'utf8'));
  const py113Engines: string[] = py113.supported_engines;
  const ours = torch.backends.quantized.engine;
  const engine = py113Engines.includes(ours)
    ? ours
    : [py113.engine as string, ...py113Engines].find((e) => e !== 'none' && torch.backends.quantized.supported_engines.includes(e));
  let prevEngine = ours;
  beforeAll(() => { prevEngine = torch.backends.quantized.engine; if (engine) torch.backends.quantized.engine = engine; });
  afterAll(() => { torch.backends.quantized.engine = prevEngine; });
  test(`Linear, LSTM, GRU and LSTMCell: Python\'s load_state_dict, same outputs (engine ${engine})`, () => {
    expect(engine).toBeDefined();
    torch.manual_seed(3);
    const qm = mlp();
    const ql = lstm();
    const qg = gru();
    const qc = cell();
    const xm = torch.randn([5, 16]);
    const xl = torch.randn([6, 3, 8]);
    const xc = torch.randn([3, 8]);
    const p = path.join(dir, 'for_python.pt');
    torch.save({ mlp: qm.state_dict(), lstm: ql.state_dict(), gru: qg.state_dict(), cell: qc.state_dict(), xm, xl, xc }, p);
    const script = `
import sys, json, torch, torch.nn as nn
torch.backends.quantized.engine = ${JSON.stringify(torch.backends.quantized.engine)}
d = torch.load(sys.argv[1])
m = torch.quantization.quantize_dynamic(nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))).eval()
m.load_state_dict(d['mlp'])
l = torch.quantization.quantize_dynamic(nn.Sequential(nn.LSTM(8, 12, num_layers=2))).eval()
l.load_state_dict(d['lstm'])
g = torch.quantization.quantize_dynamic(nn.Sequential(nn.GRU(8, 12, bidirectional=True))).eval()
g.load_state_dict(d['gru'])
c = torch.quantization.quantize_dynamic(nn.Sequential(nn.LSTMCell(8, 12))).eval()
c.load_state_dict(d['cell'])
f = lambda t: t.double().reshape(-1).tolist()
with torch.no_grad():
    print(json.dumps({'mlp': f(m(d['xm'])), 'lstm': f(l(d['xl'])[0]), 'gru': f(g(d['xl'])[0]), 'cell': f(c(d['xc'])[1])}))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', script, p], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const py = JSON.parse(r.stdout);
    close(torch.no_grad(() => qm(xm)), { shape: [5, 4], data: py.mlp }, 1e-6);
    close(torch.no_grad(() => ql(xl))[0], { shape: [6, 3, 12], data: py.lstm }, 1e-6);
    close(torch.no_grad(() => qg(xl))[0], { shape: [6, 3, 24], data: py.gru }, 1e-6);
    close(torch.no_grad(() => qc(xc))[1], { shape: [3, 12], data: py.cell }, 1e-6);
  });
});

describe('the demo network', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const demo = require('../../examples/demo/train.js');

  test('quantized state_dict file is at least 3.5x smaller than the float one', () => {
    torch.manual_seed(0);
    const net = demo.makeNet(torch);
    const fp = path.join(dir, 'demo_fp32.pt');
    const qp = path.join(dir, 'demo_int8.pt');
    torch.save(net.state_dict(), fp);
    torch.save(torch.quantization.quantize_dynamic(net).state_dict(), qp);
    const ratio = fs.statSync(fp).size / fs.statSync(qp).size;
    expect(ratio).toBeGreaterThanOrEqual(3.5);
  });

  test('the trained demo keeps its held-out accuracy within 0.5 points after quantize_dynamic', () => {
    // Trains the demo as `npm run demo` does, on fewer digits and epochs to keep the test short.
    const out = path.join(dir, 'demo');
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'examples', 'demo', 'train.js'),
      '--train', '4000', '--test', '2000', '--epochs', '2', '--seed', '1', '--quiet', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const reported = Number(/accuracy: ([\d.]+)%/.exec(r.stdout)![1]);
    const net = demo.makeNet(torch);
    net.load_state_dict(torch.load(path.join(out, 'model.pth')));
    net.eval();
    // The held-out digits: the same seeded split the demo makes.
    const all = demo.loadDigits(torch);
    const [, test_ds] = torch.utils.data.random_split(all, [4000, 2000, all.__len__() - 6000], new torch.Generator().manual_seed(1));
    const acc = (m: torch.nn.Module): number => torch.no_grad(() => {
      let ok = 0;
      for (const [x, y] of new torch.utils.data.DataLoader(test_ds, { batch_size: 500 })) ok += Number(m(x).argmax(1).eq(y).sum().item());
      return (100 * ok) / 2000;
    });
    const a32 = acc(net);
    expect(a32).toBeCloseTo(reported, 1);
    const q = torch.quantization.quantize_dynamic(net);
    const a8 = acc(q);
    expect(Math.abs(a8 - a32)).toBeLessThanOrEqual(0.5);
  });
});
