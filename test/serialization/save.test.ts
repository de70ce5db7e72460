/**
 * torch.save → Python's torch.load: /usr/bin/python3 loads what torch-node saved and describes it
 * (test/serialization/describe.py); the description must match the JS values under torch-node's
 * documented mapping. Skipped, with the reason in the test name, when /usr/bin/python3 lacks torch.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as torch from '../../lib';
import { EXPECTED, fixture, expectMatches, normalize, pythonDescribe, pythonMissing, storageId, tmpdir } from './helpers';

const loadable = Object.keys(EXPECTED).filter((k) => EXPECTED[k].value !== undefined);
const dir = tmpdir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A JS object exercising every mapping torch.save documents. */
function sample(): any {
  const w = torch.tensor([[1.5, -2], [3.25, 4]]);
  const shared = torch.load(fixture('shared.pt'));
  const cyclic: any[] = ['x'];
  return {
    w,
    again: w,
    ints: torch.tensor([1n, -2n, 2n ** 40n]),
    i32: torch.tensor(new Int32Array([7, -7])),
    bools: torch.tensor([true, false]),
    half: torch.tensor([0.5, -1, 65504], { dtype: torch.float16 }),
    bf16: torch.tensor([0.5, -1, 3e38], { dtype: torch.bfloat16 }),
    u8: torch.tensor(new Uint8Array([0, 255])),
    i8: torch.tensor(new Int8Array([-128, 127])),
    i16: torch.tensor(new Int16Array([-32768, 32767])),
    f64: torch.tensor(new Float64Array([Math.PI, -0, NaN])),
    scalar: torch.tensor(3),
    views: { base: shared.base, t: shared.t, cols: shared.cols },
    numbers: [3, 1.5, -0, NaN, Infinity, -Infinity, 2 ** 53 - 1, 2 ** 53, -(2 ** 31) - 1, 255, 256, 65536, 1e300],
    big: [2n ** 70n, -(2n ** 70n), 0n, -1n, 128n, -129n],
    strings: ['', 'h\u00e9llo \u2713', 'a\nb', '\u{1f600}'],
    flags: [true, false, null, undefined],
    tuple: torch.serialization.tuple([1, 'two', w, torch.serialization.tuple([]), torch.serialization.tuple([1, 2, 3, 4, 5])]),
    map: new Map<any, any>([[1, 'one'], ['k', w], [2n ** 64n, null], [false, 1], [null, 2], [torch.serialization.tuple([1, 2]), 'pair']]),
    set: new Set([1, 2, 'x']),
    bytes: new Uint8Array([0, 1, 128, 255]),
    empty_bytes: Buffer.alloc(0),
    dtype: torch.bfloat16,
    device: new torch.device('cpu'),
    empty: { list: [], obj: {}, map: new Map() },
    long_list: Array.from({ length: 2500 }, (_, i) => i),
    cyclic_holder: cyclic,
  };
}

