// tour --part seed,updates,lifecycle: three parts in one run, one report. (`all` adds the nodes
// part, which cordons nodes: it runs in the serial phase, test/serial/nodes.test.ts.)
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharesClusterDns } from './cluster-env.ts';
import { cleanEnv, dropNamespace, IMAGE, run, sts, uniqueName } from './harness.ts';

sharesClusterDns();

test('tour --part seed,updates,lifecycle runs those parts in one go, --keep leaves the lab as the last step left it', async () => {
  const ns = uniqueName('e2e-tour-all');
  after(() => dropNamespace(ns));
  // Three parts back to back beside the other files take longer than one command's 7-minute bound.
  const tour = (args: string[]) => run('kubectl', ['sts-lab', ...args], { env: cleanEnv(), timeoutMs: 900_000 });
  const r = await tour([
    '-n',
    ns,
    '--progress',
    'none',
    'tour',
    '--part',
    'seed,updates,lifecycle',
    '--image',
    IMAGE,
    '--keep',
    '-o',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.parts, ['seed', 'updates', 'lifecycle']);
  assert.deepEqual(
    out.rows.map((x: { concept: string }) => x.concept),
    [
      'Ordered deployment',
      'Stable identity',
      'Headless Service DNS',
      'PVC per pod',
      'Stable storage',
      'Ordered scaling',
      'Ordered rolling update',
      'Partitioned roll-out',
      'Forced rollback',
      'OnDelete',
      'Data survives updates',
      // --keep: the two rows its teardown would prove are left out.
      'Scaling halts on an unhealthy pod',
      'DNS follows readiness',
      'Orphan and adopt',
      'Start ordinal',
    ],
  );
  assert.ok(
    out.rows.every((x: { result: string }) => x.result === 'PASS'),
    JSON.stringify(out.rows, null, 2),
  );
  assert.equal(out.steps.length, 9 + 12 + 14);
  const s = JSON.parse((await sts(['-n', ns, 'status', '-o', 'json'])).stdout);
  assert.equal(s.statefulSet.replicas, 3, 'the later parts brought the lab back to 3 replicas');
  assert.equal(s.statefulSet.startOrdinal, 1, 'the lifecycle part left the pods numbered from 1');
  assert.deepEqual(
    s.pods.map((p: { pod: string }) => p.pod),
    ['nginx-sts-1', 'nginx-sts-2', 'nginx-sts-3'],
  );
});
