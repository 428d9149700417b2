// The README's CI recipe, run as a CI job would run it: its shell block, word for word, with
// the release base URL pointed at the archives this run built (file://), an empty HOME and a
// PATH with nothing of sts-lab on it, against the local cluster. It is the only test that uses
// the smoke test's own namespace (sts-lab-smoke), as a job that passes no -n does.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { ADMIN_KUBECONFIG, IMAGE, KUBECTL_DIR, ROOT, run } from '../e2e/cluster-env.ts';
import { readJunit, validateJunit } from '../support/junit.ts';

const RELEASE = join(ROOT, 'release');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced block between <!-- NAME:begin --> and <!-- NAME:end --> in the README. */
function block(name: string): string {
  const m = new RegExp(`<!-- ${name}:begin -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(README);
  assert.ok(m, `README has no ${name} block`);
  return m[1]!;
}

/** The recipe in an empty job: its own HOME and working directory, the release at `releaseDir`. */
async function runRecipe(releaseDir: string) {
  const job = mkdtempSync(join(tmpdir(), 'sts-lab-ci-job-'));
  const script = join(job, 'sts-lab-smoke.sh');
  writeFileSync(script, block('ci-recipe'));
  const r = await run('bash', [script], {
    cwd: job,
    timeoutMs: 600_000,
    env: {
      PATH: [KUBECTL_DIR, '/usr/bin', '/bin'].join(':'),
      HOME: job,
      KUBECONFIG: ADMIN_KUBECONFIG,
      LANG: 'C.UTF-8',
      STS_LAB_RELEASE: `file://${releaseDir}`,
      // No registry is reachable here: the local image, as a mirror would be passed.
      STS_LAB_ARGS: `--image ${IMAGE}`,
    },
  });
  return { ...r, job, report: join(job, 'report.xml') };
}

test("the README's CI recipe installs the checked release and writes a JUnit report CI can read", async () => {
  const r = await runRecipe(RELEASE);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(r.job, '.local', 'bin', 'kubectl-sts_lab')), 'installed into $HOME/.local/bin');
  assert.match(r.stdout, /kubectl-sts_lab-linux-amd64\.tar\.gz: OK/);
  validateJunit(r.report);
  const suite = readJunit(r.report);
  assert.equal(suite.failures + suite.errors, 0);
  assert.ok(suite.tests >= 8, `${suite.tests} cases`);
  assert.deepEqual(
    suite.cases.filter((c) => c.classname === 'sts-lab.tour.limits').map((c) => [c.name, c.result]),
    [
      ['Within --max-recovery 2m0s', 'passed'],
      ['Within --max-attach 2m0s', 'passed'],
    ],
  );
  assert.equal(suite.properties['sts-lab.storageClass'], 'standard', 'the default class');
  const ns = await run('kubectl', ['get', 'namespace', 'sts-lab-smoke', '--ignore-not-found', '-o', 'name'], {
    env: { PATH: [KUBECTL_DIR, '/usr/bin', '/bin'].join(':'), KUBECONFIG: ADMIN_KUBECONFIG, HOME: r.job },
  });
  assert.equal(ns.stdout.trim(), '', 'the smoke namespace is gone');
});

test('an archive that does not match checksums.txt stops the recipe before anything runs', async () => {
  const tampered = mkdtempSync(join(tmpdir(), 'sts-lab-release-'));
  for (const f of ['kubectl-sts_lab-linux-amd64.tar.gz', 'checksums.txt']) cpSync(join(RELEASE, f), join(tampered, f));
  const sums = readFileSync(join(tampered, 'checksums.txt'), 'utf8');
  writeFileSync(
    join(tampered, 'checksums.txt'),
    sums.replace(/^[0-9a-f]{64}(?=\s+kubectl-sts_lab-linux-amd64\.tar\.gz)/m, '0'.repeat(64)),
  );
  const r = await runRecipe(tampered);
  assert.notEqual(r.code, 0);
  assert.match(r.stdout + r.stderr, /kubectl-sts_lab-linux-amd64\.tar\.gz: FAILED/);
  assert.equal(existsSync(join(r.job, '.local', 'bin', 'kubectl-sts_lab')), false);
  assert.equal(existsSync(r.report), false);
});

test("the README's GitHub Actions and GitLab jobs parse, run the recipe and keep the report when a row fails", () => {
  const github = parse(block('ci-github')) as {
    jobs: Record<string, { steps: { run?: string; uses?: string; if?: string; with?: { path?: string } }[] }>;
  };
  const steps = github.jobs['statefulset-smoke']!.steps;
  assert.ok(steps.some((s) => s.run === 'bash ci/sts-lab-smoke.sh'));
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
  assert.deepEqual([upload.if, upload.with?.path], ['always()', 'report.xml']);
  const gitlab = parse(block('ci-gitlab')) as Record<
    string,
    { script: string[]; artifacts: { when: string; reports: { junit: string } } }
  >;
  const job = gitlab['statefulset-smoke']!;
  assert.deepEqual(job.script, ['bash ci/sts-lab-smoke.sh']);
  assert.deepEqual([job.artifacts.when, job.artifacts.reports.junit], ['always', 'report.xml']);
});
