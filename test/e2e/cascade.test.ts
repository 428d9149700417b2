// A cascading delete has no order, on the real cluster: teardown --no-scale-down deletes the
// StatefulSet with its pods and the watch sees them all terminating before any is gone; the
// usual teardown removes them highest first, and says why.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, flat, IMAGE, kubectlJson, sts, stsJson, uniqueName } from './harness.ts';

test('teardown --no-scale-down: every pod terminating at once; teardown: 2, 1, 0', async () => {
  const [a, b] = [uniqueName('e2e-cascade'), uniqueName('e2e-ordered')];
  after(() => Promise.all([dropNamespace(a), dropNamespace(b)]));
  await Promise.all([a, b].map((ns) => stsJson(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE])));
  const [cascade, ordered] = await Promise.all([
    stsJson(['-n', a, '--progress', 'none', 'teardown', '--no-scale-down']),
    sts(['-n', b, '--progress', 'none', 'teardown']),
  ]);
  assert.equal(cascade.cascade.verdict.result, 'PASS', cascade.cascade.verdict.headline);
  assert.match(
    cascade.cascade.verdict.headline,
    /^Cascading delete has no order: all 3 pods began terminating within \d+ms, before any was gone$/,
  );
  assert.equal(cascade.cascade.pods.length, 3);
  assert.equal(
    cascade.removals.find((r: { resource: string }) => r.resource === 'statefulset.apps/nginx-sts').action,
    'deleted',
  );
  assert.equal(ordered.code, 0, ordered.stderr);
  assert.match(
    flat(ordered.stdout),
    /Pods removed in order nginx-sts-2, nginx-sts-1, nginx-sts-0: teardown scales to 0 first, because deleting a StatefulSet with its pods removes them all at once/,
  );
});

test('whenDeleted: Delete: the claims are owned by the StatefulSet and the garbage collector deletes them, not sts-lab', async () => {
  const ns = uniqueName('e2e-gc-claims');
  after(() => dropNamespace(ns));
  const flags = ['-n', ns, '--progress', 'none'];
  await stsJson([...flags, 'setup', '--image', IMAGE, '--retention', 'whenDeleted=Delete']);
  const claims = await kubectlJson(['get', 'pvc', '-n', ns]);
  const stsUid = (await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns])).metadata.uid;
  assert.ok(
    claims.items.every((c: { metadata: { ownerReferences?: { uid: string }[] } }) =>
      c.metadata.ownerReferences?.some((r) => r.uid === stsUid),
    ),
    'every claim names the StatefulSet as an owner',
  );
  const keep = await sts([...flags, 'teardown', '--keep-pvcs']);
  assert.equal(keep.code, 1);
  assert.match(
    keep.stderr,
    /^error: --keep-pvcs cannot keep these claims: the StatefulSet owns them \(whenDeleted: Delete\)/,
  );
  const out = await stsJson([...flags, 'teardown']);
  assert.equal(out.claimsByController.verdict.result, 'PASS', out.claimsByController.verdict.why.join('\n'));
  assert.deepEqual(out.claimsByController.claims.map((c: { pvc: string }) => c.pvc).sort(), [
    'data-nginx-sts-0',
    'data-nginx-sts-1',
    'data-nginx-sts-2',
  ]);
  const pvcRows = out.removals.filter((r: { resource: string }) => r.resource.startsWith('persistentvolumeclaim/'));
  assert.equal(pvcRows.length, 3);
  assert.ok(
    pvcRows.every(
      (r: { detail: string }) =>
        r.detail === 'by the garbage collector: owned by StatefulSet/nginx-sts (whenDeleted: Delete)',
    ),
  );
});
