/**
 * torch.utils.tensorboard.SummaryWriter: the event files it writes, read back by TensorBoard's own
 * EventAccumulator (test/fixtures/tensorboard_check.py), hold what PyTorch 1.13's SummaryWriter
 * writes for the same calls (it writes them in the same run, into a second directory). Without the
 * tensorboard Python package the reader test skips visibly; the framing test (CRC32C, TFRecord,
 * protobuf wire format) runs everywhere.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../../lib';
import { crc32c, masked_crc32c } from '../../lib/utils/tensorboard/proto';

const check = path.join(__dirname, '..', 'fixtures', 'tensorboard_check.py');

/** A PYTHONPATH under which /usr/bin/python3 imports tensorboard, or null. */
function tensorboardPath(): string | null {
  const tryPath = (pp: string) =>
    spawnSync('/usr/bin/python3', ['-c', 'import tensorboard.backend.event_processing.event_accumulator'], { env: { ...process.env, PYTHONPATH: pp }, cwd: os.tmpdir() }).status === 0;
  const candidates = [process.env.TORCH_NODE_TB_PYTHONPATH ?? '', path.join(os.tmpdir(), 'torch-node-tbenv')];
  for (const c of candidates) if (tryPath(c)) return c;
  // the machine image keeps wheels of tensorboard and its few pure-Python needs: install them offline
  const wheels = '/opt/pypi/files';
  if (!fs.existsSync(wheels)) return null;
  const files = fs.readdirSync(wheels);
  const pick = (re: RegExp) => files.filter((f) => re.test(f)).sort().reverse()[0];
  const want = [pick(/^tensorboard-2\.\d+\.\d+-py3-none-any\.whl$/), pick(/^protobuf-6\.[\d.]+-cp39-abi3-manylinux2014_x86_64\.whl$/),
    pick(/^absl_py-.*\.whl$/), pick(/^packaging-.*\.whl$/)];
  if (want.some((w) => !w)) return null;
  const target = candidates[1];
  const r = spawnSync('/usr/bin/python3', ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', '--target', target, ...want.map((w) => path.join(wheels, w!))], { cwd: os.tmpdir() });
  return r.status === 0 && tryPath(target) ? target : null;
}

function writeJs(dir: string): void {
  const w = new torch.utils.tensorboard.SummaryWriter(dir);
  for (let step = 0; step < 5; step++) w.add_scalar('loss/train', 1.0 / (step + 1), step);
  w.add_scalars('run', { a: 1.5, b: -2.0 }, 3);
  const g = new torch.Generator().manual_seed(0);
  w.add_histogram('weights', torch.randn([1000], { generator: g, dtype: torch.float64 }), 7);
  w.add_histogram('small', torch.tensor([0.0, 1.0, 1.0, 2.5, -3.0], { dtype: torch.float64 }), 1);
  w.add_image('img/chw', torch.arange(60, { dtype: torch.float32 }).reshape([3, 4, 5]).div(59.0), 2);
  w.add_image('img/hw', torch.arange(6, { dtype: torch.float32 }).reshape([2, 3]).div(5.0), 0, null, 'HW');
  w.add_text('notes', 'hello *tensorboard*', 4);
  w.add_hparams({ lr: 0.01, bsize: 32, opt: 'adam', flag: true }, { 'hparam/accuracy': 0.9, 'hparam/loss': 0.25 }, { opt: ['adam', 'sgd'] }, 'hp');
  w.close();
}

const tbPath = tensorboardPath();

describe('SummaryWriter event files', () => {
  test('TFRecord framing: CRC32C check value and the masked CRC of each record', () => {
    // CRC-32C of "123456789" is 0xE3069283 (the standard check value)
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-tb-'));
    try {
      const w = new torch.utils.tensorboard.SummaryWriter(dir);
      w.add_scalar('x', 2.5, 1);
      w.close();
      const files = fs.readdirSync(dir);
      expect(files.length).toBe(1);
      expect(files[0]).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${os.hostname().replace(/\./g, '\\.')}\\.${process.pid}\\.\\d+$`));
      const buf = fs.readFileSync(path.join(dir, files[0]));
      let off = 0;
      const records: Buffer[] = [];
      while (off < buf.length) {
        const len = Number(buf.readBigUInt64LE(off));
        expect(buf.readUInt32LE(off + 8)).toBe(masked_crc32c(buf.subarray(off, off + 8)));
        const data = buf.subarray(off + 12, off + 12 + len);
        expect(buf.readUInt32LE(off + 12 + len)).toBe(masked_crc32c(data));
        records.push(data);
        off += 16 + len;
      }
      expect(off).toBe(buf.length);
      expect(records.length).toBe(2);
      expect(records[0].includes(Buffer.from('brain.Event:2'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  (tbPath !== null ? test : test.skip)(`TensorBoard's EventAccumulator reads what PyTorch 1.13's SummaryWriter writes${tbPath === null ? ' (skipped: the tensorboard Python package is not available)' : ''}`, () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-tb-'));
    try {
      const jsDir = path.join(root, 'js');
      const pyDir = path.join(root, 'py');
      writeJs(jsDir);
      const r = spawnSync('/usr/bin/python3', [check, jsDir, pyDir], { env: { ...process.env, PYTHONPATH: tbPath! }, cwd: os.tmpdir(), encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(r.stderr);
      const { js, py } = JSON.parse(r.stdout);
      expect(Object.keys(js).sort()).toEqual(Object.keys(py).sort());
      for (const rel of Object.keys(py)) {
        const a = js[rel], b = py[rel];
        expect({ rel, v: a.file_version }).toEqual({ rel, v: b.file_version });
        expect(a.scalars).toEqual(b.scalars);
        expect(a.images).toEqual(b.images);
        expect(a.tensors).toEqual(b.tensors);
        expect(a.hparams).toEqual(b.hparams);
        expect(Object.keys(a.histograms).sort()).toEqual(Object.keys(b.histograms).sort());
        for (const t of Object.keys(b.histograms)) {
          const ha = a.histograms[t][0], hb = b.histograms[t][0];
          for (const f of ['step', 'min', 'max', 'num', 'bucket_limit', 'bucket']) expect({ t, f, v: ha[f] }).toEqual({ t, f, v: hb[f] });
          // sums: numpy and libtorch add in different orders
          expect(Math.abs(ha.sum - hb.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(hb.sum)));
          expect(Math.abs(ha.sum_squares - hb.sum_squares)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(hb.sum_squares)));
        }
      }
      expect(Object.keys(py['.'].scalars)).toEqual(['loss/train']);
      expect(Object.keys(py['.'].images).sort()).toEqual(['img/chw', 'img/hw']);
      expect(Object.keys(py.hp.hparams).sort()).toEqual(['_hparams_/experiment', '_hparams_/session_end_info', '_hparams_/session_start_info']);
      expect(Object.keys(py.hp.scalars).sort()).toEqual(['hparam/accuracy', 'hparam/loss']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
