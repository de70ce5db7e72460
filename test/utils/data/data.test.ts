import * as torch from '../../../lib';
const D = torch.utils.data;
const F = require('../../fixtures/optim_data.json');

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
process.removeAllListeners('warning');

describe('random_split is PyTorch\'s split for the same seed', () => {
  test('lengths, generator seeded 42', () => {
    const s = D.random_split(range(10), [3, 7], new torch.Generator().manual_seed(42));
    expect(s.map((x) => x.indices)).toEqual(F.random_split_42);
    expect(s[0].__getitem__(1)).toBe(F.random_split_42[0][1]);
    expect(s[1].__len__()).toBe(7);
  });
  test('fractions', () => {
    expect(D.random_split(range(30), [0.3, 0.3, 0.4], { generator: new torch.Generator().manual_seed(42) }).map((x) => x.indices)).toEqual(F.random_split_frac);
    expect(D.random_split(range(11), [0.5, 0.25, 0.25], new torch.Generator().manual_seed(7)).map((x) => x.indices)).toEqual(F.random_split_frac_remainder);
  });
  test('default generator after torch.manual_seed(0)', () => {
    torch.manual_seed(0);
    expect(D.random_split(range(12), [5, 7]).map((x) => x.indices)).toEqual(F.random_split_default_seed0);
  });
  test('bad lengths', () => {
    expect(() => D.random_split(range(10), [3, 3])).toThrow(RangeError);
    expect(() => D.random_split(range(10), [1.5, -0.5])).toThrow(RangeError);
    expect(() => D.random_split(range(10), 'x' as any)).toThrow(TypeError);
  });
});

describe('samplers draw PyTorch\'s orders', () => {
  test('RandomSampler with a generator (two epochs)', () => {
    const rs = new D.RandomSampler(range(10), { generator: new torch.Generator().manual_seed(3) });
    expect([[...rs], [...rs]]).toEqual(F.random_sampler_gen3);
    expect(rs.__len__()).toBe(10);
  });
  test('RandomSampler without a generator seeds itself from the default generator', () => {
    torch.manual_seed(5);
    expect([[...new D.RandomSampler(range(9))], [...new D.RandomSampler(range(9))]]).toEqual(F.random_sampler_default_seed5);
  });
  test('RandomSampler with replacement / num_samples', () => {
    expect([...new D.RandomSampler(range(10), true, 70, new torch.Generator().manual_seed(1))]).toEqual(F.random_sampler_replacement);
    expect([...new D.RandomSampler(range(4), { num_samples: 10, generator: new torch.Generator().manual_seed(2) })]).toEqual(F.random_sampler_num_samples);
  });
  test('SubsetRandomSampler, WeightedRandomSampler', () => {
    expect([...new D.SubsetRandomSampler([10, 20, 30, 40, 50], { generator: new torch.Generator().manual_seed(4) })]).toEqual(F.subset_random_sampler);
    const w = [0.1, 0.9, 0.4, 0.7, 3.0];
    expect([...new D.WeightedRandomSampler(w, 12, { generator: new torch.Generator().manual_seed(6) })]).toEqual(F.weighted_random_sampler);
    expect([...new D.WeightedRandomSampler(w, 4, false, { generator: new torch.Generator().manual_seed(6) })]).toEqual(F.weighted_random_sampler_norepl);
  });
  test('BatchSampler', () => {
    expect([...new D.BatchSampler(new D.SequentialSampler(range(10)), 3, false)]).toEqual(F.batch_sampler);
    const b = new D.BatchSampler(new D.SequentialSampler(range(10)), { batch_size: 3, drop_last: true });
    expect([...b]).toEqual(F.batch_sampler_drop_last);
    expect(b.__len__()).toBe(3);
  });
  test('bad arguments', () => {
    expect(() => new D.RandomSampler(range(3), { num_samples: 0 })).toThrow(RangeError);
    expect(() => new D.RandomSampler(range(3), { replacement: 1 as any })).toThrow(TypeError);
    expect(() => new D.RandomSampler(range(3), { generator: 42 as any })).toThrow(TypeError);
    expect(() => new D.BatchSampler(range(3), 0, false)).toThrow(RangeError);
    expect(() => new D.BatchSampler(range(3), 2, 'no' as any)).toThrow(RangeError);
    expect(() => new D.WeightedRandomSampler([[1, 2]] as any, 2)).toThrow(RangeError);
    expect(() => new D.WeightedRandomSampler([1, 2], -1)).toThrow(RangeError);
  });
});

