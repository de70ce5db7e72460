/** DistributedSampler gives PyTorch's indices (test/fixtures/make_sampler.py) for every option. */
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';

const { DistributedSampler } = torch.utils.data;
const cases = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sampler.json'), 'utf8'));

describe('DistributedSampler', () => {
  test(`indices and length as PyTorch's (${cases.length} cases)`, () => {
    for (const c of cases) {
      const s = new DistributedSampler(Array.from({ length: c.n }, (_, i) => i), {
        num_replicas: c.num_replicas, rank: c.rank, shuffle: c.shuffle, seed: c.seed, drop_last: c.drop_last,
      });
      s.set_epoch(c.epoch);
      expect({ c, got: [...s] }).toEqual({ c, got: c.indices });
      expect(s.length).toBe(c.len);
    }
  });
  test('bad arguments', () => {
    expect(() => new DistributedSampler([1, 2], { num_replicas: 2, rank: 2 })).toThrow('Invalid rank 2, rank should be in the interval [0, 1]');
    expect(() => new DistributedSampler([1, 2], { num_replicas: 2, rank: 0, bogus: 1 } as any)).toThrow(TypeError);
    expect(() => new DistributedSampler([1, 2])).toThrow(/has not been initialized/);
    expect(() => new DistributedSampler(null as any, { num_replicas: 1, rank: 0 })).toThrow(TypeError);
  });
});
