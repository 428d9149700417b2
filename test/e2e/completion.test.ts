// Shell completion as kubectl users get it: kubectl (>= 1.26) runs kubectl_complete-sts_lab
// (the helper every archive carries) for `kubectl sts-lab …<TAB>`; the lab's ordinals come
// from the cluster. And the bash script of `completion bash`, run by bash itself.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanEnv, dropNamespace, IMAGE, run, sts, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-complete');
after(() => dropNamespace(ns));

// The helper exactly as the release archives ship it, beside the plugin on PATH.
const helperDir = mkdtempSync(join(tmpdir(), 'sts-lab-helper-'));
writeFileSync(
  join(helperDir, 'kubectl_complete-sts_lab'),
  '#!/bin/sh\n# kubectl runs this to complete `kubectl sts-lab ...`.\nexec kubectl-sts_lab __complete "$@"\n',
  { mode: 0o755 },
);
const env = () => cleanEnv({ PATH: `${helperDir}:${cleanEnv().PATH}` });
const complete = (...words: string[]) => run('kubectl', ['__complete', 'sts-lab', ...words], { env: env() });
const candidates = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith(':'))
    .map((l) => l.split('\t')[0]);

test("kubectl completes subcommands, flag values and the lab's ordinals through the helper", async () => {
  const setup = await sts(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '2']);
  assert.equal(setup.code, 0, setup.stderr);
  const ki = await complete('ki');
  assert.deepEqual(candidates(ki.stdout), ['kill-pod']);
  assert.match(ki.stdout, /^:4$/m, 'no file names');
  assert.deepEqual(candidates((await complete('op')).stdout), ['options'], 'the global flags command too');
  const pods = await complete('-n', ns, 'kill-pod', '');
  assert.deepEqual(candidates(pods.stdout), ['0', '1']);
  assert.match(pods.stdout, /^0\tnginx-sts-0$/m);
  assert.deepEqual(candidates((await complete('-n', ns, 'check-persistence', '')).stdout), ['0', '1']);
  assert.deepEqual(candidates((await complete('status', '-o', '')).stdout), ['table', 'wide', 'json', 'yaml']);
  assert.deepEqual(candidates((await complete('status', '--color', '')).stdout), ['auto', 'always', 'never']);
  assert.ok(candidates((await complete('-n', '')).stdout).includes(ns), 'namespaces from the cluster');
  assert.ok(candidates((await complete('setup', '--st')).stdout).includes('--storage-class'));
  assert.deepEqual(
    candidates((await complete('-n', 'no-such-namespace', 'kill-pod', '')).stdout),
    [],
    'no lab, no ordinals, no error',
  );
});

test('completion bash: bash itself completes kubectl-sts_lab with it', async () => {
  const script = await sts(['completion', 'bash']);
  assert.equal(script.code, 0, script.stderr);
  const file = join(helperDir, 'completion.bash');
  writeFileSync(file, script.stdout);
  const r = await run(
    'bash',
    [
      '-c',
      `source ${file}; COMP_WORDS=(kubectl-sts_lab sc); COMP_CWORD=1; _kubectl_sts_lab; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { env: env() },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['scale']);
  for (const shell of ['zsh', 'fish', 'powershell']) {
    const s = await sts(['completion', shell]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, / __complete /);
  }
  const bad = await sts(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
});
