// Orphan and adopt on the real cluster: a StatefulSet deleted with propagationPolicy Orphan
// leaves its pods running, unowned, with the same UIDs; a deleted orphan stays deleted; setup
// makes a StatefulSet that adopts them (same UIDs, owner back, data intact); teardown still
// cleans up a lab that is only orphans.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, kubectl, kubectlJson, stsJson, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-orphan');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
type Pod = {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string; uid: string; controller?: boolean }[] };
};
const pods = async () =>
  Object.fromEntries(
    ((await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts'])).items as Pod[]).map((p) => [
      p.metadata.name,
      p,
    ]),
  );

test('orphan, then adopt, then tear down an orphaned lab', async (t) => {
  await stsJson([...flags, 'setup', '--image', IMAGE]);
  await stsJson([...flags, 'write-data']);
  const before = await pods();

  await t.test(
    'orphan --delete-pod 2: 0 and 1 run on with the same UIDs and no owner; 2 is not re-created',
    async () => {
      const out = await stsJson([...flags, 'orphan', '--delete-pod', '2']);
      assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
      assert.equal((await kubectl(['get', 'statefulset', 'nginx-sts', '-n', ns])).code, 1, 'the StatefulSet is gone');
      const now = await pods();
      assert.deepEqual(Object.keys(now).sort(), ['nginx-sts-0', 'nginx-sts-1']);
      for (const name of ['nginx-sts-0', 'nginx-sts-1']) {
        assert.equal(now[name]!.metadata.uid, before[name]!.metadata.uid);
        assert.equal(now[name]!.metadata.ownerReferences?.some((r) => r.controller) ?? false, false);
      }
      assert.deepEqual(out.deletedPod, { pod: 'nginx-sts-2', recreated: false, windowMs: 10000 });
    },
  );

  await t.test('setup adopts the orphans: same UIDs, the new StatefulSet as owner; the data survived', async () => {
    const out = await stsJson([...flags, 'setup', '--image', IMAGE]);
    const stsUid = (await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns])).metadata.uid;
    assert.deepEqual(
      out.adopted.map((a: { pod: string; uid: string }) => [a.pod, a.uid]),
      [
        ['nginx-sts-0', before['nginx-sts-0']!.metadata.uid],
        ['nginx-sts-1', before['nginx-sts-1']!.metadata.uid],
      ],
    );
    const now = await pods();
    for (const name of ['nginx-sts-0', 'nginx-sts-1'])
      assert.ok(now[name]!.metadata.ownerReferences!.some((r) => r.controller && r.uid === stsUid));
    assert.ok(now['nginx-sts-2'], 'the controller re-created the ordinal the orphan left');
    const persisted = await stsJson([...flags, 'check-persistence']);
    assert.equal(persisted.verdict.result, 'PASS', persisted.verdict.why.join('\n'));
  });

  await t.test('teardown of a lab that is only orphans deletes them too', async () => {
    await stsJson([...flags, 'orphan']);
    const out = await stsJson([...flags, 'teardown']);
    assert.deepEqual(
      out.removals
        .filter((r: { resource: string }) => r.resource.startsWith('pod/'))
        .map((r: { resource: string; action: string }) => `${r.resource} ${r.action}`)
        .sort(),
      ['pod/nginx-sts-0 deleted', 'pod/nginx-sts-1 deleted', 'pod/nginx-sts-2 deleted'],
    );
    assert.equal((await kubectl(['get', 'namespace', ns])).code, 1);
  });
});
