// update on the real cluster: a canary (partition 2) moves only nginx-sts-2, a pod below
// the partition killed comes back on the old revision, lowering the partition continues the
// same roll-out top down, a full update replaces 2, 1, 0 in that
// order, pods below a partition keep their UIDs, and the data survives every update.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  dropNamespace,
  IMAGE,
  K8S_VERSION,
  kubectlJson,
  MAX_UNAVAILABLE_ON,
  sts,
  stsJson,
  uniqueName,
} from './harness.ts';

const ns = uniqueName('e2e-update');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
const json = (args: string[]) => stsJson([...flags, ...args]);
const uids = async () => {
  const pods = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
  return Object.fromEntries(
    pods.items.map((p: { metadata: { name: string; uid: string } }) => [p.metadata.name, p.metadata.uid]),
  );
};
const moved = (out: { pods: { pod: string; newUid: string | null; created: string | null }[] }) =>
  out.pods
    .filter((p) => p.newUid)
    .sort((a, b) => Date.parse(a.created!) - Date.parse(b.created!))
    .map((p) => p.pod);

test('rolling updates, proved from the watch', async (t) => {
  await json(['setup', '--image', IMAGE]);
  await json(['write-data']);

  await t.test('a canary (partition 2) replaces nginx-sts-2 only; 0 and 1 keep their UIDs and revision', async () => {
    const before = await uids();
    const out = await json(['update', '--partition', '2']);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    assert.deepEqual(moved(out), ['nginx-sts-2']);
    const now = await uids();
    assert.equal(now['nginx-sts-0'], before['nginx-sts-0']);
    assert.equal(now['nginx-sts-1'], before['nginx-sts-1']);
    assert.notEqual(now['nginx-sts-2'], before['nginx-sts-2']);
    const sts0 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    assert.equal(sts0.status.updateRevision, out.updateRevision);
    assert.notEqual(
      sts0.status.currentRevision,
      out.updateRevision,
      'a staged roll-out: the old revision is still current',
    );
  });

  await t.test('history: two revisions, the canary on the new one, the rest on the old', async () => {
    const out = await json(['history']);
    assert.deepEqual(
      out.revisions.map((r: { revision: number; pods: string[]; current: boolean; update: boolean }) => [
        r.revision,
        r.pods,
        r.current,
        r.update,
      ]),
      [
        [1, ['nginx-sts-0', 'nginx-sts-1'], true, false],
        [2, ['nginx-sts-2'], false, true],
      ],
    );
    assert.match(out.revisions[1].change, /^annotation sts-lab\/updated-at: none → /);
  });

  await t.test('kill-pod below the partition: the pod comes back on the old revision', async () => {
    const sts0 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    const out = await json(['kill-pod', '1']);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    const row = out.comparison.find((c: { field: string }) => c.field.startsWith('revision'));
    assert.deepEqual(
      [row.expected, row.before, row.after, row.ok],
      ['current revision', sts0.status.currentRevision, sts0.status.currentRevision, true],
    );
    assert.notEqual(row.after, sts0.status.updateRevision);
  });

  await t.test('lowering the partition continues the same roll-out: 1, then 0', async () => {
    const out = await json(['update', '--partition', '0']);
    assert.equal(out.continued, true);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    assert.deepEqual(moved(out), ['nginx-sts-1', 'nginx-sts-0']);
  });

  await t.test('a full update replaces 2, 1, 0 in that order, each after the one above is Ready', async () => {
    const out = await json(['update']);
    assert.equal(out.continued, false);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    assert.deepEqual(moved(out), ['nginx-sts-2', 'nginx-sts-1', 'nginx-sts-0']);
    assert.equal(out.verdict.checks.filter((c: { detail: string }) => /touched only after/.test(c.detail)).length, 2);
  });

  if (MAX_UNAVAILABLE_ON) {
    await t.test(
      `--max-unavailable 2 on ${K8S_VERSION}: the server keeps it, 2 and 1 go together, never more than 2 pods down`,
      async () => {
        const sts0 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
        assert.equal(
          sts0.spec.updateStrategy.rollingUpdate.maxUnavailable,
          1,
          'with the gate on, the server defaults maxUnavailable to 1',
        );
        const out = await json(['update', '--max-unavailable', '2']);
        assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
        assert.deepEqual(out.maxUnavailable, { requested: 2, onServer: 2, effective: 2, peakUnavailable: 2 });
        // Commit order, not clocks: 2 and 1 are deleted in one sync of the controller.
        const details = out.verdict.checks.map((c: { detail: string }) => c.detail);
        assert.ok(details.includes('nginx-sts-1 began terminating after nginx-sts-2 did'), details.join('\n'));
        assert.ok(details.includes('nginx-sts-0 began terminating after nginx-sts-1 did'), details.join('\n'));
        const sts1 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
        assert.equal(sts1.spec.updateStrategy.rollingUpdate.maxUnavailable, 2);
      },
    );
  } else {
    await t.test(
      `--max-unavailable 2 on ${K8S_VERSION} (gate off by default): N/A naming the server, the roll-out still judged`,
      async () => {
        const out = await json(['update', '--max-unavailable', '2']);
        assert.equal(out.verdict.result, 'N/A', out.verdict.why.join('\n'));
        assert.equal(
          out.verdict.headline,
          `maxUnavailable 2 not judged: the API server (${K8S_VERSION}) dropped spec.updateStrategy.rollingUpdate.maxUnavailable`,
        );
        assert.match(out.verdict.why.join('\n'), /beta but off by default|alpha and off by default/);
        const sts1 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
        assert.equal(sts1.spec.updateStrategy.rollingUpdate?.maxUnavailable, undefined);
      },
    );
  }

  await t.test('the data survived every update: same claims, same volumes, same bytes', async () => {
    const out = await json(['check-persistence']);
    assert.equal(out.verdict.result, 'PASS');
    assert.ok(out.pods.every((p: { podRecreated: boolean }) => p.podRecreated));
  });

  await t.test('bad input changes nothing', async () => {
    const before = await uids();
    for (const bad of [
      ['--partition', 'abc'],
      ['--image', 'UPPER:::x'],
      ['--partition'],
      ['--max-unavailable', '0'],
      ['--max-unavailable', '101%'],
    ]) {
      const r = await sts([...flags, 'update', ...bad]);
      assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
    }
    assert.deepEqual(await uids(), before);
  });
});
