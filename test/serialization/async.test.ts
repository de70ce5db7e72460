/**
 * torch.save_async / torch.load_async: the same files and the same values as the synchronous
 * torch.save / torch.load (Python's fixtures from test/fixtures/make_serialization.py, checked
 * against what Python loads), tensors kept alive while in flight, and clean rejections.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { EXPECTED, fixture, expectMatches, tmpdir } from './helpers';

const loadable = Object.keys(EXPECTED).filter((k) => EXPECTED[k].value !== undefined);
const refused = Object.keys(EXPECTED).filter((k) => EXPECTED[k].refused !== undefined || EXPECTED[k].error !== undefined);

function bytesOf(t: torch.Tensor): string {
  const u = t.is_quantized ? t.int_repr() : t;
  const a = u.to_typed_array();
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

/** a and b are the same value, tensors bit for bit (dtype, shape, stride, offset, bytes). */
function expectSame(a: any, b: any, where = '$'): void {
  if (a instanceof torch.Tensor) {
    expect(b).toBeInstanceOf(torch.Tensor);
    expect([where, b.dtype, b.shape, b.stride(), b.storage_offset(), b.requires_grad, b.constructor.name])
      .toEqual([where, a.dtype, a.shape, a.stride(), a.storage_offset(), a.requires_grad, a.constructor.name]);
    expect(bytesOf(b)).toBe(bytesOf(a));
    if (a.is_quantized) expect(b.qscheme()).toBe(a.qscheme());
    return;
  }
  if (a instanceof Map) {
    expect(b).toBeInstanceOf(Map);
    const ea = [...a.entries()];
    const eb = [...b.entries()];
    expect(eb.length).toBe(ea.length);
    ea.forEach(([k, x], i) => {
      expectSame(k, eb[i][0], `${where}.key${i}`);
      expectSame(x, eb[i][1], `${where}[${String(k)}]`);
    });
    return;
  }
  if (a instanceof Set || a instanceof Uint8Array || a === null || typeof a !== 'object' || a instanceof torch.dtype || a instanceof torch.device) {
    expect(b).toEqual(a);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b)).toBe(true);
    expect(b.length).toBe(a.length);
    a.forEach((x: any, i: number) => expectSame(x, b[i], `${where}[${i}]`));
    return;
  }
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const k of Object.keys(a)) expectSame(a[k], b[k], `${where}.${k}`);
}

