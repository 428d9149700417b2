// tour --part lifecycle on the real cluster: readiness halting a scale-up and hiding a DNS
// record, orphan and adopt, and the teardown's cascading delete and claims deleted by the
// controller's policy, ordinals renumbered from 1; its own report rows.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharesClusterDns } from './cluster-env.ts';
import { dropNamespace, exists, IMAGE, sts, uniqueName } from './harness.ts';
import { documented, sameShape, timeConvention } from '../support/json-shape.ts';

sharesClusterDns();

test('tour --part lifecycle passes every row from its own evidence, and cleans up', async () => {
  const ns = uniqueName('e2e-tour-life');
  after(() => dropNamespace(ns));
  const r = await sts(['-n', ns, '--progress', 'plain', 'tour', '--part', 'lifecycle', '--image', IMAGE, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
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
  assert.equal(await exists('namespace', ns), false);
});