function tensorDs() {
  return new D.TensorDataset(torch.arange(10), torch.arange(10).float().mul(0.5));
}

describe('DataLoader', () => {
  test('shuffle with a generator: PyTorch\'s batches for two epochs', () => {
    const dl = new D.DataLoader(tensorDs(), { batch_size: 4, shuffle: true, generator: new torch.Generator().manual_seed(11) });
    const epochs = [0, 1].map(() => [...dl].map((b: torch.Tensor[]) => b[0].tolist()));
    expect(epochs).toEqual(F.dataloader_shuffle_gen11);
    expect(dl.__len__()).toBe(3);
    expect(dl.length).toBe(3);
  });
  test('shuffle with the default generator, drop_last; the generator ends where PyTorch\'s does', () => {
    torch.manual_seed(12);
    const dl = new D.DataLoader(tensorDs(), 3, true, { drop_last: true });
    const epochs = [0, 1].map(() => [...dl].map((b: torch.Tensor[]) => b[0].tolist()));
    expect(epochs).toEqual(F.dataloader_shuffle_default_seed12);
    expect(torch.randperm(6).tolist()).toEqual(F.dataloader_after_default_seed12);
  });
  test('batches: stacked tensors of the right dtype', () => {
    const dl = new D.DataLoader(tensorDs(), { batch_size: 4 });
    const batches = [...dl];
    expect(batches.length).toBe(3);
    const [x, y] = batches[2];
    expect(x.dtype).toBe(torch.int64);
    expect(x.tolist()).toEqual([8, 9]);
    expect(y.dtype).toBe(torch.float32);
    expect(y.tolist()).toEqual([4, 4.5]);
  });
  test('default_collate follows PyTorch (JS integers -> int64, other numbers -> float64)', () => {
    const c = D.default_collate([
      { a: 1, b: 2.5, c: [1, 2.0], t: torch.tensor([1.0, 2.0]), s: 'x', o: true },
      { a: 3, b: -1.0, c: [3, 4.5], t: torch.tensor([3.0, 4.0]), s: 'y', o: false },
    ]);
    const want = F.default_collate;
    const desc = (t: torch.Tensor) => ({ dtype: String(t.dtype), shape: t.shape, values: t.tolist() });
    expect(desc(c.a)).toEqual(want.a);
    expect(desc(c.b)).toEqual(want.b);
    expect(c.c.map((t: torch.Tensor) => ({ dtype: String(t.dtype), values: t.tolist() }))).toEqual(want.c);
    expect(desc(c.t)).toEqual(want.t);
    expect(c.s).toEqual(want.s);
    expect(desc(c.o)).toEqual(want.o);
    // Typed arrays become tensors of their type, then are stacked; Maps stay Maps.
    const ta = D.default_collate([new Uint8Array([1, 2]), new Uint8Array([3, 4])]);
    expect(String(ta.dtype)).toBe('torch.uint8');
    expect(ta.shape).toEqual([2, 2]);
    const m = D.default_collate([new Map([['k', 1]]), new Map([['k', 2]])]);
    expect(m.get('k').tolist()).toEqual([1, 2]);
    expect(() => D.default_collate([[1, 2], [3]])).toThrow(RangeError);
    expect(() => D.default_collate([null, null])).toThrow(TypeError);
    expect(() => D.default_collate([1, 'a'])).toThrow(TypeError);
  });
  test('custom collate_fn, sampler, batch_sampler, batch_size null', () => {
    const ds = range(7).map((i) => ({ v: i }));
    const dl = new D.DataLoader(ds, { batch_size: 3, collate_fn: (b: any[]) => b.map((x) => x.v) });
    expect([...dl]).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const dl2 = new D.DataLoader(ds, { sampler: [6, 5, 4], batch_size: 2, collate_fn: (b: any[]) => b.map((x) => x.v) });
    expect([...dl2]).toEqual([[6, 5], [4]]);
    const dl3 = new D.DataLoader(ds, { batch_sampler: [[1, 3], [0]], collate_fn: (b: any[]) => b.map((x) => x.v) });
    expect([...dl3]).toEqual([[1, 3], [0]]);
    const dl4 = new D.DataLoader(range(3), { batch_size: null });
    expect([...dl4]).toEqual([0, 1, 2]);
  });
  test('iterable datasets', () => {
    class Stream extends D.IterableDataset<number> {
      *[Symbol.iterator]() {
        for (let i = 0; i < 7; i++) yield i;
      }
      __len__() {
        return 7;
      }
    }
    const dl = new D.DataLoader(new Stream(), { batch_size: 3 });
    expect([...dl].map((t: torch.Tensor) => t.tolist())).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(dl.__len__()).toBe(3);
    const dl2 = new D.DataLoader(new Stream(), { batch_size: 3, drop_last: true });
    expect([...dl2].length).toBe(2);
    expect(() => new D.DataLoader(new Stream(), { shuffle: true })).toThrow(RangeError);
  });
  test('ConcatDataset and Subset', () => {
    const c = new D.ConcatDataset([range(3), [10, 11]]);
    expect(c.__len__()).toBe(5);
    expect([0, 1, 2, 3, 4, -1].map((i) => c.__getitem__(i))).toEqual([0, 1, 2, 10, 11, 11]);
    const s = new D.Subset(c, [4, 0]);
    expect([s.__getitem__(0), s.__getitem__(1)]).toEqual([11, 0]);
    expect(() => s.__getitem__(2)).toThrow(RangeError);
  });
  test('bad arguments are clean errors', () => {
    const ds = tensorDs();
    expect(() => new D.DataLoader(ds, { batch_size: 0 })).toThrow(RangeError);
    expect(() => new D.DataLoader(ds, { shuffle: true, sampler: [0] })).toThrow(RangeError);
    expect(() => new D.DataLoader(ds, { batch_sampler: [[0]], batch_size: 2 })).toThrow(RangeError);
    expect(() => new D.DataLoader(ds, { batch_size: null, drop_last: true })).toThrow(RangeError);
    expect(() => new D.DataLoader(ds, { bogus: 1 } as any)).toThrow(TypeError);
    expect(() => new D.DataLoader(ds, { num_workers: -1 })).toThrow(RangeError);
    expect(() => new D.DataLoader(null as any)).toThrow(TypeError);
    expect(() => new D.DataLoader(42 as any)).toThrow(TypeError);
    expect(() => new D.TensorDataset(torch.zeros(3), torch.zeros(4))).toThrow(RangeError);
    expect(() => ds.__getitem__(10)).toThrow(RangeError);
    const asyncDs = { __getitem__: async (i: number) => i, __len__: () => 3 };
    expect(() => [...new D.DataLoader(asyncDs)]).toThrow(TypeError);
    expect(() => new D.DataLoader(ds, { dataset: ds } as any)).toThrow("DataLoader() got multiple values for argument 'dataset'");
    expect(() => new D.DataLoader(ds, { persistent_workers: true })).toThrow('persistent_workers option needs num_workers > 0');
  });
  test('all-keyword DataLoader({dataset, ...}) as Python\'s DataLoader(dataset=...)', () => {
    const ds = tensorDs();
    const g = () => new torch.Generator().manual_seed(11);
    const kw = [...new D.DataLoader({ dataset: ds, batch_size: 4, shuffle: true, generator: g() })].map((b) => b[0].tolist());
    expect(kw).toEqual(F.dataloader_shuffle_gen11[0]);
    expect(new D.DataLoader({ dataset: ds, batch_size: 4 }).dataset).toBe(ds);
    // A plain-object dataset (with __getitem__) is still a dataset, not options.
    const plain = { __getitem__: (i: number) => i, __len__: () => 3 };
    expect([...new D.DataLoader(plain)].map((b) => b.tolist())).toEqual([[0], [1], [2]]);
  });
});

