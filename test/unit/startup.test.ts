// --help, --version and usage errors must not load @kubernetes/client-node or listr2 (they
// are most of the start-up cost). Checked on the source module graph, whose dynamic imports
// are what keeps them lazy in the bundle too; `status` is the control that does load them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const MAIN = resolve(import.meta.dirname, '..', '..', 'src', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'sts-lab-startup-'));
const hook = join(dir, 'hook.mjs');
writeFileSync(
  hook,
  `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
globalThis.__VERSION__ = '0.0.0-startup';
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); appendFileSync(process.env.LOAD_LOG, r.url + '\\n'); return r; } });
`,
);

function loaded(...args: string[]): { urls: string[]; status: number | null } {
  const log = join(dir, `${args.join('_').replace(/\W/g, '')}.log`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', hook, MAIN, ...args], {
    env: { ...process.env, LOAD_LOG: log },
    encoding: 'utf8',
  });
  return { urls: readFileSync(log, 'utf8').split('\n').filter(Boolean), status: r.status };
}

const heavy = (urls: string[]) => urls.filter((u) => /node_modules\/(@kubernetes\/client-node|listr2)\//.test(u));

test('--help, --version and usage errors load neither client-node nor listr2', () => {
  for (const args of [['--help'], ['--version'], ['setup', '--replicas', 'abc'], ['bogus'], ['kill-pod', 'x']]) {
    const r = loaded(...args);
    assert.ok(r.urls.length > 0, 'the hook saw the module graph');
    assert.deepEqual(heavy(r.urls), [], `${args.join(' ')} loaded them`);
  }
});

test('control: a command that talks to a cluster does load client-node', () => {
  const r = loaded('status', '--kubeconfig', '/nonexistent/kubeconfig');
  assert.equal(r.status, 1);
  assert.ok(heavy(r.urls).some((u) => u.includes('@kubernetes/client-node')));
});
