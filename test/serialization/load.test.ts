/**
 * torch.load of files written by Python's torch.save (test/fixtures/make_serialization.py): every
 * value, dtype, shape, stride and storage sharing is compared with what Python's torch.load gives.
 * Hostile and corrupt files must fail with a TorchError and run nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { native } from '../../lib/binding';
import { EXPECTED, fixture, expectMatches, storageId, requiresGrad, tmpdir } from './helpers';

const loadable = Object.keys(EXPECTED).filter((k) => EXPECTED[k].value !== undefined);

describe('torch.load of files written by Python', () => {
  test.each(loadable)('%s matches what Python loads', (name) => {
    const v = torch.load(fixture(name));
    expectMatches(v, EXPECTED[name].value, 'load');
    torch.dispose(v);
  });

  test.each(loadable)('%s matches with check_crc (bytes checked in JS, views made afterwards)', (name) => {
    const v = torch.load(fixture(name), { check_crc: true });
    expectMatches(v, EXPECTED[name].value, 'load');
    torch.dispose(v);
  });

  test('a state_dict loads as a plain object in key order, with _metadata kept out of the keys', () => {
    const sd = torch.load(fixture('state_dict.pt'));
    const keys = EXPECTED['state_dict.pt'].value.__dict__.map(([k]: [string]) => k);
    expect(Object.keys(sd)).toEqual(keys);
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(sd._metadata).toBeDefined();
    expect(Object.keys(sd)).not.toContain('_metadata');
    expect(sd['bn.num_batches_tracked'].dtype).toBe(torch.int64);
    torch.dispose(sd);
  });

  test('views of one storage share one storage after loading', () => {
    const v = torch.load(fixture('shared.pt'));
    const base = storageId(v.base);
    for (const k of ['slice', 'grid', 't', 'cols']) expect(storageId(v[k])).toBe(base);
    expect(storageId(v.other)).not.toBe(base);
    expect(v.t.is_contiguous()).toBe(false);
    torch.dispose(v);
  });

  test('the same tensor referenced twice is one Tensor object', () => {
    const v = torch.load(fixture('nested.pt'));
    expect(v.again).toBe(v.list[0]);
    expect(v.intkeys).toBeInstanceOf(Map);
    expect(torch.serialization.isTuple(v.empty_tuple)).toBe(true);
    expect(typeof v.big).toBe('bigint');
    torch.dispose(v);
  });

  test('parameters come back as nn.Parameter, with requires_grad', () => {
    const [p, q, r] = torch.load(fixture('params.pt'));
    expect([requiresGrad(p), requiresGrad(q), requiresGrad(r)]).toEqual([true, false, true]);
    expect([p instanceof torch.nn.Parameter, q instanceof torch.nn.Parameter, r instanceof torch.nn.Parameter]).toEqual([true, true, false]);
    torch.dispose([p, q, r]);
  });

  test('loads from a Buffer and with map_location', () => {
    const bytes = fs.readFileSync(fixture('state_dict.pt'));
    for (const map_location of ['cpu', new torch.device('cpu'), { cpu: 'cpu' }, undefined]) {
      const sd = torch.load(bytes, { map_location });
      expectMatches(sd, EXPECTED['state_dict.pt'].value, 'load');
      expect(sd['fc.weight'].device.type).toBe('cpu');
      torch.dispose(sd);
    }
  });

  test('map_location to CUDA without CUDA is a clear TorchError', () => {
    if ((require('../../lib/binding').native._cuda_info()[0] as boolean)) return;
    expect(() => torch.load(fixture('state_dict.pt'), { map_location: 'cuda:0' })).toThrow(/torch.cuda.is_available\(\) is False/);
  });

  test('bad options are TypeErrors', () => {
    expect(() => torch.load(fixture('state_dict.pt'), { bogus: 1 } as any)).toThrow(TypeError);
    expect(() => torch.load(fixture('state_dict.pt'), { map_location: (() => 'cpu') as any })).toThrow(TypeError);
    expect(() => torch.load(42 as any)).toThrow(TypeError);
  });
});

describe('hostile files', () => {
  const marker = '/tmp/torch_node_pwned';
  const refused = Object.keys(EXPECTED).filter((k) => EXPECTED[k].refused !== undefined);
  test.each(refused)('%s is refused with a TorchError naming the global, and nothing runs', (name) => {
    if (fs.existsSync(marker)) fs.unlinkSync(marker);
    const before = torch.live_tensors().count;
    let err: unknown;
    try {
      torch.load(fixture(name));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(torch.TorchError);
    expect((err as Error).message).toContain(`'${EXPECTED[name].refused}'`);
    expect(fs.existsSync(marker)).toBe(false);
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before); // GC may free earlier garbage meanwhile
  });

  const broken = Object.keys(EXPECTED).filter((k) => EXPECTED[k].error !== undefined);
  test.each(broken)('%s is a TorchError', (name) => {
    const before = torch.live_tensors().count;
    expect(() => torch.load(fixture(name))).toThrow(torch.TorchError);
    expect(() => torch.load(fixture(name))).toThrow(EXPECTED[name].error!);
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before); // GC may free earlier garbage meanwhile
  });
});

describe('corrupt files', () => {
  const good = fs.readFileSync(fixture('state_dict.pt'));
  const dir = tmpdir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const loadBytes = (b: Uint8Array): unknown => {
    const p = path.join(dir, 'f.pt');
    fs.writeFileSync(p, b);
    return torch.load(p);
  };

  test('every truncation is a TorchError', () => {
    const before = torch.live_tensors().count;
    for (let n = 0; n < good.length; n += Math.max(1, Math.floor(good.length / 97))) {
      expect(() => loadBytes(good.subarray(0, n))).toThrow(torch.TorchError);
      expect(() => torch.load(good.subarray(0, n))).toThrow(torch.TorchError);
    }
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before); // GC may free earlier garbage meanwhile
  });

  test('wrong magic number', () => {
    const b = Buffer.from(good);
    b.write('XXXX', 0, 'latin1');
    expect(() => torch.load(b)).toThrow(/invalid magic number/);
    expect(() => torch.load(Buffer.from('hello world, not a checkpoint'))).toThrow(/invalid magic number/);
    expect(() => torch.load(Buffer.alloc(0))).toThrow(/empty/);
  });

  test('a flipped byte in tensor data is caught with check_crc', () => {
    const b = Buffer.from(good);
    // PyTorch ends each record with a 16-byte data descriptor; the version record's local header
    // follows the last storage's descriptor, so this is the last storage's last byte.
    const at = b.lastIndexOf(Buffer.from('PK\x03\x04', 'latin1'), b.lastIndexOf(Buffer.from('version'))) - 17;
    b[at] ^= 0xff;
    expect(() => torch.load(b, { check_crc: true })).toThrow(/CRC-32 mismatch/);
    const p = path.join(dir, 'flipped.pt');
    fs.writeFileSync(p, b);
    expect(() => torch.load(p, { check_crc: true })).toThrow(/CRC-32 mismatch/);
    torch.dispose(torch.load(b)); // by default only the pickle's CRC is checked, as in PyTorch
  });

  test('random damage is always an error or a value, never a crash', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 3; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      try {
        torch.dispose(torch.load(b));
      } catch (e) {
        expect(e).toBeInstanceOf(torch.TorchError);
      }
    }
  });

  test('random damage inside the pickle (with a correct CRC) is always an error or a value', () => {
    // Rebuild fixtures with a mutated data.pkl and a matching CRC, so the unpickler sees the damage.
    const rebuild = (file: string, mutate: (pkl: Uint8Array) => Uint8Array): Uint8Array => {
      const buf = fs.readFileSync(fixture(file));
      const [, , recs] = native._ser_archive(buf, 1 << 30) as [string, number, [string, number, number][]];
      // The writer adds its own version record.
      const out = recs.filter(([name]) => name !== 'version' && name !== '.data/version' && name !== '.data/serialization_id').map(([name, offset, size]) => {
        const data = buf.subarray(offset, offset + size);
        return [name, name === 'data.pkl' ? mutate(data) : data];
      });
      return native._ser_write_archive(null, out);
    };
    let seed = 777;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const before = torch.live_tensors().count;
    let errors = 0;
    for (const file of ['state_dict.pt', 'nested.pt', 'shared.pt', 'protocol4.pt', 'params.pt']) {
      for (let i = 0; i < 150; i++) {
        const b = rebuild(file, (pkl) => {
          const m = Uint8Array.from(pkl);
          if (i % 5 === 0) return m.subarray(0, rand(m.length));
          for (let k = 0; k <= rand(3); k++) m[rand(m.length)] = rand(256);
          return m;
        });
        try {
          torch.dispose(torch.load(b));
        } catch (e) {
          if (!(e instanceof torch.TorchError)) throw new Error(`${file} #${i}: ${(e as Error).stack}`);
          errors++;
        }
      }
    }
    expect(errors).toBeGreaterThan(0);
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before); // GC may free earlier garbage meanwhile
  });

  test('the legacy (non-zip) format is refused with an explanation', () => {
    // The legacy format starts with a pickled magic number: PROTO 2, LONG1 ...
    expect(() => torch.load(Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]))).toThrow(/legacy/);
  });

  test('a missing file is a TorchError naming it', () => {
    expect(() => torch.load(path.join(dir, 'nope.pt'))).toThrow(/cannot open/);
  });
});