describe('DataLoader: for await with prefetching', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('same batches as for...of, in order', async () => {
    const mk = () => new D.DataLoader(tensorDs(), { batch_size: 4, shuffle: true, generator: new torch.Generator().manual_seed(11) });
    const out: number[][] = [];
    for await (const b of mk()) out.push(b[0].tolist());
    expect(out).toEqual(F.dataloader_shuffle_gen11[0]);
  });

  test('async items of a batch and of the prefetched batches resolve concurrently', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const ds = {
      __len__: () => 16,
      __getitem__: async (i: number) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(20);
        inFlight--;
        return i;
      },
    };
    const dl = new D.DataLoader(ds, { batch_size: 4, prefetch_factor: 2 });
    const got: number[][] = [];
    for await (const b of dl) got.push(b.tolist());
    expect(got).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]);
    expect(maxInFlight).toBe(8); // two batches of four in flight
  });

  test('the next batches load while the consumer works', async () => {
    const events: string[] = [];
    const ds = {
      __len__: () => 4,
      __getitem__: async (i: number) => {
        events.push(`load ${i}`);
        await sleep(10);
        return i;
      },
    };
    const dl = new D.DataLoader(ds, { batch_size: 1, prefetch_factor: 1 });
    for await (const b of dl) {
      events.push(`work ${b.item()}`);
      await sleep(10); // the "training step"
      events.push(`done ${b.item()}`);
    }
    // Batch i+1 is requested before the consumer has finished batch i.
    for (let i = 0; i < 3; i++) expect(events.indexOf(`load ${i + 1}`)).toBeLessThan(events.indexOf(`done ${i}`));
    expect(events.filter((e) => e.startsWith('load')).length).toBe(4);
  });

  test('an error in a prefetched item surfaces at its batch', async () => {
    const ds = {
      __len__: () => 4,
      __getitem__: async (i: number) => {
        if (i === 2) throw new Error('bad item 2');
        return i;
      },
    };
    const seen: number[] = [];
    await expect((async () => {
      for await (const b of new D.DataLoader(ds, { batch_size: 1 })) seen.push(b.item());
    })()).rejects.toThrow('bad item 2');
    expect(seen).toEqual([0, 1]);
  });

  test('async iterable datasets', async () => {
    class AStream extends D.IterableDataset<number> {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < 5; i++) {
          await sleep(1);
          yield i;
        }
      }
    }
    const out: number[][] = [];
    for await (const b of new D.DataLoader(new AStream(), { batch_size: 2 })) out.push(b.tolist());
    expect(out).toEqual([[0, 1], [2, 3], [4]]);
    expect(() => [...new D.DataLoader(new AStream(), { batch_size: 2 })]).toThrow(TypeError);
  });
});

