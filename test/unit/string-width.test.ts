import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { NARROW, narrowWidthFastPath } from '../../scripts/lib/string-width-fast.ts';

// Every string-width installed, so every one the bundle can carry (cliui's, yargs', listr2's helpers', cli-table3's).
const root = join(import.meta.dirname, '..', '..');
const entries = globSync('node_modules/**/string-width/index.js', { cwd: root }).map((f) => join(root, f));

const narrowCodePoints = (): number[] => {
  const re = new RegExp(`^${NARROW}$`);
  const all: number[] = [];
  for (let c = 0; c <= 0xffff; c++) if (re.test(String.fromCodePoint(c))) all.push(c);
  return all;
};

test('the fast path takes only characters every bundled string-width counts one column wide', async () => {
  const points = narrowCodePoints();
  assert.ok(points.length > 800, `${points.length} characters`);
  assert.ok(entries.length >= 2, entries.join(', '));
  for (const entry of entries) {
    const mod = (await import(pathToFileURL(entry).href)) as { default: (s: string) => number };
    const wide = points.filter((c) => mod.default(String.fromCodePoint(c)) !== 1);
    assert.deepEqual(
      wide.map((c) => c.toString(16)),
      [],
      entry,
    );
  }
});

test('the fast path is inserted into every bundled string-width, and gives the same widths', async () => {
  for (const entry of entries) {
    const source = readFileSync(entry, 'utf8');
    const patched = narrowWidthFastPath(source);
    assert.notEqual(patched, source, `${entry} changed shape`);
    assert.match(patched, /\.test\(\w+\)\) return \w+\.length;/);
  }
  const mod = (await import(
    pathToFileURL(join(root, 'node_modules', 'cliui', 'node_modules', 'string-width', 'index.js')).href
  )) as { default: (s: string, o?: object) => number };
  for (const s of [
    'kubectl sts-lab setup → 3 pods…',
    'nginx-sts-0 ░▒█ ready',
    '日本語',
    'a\u0301',
    '👍 ok',
    '\u001b[31mred\u001b[39m',
  ]) {
    assert.equal(
      /^[^\u001b]*$/.test(s) && new RegExp(`^${NARROW}*$`).test(s) ? s.length : mod.default(s),
      mod.default(s),
      s,
    );
  }
});
