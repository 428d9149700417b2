// A broken update and its forced rollback on the real cluster: the roll-out stalls at the top
// ordinal with the kubelet's words for why, restoring the template leaves the broken pod stuck
// (this cluster's controller waits for it), --delete-stuck frees it, and the data survives.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, kubectlJson, sts, stsJson, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-rollback');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
const json = async (args: string[]) => {
  const r = await sts([...flags, ...args, '-o', 'json']);
  return { code: r.code, out: JSON.parse(r.stdout || '{}'), stderr: r.stderr };
};
const labPods = async () =>
  (await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts'])).items as {
    metadata: { name: string; uid: string; labels: Record<string, string> };
  }[];
const uidsOf = (pods: Awaited<ReturnType<typeof labPods>>) =>
  Object.fromEntries(pods.map((p) => [p.metadata.name, p.metadata.uid]));

test('a broken update stalls at the top ordinal; rollback restores the template; --delete-stuck completes it', async (t) => {
  await stsJson([...flags, 'setup', '--image', IMAGE]);
  await stsJson([...flags, 'write-data']);
  const sts0 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
  const good = sts0.status.updateRevision as string;
  const before = uidsOf(await labPods());

  await t.test("update --break: FAIL, stalled at nginx-sts-2 with the probe's failure; 0 and 1 untouched", async () => {
    const { code, out, stderr } = await json(['update', '--break']);
    assert.equal(code, 1, stderr);
    assert.equal(out.verdict.result, 'FAIL');
    assert.equal(out.stalled.pod, 'nginx-sts-2');
    assert.match(out.stalled.detail, /^Readiness probe failed: dial tcp [\d.]+:1: connect: connection refused/);
    assert.ok(
      out.verdict.checks.every((c: { ok: boolean }) => c.ok),
      JSON.stringify(out.verdict.checks),
    );
    assert.match(
      out.verdict.headline,
      /^Roll-out stalled at nginx-sts-2 \(Running, not Ready\); nginx-sts-0, nginx-sts-1 untouched for \d+\.\ds$/,
    );
    const now = uidsOf(await labPods());
    assert.equal(now['nginx-sts-0'], before['nginx-sts-0']);
    assert.equal(now['nginx-sts-1'], before['nginx-sts-1']);
    assert.notEqual(now['nginx-sts-2'], before['nginx-sts-2']);
  });

  await t.test('update refuses to start another roll-out over the stuck pod', async () => {
    const r = await sts([...flags, 'update']);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: nginx-sts-2 not Ready: an update now would mix a stuck pod into the proof\nhint: after a stalled update: kubectl sts-lab rollback/,
    );
  });

  await t.test('rollback: the template is restored, and the broken pod stays stuck on this cluster', async () => {
    const { code, out } = await json(['rollback']);
    assert.equal(code, 1);
    assert.equal(out.restored, true);
    assert.equal(out.updateRevision, good, 'the restored template is the old revision again');
    assert.deepEqual(out.stuck, ['nginx-sts-2']);
    assert.deepEqual(out.deleted, []);
    assert.match(out.verdict.headline, /^Rollback not complete: nginx-sts-2 still off revision/);
    const sts1 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    assert.deepEqual(
      sts1.spec.template.spec.containers[0].readinessProbe,
      sts0.spec.template.spec.containers[0].readinessProbe,
      'the probe before --break is back',
    );
    const stuck = (await labPods()).find((p) => p.metadata.name === 'nginx-sts-2')!;
    assert.notEqual(stuck.metadata.labels['controller-revision-hash'], good);
  });

  await t.test(
    'rollback --delete-stuck: nginx-sts-2 deleted and back on the old revision; every pod Ready on it',
    async () => {
      const { code, out, stderr } = await json(['rollback', '--delete-stuck']);
      assert.equal(code, 0, stderr);
      assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
      assert.equal(out.restored, false);
      assert.deepEqual(out.deleted, ['nginx-sts-2']);
      assert.deepEqual(
        out.pods.map((p: { action: string }) => p.action),
        ['untouched', 'untouched', 'deleted by sts-lab'],
      );
      const pods = await labPods();
      assert.deepEqual(
        pods.map((p) => p.metadata.labels['controller-revision-hash']),
        [good, good, good],
      );
    },
  );

  await t.test('the data survived the broken update and the rollback', async () => {
    const out = await stsJson([...flags, 'check-persistence']);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
  });

  await t.test('history: the restored revision took a new number, no revision was added for it', async () => {
    const out = await stsJson([...flags, 'history']);
    const rows = out.revisions as { revision: number; name: string; pods: string[] }[];
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.at(-1)!.name, good);
    assert.deepEqual(rows.at(-1)!.pods, ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2']);
    assert.equal(rows.at(-1)!.revision, 3);
  });

  await t.test(
    'bad input: a revision that is not there is an error, a non-number a usage error; nothing changes',
    async () => {
      const uids = uidsOf(await labPods());
      const missing = await sts([...flags, 'rollback', '--to-revision', '99']);
      assert.equal(missing.code, 1);
      assert.match(
        missing.stderr,
        /^error: revision 99 not found: this StatefulSet has revisions 2, 3 \(kubectl sts-lab history\)\n$/,
      );
      const bad = await sts([...flags, 'rollback', '--to-revision', 'x']);
      assert.equal(bad.code, 2);
      assert.deepEqual(uidsOf(await labPods()), uids);
    },
  );
});
