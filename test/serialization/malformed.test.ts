/**
 * Malformed and hostile archives (test/fixtures/malformed/, made by test/fixtures/make_malformed.py
 * with the TorchError each must raise in manifest.json): every one is a clean TorchError with that
 * message from torch.load (path and bytes) and torch.load_async, and nothing stays allocated. The
 * 1 MB deflate bomb (a data.pkl that inflates to 1 GiB) is refused without a spike in peak RSS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as torch from '../../lib';

const DIR = path.join(__dirname, '..', 'fixtures', 'malformed');
const manifest: { expect: Record<string, string | null> } = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8'));
const bad = Object.entries(manifest.expect).filter(([, e]) => e !== null);

describe('malformed archives', () => {
  test('the corpus has what make_malformed.py lists', () => {
    for (const name of Object.keys(manifest.expect)) expect(fs.existsSync(path.join(DIR, name))).toBe(true);
    expect(bad.length).toBeGreaterThanOrEqual(12);
  });

  test('the control archive (the same records, rewritten by Python zipfile) loads', async () => {
    const sd = torch.load(path.join(DIR, 'control.pt'));
    expect(sd.w.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(sd.b.tolist()).toEqual([1.5, -2]);
    torch.dispose(sd);
    torch.dispose(await torch.load_async(path.join(DIR, 'control.pt')));
  });

  test.each(bad)('%s: TorchError /%s/', async (name, want) => {
    const file = path.join(DIR, name);
    const re = new RegExp(want as string);
    const before = torch.live_tensors().count;
    for (const f of [file, fs.readFileSync(file)]) {
      let err: unknown = null;
      try {
        torch.load(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(torch.TorchError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).toMatch(/^torch\.load: /);
      await expect(torch.load_async(f)).rejects.toThrow(re);
    }
    expect(torch.live_tensors().count).toBeLessThanOrEqual(before);
  });

  test('max_decompressed_bytes: a compressed pickle within the limit loads, above it is refused', () => {
    // deep_pickle.pt's data.pkl is deflated and inflates to 200002 bytes.
    expect(() => torch.load(path.join(DIR, 'deep_pickle.pt'), { max_decompressed_bytes: 200001 })).toThrow(/would inflate to 200002 bytes, more than max_decompressed_bytes \(200001 bytes\)/);
    expect(() => torch.load(path.join(DIR, 'deep_pickle.pt'), { max_decompressed_bytes: 200002 })).toThrow(/nested more than 1000 levels/);
    expect(() => torch.load(path.join(DIR, 'control.pt'), { max_decompressed_bytes: -1 })).toThrow(TypeError);
    expect(() => torch.load(path.join(DIR, 'control.pt'), { max_decompressed_bytes: '1' as any })).toThrow(TypeError);
  });

  test('the 1 MB deflate bomb is refused without a large peak-RSS rise (measured in a child)', () => {
    const bomb = path.join(DIR, 'deflate_bomb.pt');
    expect(fs.statSync(bomb).size).toBeLessThan(1.1e6);
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'load_peak.js'), bomb, path.join(DIR, 'control.pt')], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.error.name).toBe('TorchError');
    expect(r.error.message).toMatch(/max_decompressed_bytes/);
    // Refused before inflating: the peak grows by less than 16 MiB (the pickle would be 1 GiB)...
    expect(r.after - r.before).toBeLessThan(16 << 20);
    // ...and the same measurement does see a 64 MiB allocation.
    expect(r.touched - r.after).toBeGreaterThan(60 << 20);
  });
});