(pythonMissing ? describe.skip : describe)(`Python's torch.load reads what torch.save writes${pythonMissing ? ` (skipped: ${pythonMissing})` : ''}`, () => {
  test('every mapping of JS values, checked value by value in Python', () => {
    const obj = sample();
    delete obj.cyclic_holder; // Python can load a cycle, but describe.py cannot print one
    const files = [path.join(dir, 'sample.pt')];
    torch.save(obj, files[0]);
    const [a] = pythonDescribe(files);
    expect(a.error).toBeUndefined();
    expectMatches(obj, a.ok, 'save');
  });

  test('every Python fixture survives a round trip through torch-node unchanged', () => {
    const files = loadable.map((name) => {
      const v = torch.load(fixture(name));
      const out = path.join(dir, `rt_${name}`);
      torch.save(v, out);
      torch.dispose(v);
      return out;
    });
    const got = pythonDescribe(files);
    loadable.forEach((name, i) => {
      expect({ name, error: got[i].error }).toEqual({ name, error: undefined });
      expect(normalize(got[i].ok)).toEqual(normalize(EXPECTED[name].value));
    });
  });

  test('the archive has PyTorch\'s layout: names, 64-byte aligned data, exact CRCs, version 3', () => {
    const f = path.join(dir, 'layout.pt');
    const sd = torch.load(fixture('state_dict.pt'));
    torch.save(sd, f);
    const py = `
import sys, zipfile, struct, json
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
raw = open(sys.argv[1], 'rb').read()
offs = []
for i in z.infolist():
    n, x = struct.unpack('<HH', raw[i.header_offset + 26:i.header_offset + 30])
    offs.append(i.header_offset + 30 + n + x)
print(json.dumps({'bad': bad, 'names': z.namelist(), 'methods': sorted({i.compress_type for i in z.infolist()}),
                  'aligned': all(o % 64 == 0 for o in offs), 'version': z.read('archive/version').decode(),
                  'byteorder': z.read('archive/byteorder').decode()}))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', py, f], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout);
    expect(info.bad).toBeNull();
    expect(info.methods).toEqual([0]);
    expect(info.aligned).toBe(true);
    expect(info.version).toBe('3\n');
    expect(info.byteorder).toBe('little');
    expect(info.names[0]).toBe('archive/data.pkl');
    expect(info.names.filter((n: string) => n.startsWith('archive/data/'))).toHaveLength(Object.keys(sd).length);
    torch.dispose(sd);
  });
});

describe('torch.save and torch.load round trip in torch-node', () => {
  test('values, sharing and cycles come back', () => {
    const obj = sample();
    obj.cyclic_holder.push(obj.cyclic_holder);
    const f = path.join(dir, 'js.pt');
    torch.save(obj, f);
    const back = torch.load(f);
    expect(back.cyclic_holder[1]).toBe(back.cyclic_holder);
    expect(back.again).toBe(back.w);
    expect(storageId(back.views.t)).toBe(storageId(back.views.base));
    expect(back.w.tolist()).toEqual(obj.w.tolist());
    expect(back.map).toBeInstanceOf(Map);
    expect(back.map.get(1)).toBe('one');
    expect(back.big.map(BigInt)).toEqual(obj.big); // ints within ±(2^53 - 1) load as numbers
    expect(typeof back.big[2]).toBe('number');
    expect(back.numbers.slice(0, 3)).toEqual([3, 1.5, -0]);
    expect(Buffer.from(back.bytes)).toEqual(Buffer.from(obj.bytes));
    expect(back.set).toEqual(obj.set);
    expect(back.dtype).toBe(torch.bfloat16);
    expect(back.long_list).toEqual(obj.long_list);
    torch.dispose([obj, back]);
  });

  test('what cannot be saved is a TypeError, and nothing is left behind', () => {
    const f = path.join(dir, 'bad.pt');
    expect(() => torch.save({ f: () => 1 }, f)).toThrow(TypeError);
    expect(() => torch.save(new Date(), f)).toThrow(/cannot save a Date/);
    expect(() => torch.save(Symbol('s'), f)).toThrow(TypeError);
    expect(() => torch.save(new Float32Array(2), f)).toThrow(TypeError);
    const t: any[] = torch.serialization.tuple([]);
    t.push(t);
    expect(() => torch.save(t, f)).toThrow(/contains itself/);
    expect(() => torch.save({}, f, { pickle_protocol: 4 })).toThrow(TypeError);
    expect(() => torch.save({}, f, { _use_new_zipfile_serialization: false })).toThrow(TypeError);
    expect(() => torch.save({}, 42 as any)).toThrow(TypeError);
    expect(() => torch.save({}, path.join(dir, 'no', 'such', 'dir.pt'))).toThrow(torch.TorchError);
    const d = torch.tensor([1]);
    d.dispose();
    expect(() => torch.save([d], f)).toThrow(torch.TorchError);
  });
});