describe("len(): `length` on datasets and samplers, as on Tensor and the nn containers", () => {
  test('datasets and samplers report __len__() as length', () => {
    const ds = new D.TensorDataset(torch.arange(10), torch.arange(10));
    expect(ds.length).toBe(10);
    expect(new D.Subset(ds, [1, 2, 3]).length).toBe(3);
    expect(new D.ConcatDataset([ds, ds]).length).toBe(20);
    expect(new D.SequentialSampler(ds).length).toBe(10);
    expect(new D.RandomSampler(ds, { num_samples: 7 }).length).toBe(7);
    expect(new D.BatchSampler(new D.SequentialSampler(ds), 3, false).length).toBe(4);
    expect(new D.DataLoader(ds, { batch_size: 4 }).length).toBe(3);
  });
  test("a subclass's own __len__, or its length as a plain property", () => {
    class Squares extends D.Dataset<number> {
      __getitem__(i: number) { return i * i; }
      __len__() { return 5; }
    }
    expect(new Squares().length).toBe(5);
    class Stored extends D.Dataset<number> {
      constructor(n: number) { super(); this.length = n; }
      __getitem__(i: number) { return i; }
    }
    const s = new Stored(4);
    expect(s.length).toBe(4);
    expect(new D.DataLoader(s, { batch_size: 2 }).length).toBe(2);
  });
  test("no __len__ is Python's TypeError", () => {
    class Stream extends D.IterableDataset<number> {
      *[Symbol.iterator]() { yield 1; }
    }
    expect(() => new Stream().length).toThrow(new TypeError("object of type 'Stream' has no len()"));
  });
});
