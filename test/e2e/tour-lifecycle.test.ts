// tour --part lifecycle on the real cluster: readiness halting a scale-up and hiding a DNS
// record, orphan and adopt, and the teardown's cascading delete and claims deleted by the
// controller's policy, ordinals renumbered from 1; its own report rows. Hands on: a learner
// types every kubectl command the tour shows (the lab's own actions are proved in tour-all).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharesClusterDns } from './cluster-env.ts';
import { cleanEnv, dropNamespace, exists, IMAGE, learner, run, uniqueName } from './harness.ts';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';

sharesClusterDns();

test('tour --part lifecycle --hands-on: every command shown works as typed, and every row passes from its own evidence', async () => {
  const ns = uniqueName('e2e-tour-life');
  after(() => dropNamespace(ns));
  const you = learner();
  const args = ['sts-lab', '-n', ns, '--progress', 'plain', 'tour', '--part', 'lifecycle', '--image', IMAGE];
  const r = await run('kubectl', [...args, '--hands-on', '-o', 'json'], { env: cleanEnv(), onStderr: you.onStderr });
  await you.idle();
  assert.equal(r.code, 0, r.stderr);
  const n = `kubectl -n ${ns}`;
  assert.deepEqual(
    you.typed.map((t) => t.command),
    [
      `${n} exec nginx-sts-1 -- touch /tmp/sts-lab-unready`,
      `${n} scale statefulset nginx-sts --replicas=5`,
      `${n} exec nginx-sts-1 -- rm -f /tmp/sts-lab-unready`,
      `${n} scale statefulset nginx-sts --replicas=3`,
      `${n} delete statefulset nginx-sts --cascade=orphan`,
      `${n} delete pod nginx-sts-2`,
      `${n} delete pods -l app=nginx-sts`,
      `${n} delete statefulset nginx-sts`,
    ],
  );
  for (const t of you.typed) assert.equal(t.code, 0, `${t.command}: ${t.output}`);
  const out = JSON.parse(r.stdout);
  sameShape('tour', documented().get('tour')!, out);
  timeConvention('tour', out);
  assert.deepEqual(out.parts, ['lifecycle']);
  assert.deepEqual(
    out.rows.map((x: { concept: string }) => x.concept),
    [
      'Scaling halts on an unhealthy pod',
      'DNS follows readiness',
      'Orphan and adopt',
      'Start ordinal',
      'Cascading delete order',
      'Claims deleted by the controller',
      'Cleanup',
    ],
  );
  assert.ok(
    out.rows.every((x: { result: string }) => x.result === 'PASS'),
    JSON.stringify(out.rows, null, 2),
  );
  const row = (c: string) => out.rows.find((x: { concept: string }) => x.concept === c).evidence as string;
  assert.equal(
    row('Scaling halts on an unhealthy pod'),
    'scale-up halted at nginx-sts-1, nothing created above it; once Ready: nginx-sts-3, nginx-sts-4 created in order',
  );
  assert.equal(row('DNS follows readiness'), 'nginx-sts-1 not Ready: nxdomain; Ready again: answer');
  assert.equal(
    row('Start ordinal'),
    'nginx-sts-1, nginx-sts-2 kept their UIDs, nginx-sts-3 created, nginx-sts-0 removed; re-created in order, first nginx-sts-1',
  );
  // The teardown runs on the renumbered pods: their claims go with the StatefulSet; the claim
  // nginx-sts-0 left behind is not owned, so sts-lab deletes it.
  assert.match(
    row('Claims deleted by the controller'),
    /^Claims deleted by the controller's policy: data-nginx-sts-1, data-nginx-sts-2, data-nginx-sts-3 went with the StatefulSet, sts-lab deleted none$/,
  );
  assert.equal(out.steps.length, 15);
  const by = out.steps.flatMap((x: { actions?: { by: string }[] }) => (x.actions ?? []).map((a) => a.by));
  assert.deepEqual(by, Array(you.typed.length).fill('learner'));
  assert.equal(await exists('namespace', ns), false);
});