describe('torch.load_async', () => {
  test.each(loadable)('%s: what Python loads, and bit for bit what torch.load gives', async (name) => {
    const v = await torch.load_async(fixture(name));
    expectMatches(v, EXPECTED[name].value, 'load');
    const s = torch.load(fixture(name));
    expectSame(s, v);
    torch.dispose([v, s]);
  });

  test('from a Buffer, with check_crc and map_location', async () => {
    const buf = fs.readFileSync(fixture('state_dict.pt'));
    const s = torch.load(buf);
    expectSame(s, await torch.load_async(buf));
    expectSame(s, await torch.load_async(buf, { check_crc: true, map_location: 'cpu' }));
    expectSame(s, await torch.load_async(fixture('state_dict.pt'), { check_crc: true, map_location: { cpu: 'cpu' } }));
  });

  test('many loads in flight at once', async () => {
    const s = torch.load(fixture('nested.pt'));
    const all = await Promise.all(Array.from({ length: 16 }, () => torch.load_async(fixture('nested.pt'))));
    for (const v of all) expectSame(s, v);
  });

  test('a large pickle and many records (fetched past the first read-ahead)', async () => {
    const dir = tmpdir();
    try {
      const obj: Record<string, torch.Tensor> = {};
      for (let i = 0; i < 3000; i++) obj[`layer_${i}.some_long_parameter_name_${'x'.repeat(20)}`] = torch.full([i % 7 + 1], i);
      const p = path.join(dir, 'many.pt');
      torch.save(obj, p);
      expect(fs.statSync(p).size).toBeGreaterThan(256 << 10);
      expectSame(torch.load(p), await torch.load_async(p));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(refused)('%s is rejected with the error torch.load throws', async (name) => {
    let syncErr: any = null;
    try {
      torch.load(fixture(name));
    } catch (e) {
      syncErr = e;
    }
    expect(syncErr).toBeInstanceOf(torch.TorchError);
    await expect(torch.load_async(fixture(name))).rejects.toThrow(syncErr.message);
    await expect(torch.load_async(fixture(name))).rejects.toBeInstanceOf(torch.TorchError);
  });

  test('missing files, corrupt archives, bad arguments: clean rejections, nothing left allocated', async () => {
    await expect(torch.load_async('/nonexistent/dir/model.pt')).rejects.toThrow(/torch.load: cannot open '\/nonexistent\/dir\/model.pt'/);
    await expect(torch.load_async(__dirname)).rejects.toThrow(torch.TorchError);
    await expect(torch.load_async(3 as any)).rejects.toThrow(TypeError);
    await expect(torch.load_async(fixture('nested.pt'), { nope: 1 } as any)).rejects.toThrow(TypeError);
    const good = fs.readFileSync(fixture('state_dict.pt'));
    const dir = tmpdir();
    const before = torch.live_tensors().count;
    try {
      for (let n = 0; n < good.length; n += Math.max(1, Math.floor(good.length / 53))) {
        const p = path.join(dir, `t${n}.pt`);
        fs.writeFileSync(p, good.subarray(0, n));
        await expect(torch.load_async(p)).rejects.toBeInstanceOf(torch.TorchError);
        await expect(torch.load_async(good.subarray(0, n))).rejects.toBeInstanceOf(torch.TorchError);
      }
      // A flipped byte in tensor data: caught by check_crc (on the pool).
      const bad = Buffer.from(good);
      const { native } = await import('../../lib/binding');
      const [, , recs] = native._ser_archive(bad, 1 << 30) as [string, number, [string, number][]];
      bad[recs.find((r) => r[0].startsWith('data/'))![1]] ^= 0xff;
      await expect(torch.load_async(bad, { check_crc: true })).rejects.toThrow(/CRC-32 mismatch/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before);
  });
});

describe('torch.save_async', () => {
  const dir = tmpdir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(loadable)('%s: writes the bytes torch.save writes', async (name) => {
    const v = torch.load(fixture(name));
    const a = path.join(dir, `${name}.sync`);
    const b = path.join(dir, `${name}.async`);
    torch.save(v, a);
    await torch.save_async(v, b);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expectSame(torch.load(a), await torch.load_async(b));
  });

  test('zip64 records, views, parameters and quantized tensors: the same bytes', async () => {
    const base = torch.randn([6, 5]);
    const obj = {
      w: base, v: base.narrow(1, 1, 3), p: new torch.nn.Parameter(torch.randn([3])),
      q: torch.quantize_per_tensor(torch.randn([4, 4]), 0.05, 3, torch.quint8),
      qc: torch.quantize_per_channel(torch.randn([3, 4]), torch.tensor([0.1, 0.2, 0.3], { dtype: torch.float64 }),
        torch.tensor([0n, 1n, -1n]), 0, torch.qint8),
      qf: torch.quantize_per_channel(torch.randn([3, 4]), torch.tensor([0.1, 0.2, 0.3]), torch.tensor([0.5, 1, 0]), 0, torch.quint8),
    };
    expect(obj.qf.qscheme()).toBe(torch.per_channel_affine_float_qparams);
    const a = path.join(dir, 'mixed.sync');
    const b = path.join(dir, 'mixed.async');
    torch.save(obj, a);
    await torch.save_async(obj, b);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expectSame(obj, await torch.load_async(b));
  });

  test('tensors disposed while the save is in flight are written as they were', async () => {
    const t = torch.randn([512, 1024]);
    const copy = t.clone();
    const p = path.join(dir, 'disposed.pt');
    const pending = torch.save_async({ t, v: t.narrow(0, 3, 10) }, p);
    t.dispose();
    await pending;
    const back = await torch.load_async(p);
    expect(bytesOf(back.t)).toBe(bytesOf(copy));
    expectSame(copy.narrow(0, 3, 10), back.v);
  });

  test('errors reject: unsavable values (TypeError), unwritable paths (TorchError), bad options', async () => {
    await expect(torch.save_async({ f: () => 1 }, path.join(dir, 'x.pt'))).rejects.toThrow(TypeError);
    await expect(torch.save_async(torch.ones([2]), path.join(dir, 'no', 'such', 'dir.pt'))).rejects.toThrow(/torch.save: cannot open/);
    await expect(torch.save_async(torch.ones([2]), dir)).rejects.toBeInstanceOf(torch.TorchError);
    await expect(torch.save_async(torch.ones([2]), 5 as any)).rejects.toThrow(TypeError);
    await expect(torch.save_async(torch.ones([2]), path.join(dir, 'y.pt'), { pickle_protocol: 4 })).rejects.toThrow(TypeError);
    const d = torch.ones([2]);
    d.dispose();
    await expect(torch.save_async({ d }, path.join(dir, 'z.pt'))).rejects.toThrow(/disposed/);
  });
});
