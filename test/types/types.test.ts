/**
 * The published declarations (dist/*.d.ts, what `import 'torch-node'` type-checks against):
 * test/types/usage.ts (typical PyTorch-style code) must compile, and every line of
 * test/types/wrong.ts marked `// @ts-expect-error` must be an error (tsc fails on an unused one).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

test('usage.ts type-checks and each wrong usage in wrong.ts is a type error', () => {
  expect(fs.existsSync(path.join(root, 'dist', 'index.d.ts'))).toBe(true); // built by `npm test`'s set-up
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120000);

test('wrong.ts holds wrong usages', () => {
  const text = fs.readFileSync(path.join(__dirname, 'wrong.ts'), 'utf8');
  expect((text.match(/@ts-expect-error/g) || []).length).toBeGreaterThanOrEqual(8);
});
