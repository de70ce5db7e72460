/**
 * The data examples (examples/data/*.js) run as a user runs them (`node file.js`, in a fresh
 * temporary directory, against the compiled package dist/), exit 0 with nothing on stderr, and
 * print exactly what their Python originals print (test/fixtures/data_examples.json, made by
 * make_data_examples.py): random_augment.js trains on batches augmented in two DataLoader worker
 * threads, seeded as PyTorch seeds its worker processes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..', '..');
const haveDist = fs.existsSync(path.join(root, 'dist', 'utils', 'data', '_utils', 'worker_main.js'));
const EXP = JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'data_examples.json'), 'utf8'));

(haveDist ? describe : describe.skip)('data examples (needs dist/: node scripts/setup.js)', () => {
  test.each(['random_augment'])('%s.js prints what %s.py prints', (name) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-data-example-'));
    const r = spawnSync(process.execPath, [path.join(root, 'examples', 'data', `${name}.js`)], { cwd, encoding: 'utf8', timeout: 120000 });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(EXP[name]);
  }, 150000);
});
