// OnDelete on the real cluster: a template change replaces no pod during the watched
// window; kill-pod then brings that pod back on the new revision, the others stay old.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  dropNamespace,
  IMAGE,
  K8S_MINOR,
  K8S_VERSION,
  kubectl,
  kubectlJson,
  sts,
  stsJson,
  uniqueName,
} from './harness.ts';

const ns = uniqueName('e2e-ondelete');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
const json = (args: string[]) => stsJson([...flags, ...args]);
const pods = async () =>
  (await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts'])).items as {
    metadata: { name: string; uid: string; labels: Record<string, string> };
  }[];

test('OnDelete: the template changes, no pod moves by itself; a deleted pod comes back on the new revision', async () => {
  await json(['setup', '--image', IMAGE, '--replicas', '2', '--update-strategy', 'OnDelete']);
  const sts0 = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
  assert.equal(sts0.spec.updateStrategy.type, 'OnDelete');
  const before = await pods();
  const out = await json(['update']);
  assert.equal(out.strategy, 'OnDelete');
  assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
  assert.match(out.verdict.headline, /^OnDelete held: new revision \S+, and in 10s no pod was replaced$/);
  assert.deepEqual((await pods()).map((p) => p.metadata.uid).sort(), before.map((p) => p.metadata.uid).sort());
  const killed = await json(['kill-pod', '1']);
  assert.equal(killed.verdict.result, 'PASS', killed.verdict.why.join('\n'));
  const row = killed.comparison.find((c: { field: string }) => c.field.startsWith('revision'));
  assert.deepEqual([row.expected, row.after, row.ok], ['update revision', out.updateRevision, true]);
  const now = Object.fromEntries(
    (await pods()).map((p) => [p.metadata.name, p.metadata.labels['controller-revision-hash']]),
  );
  assert.equal(now['nginx-sts-1'], out.updateRevision);
  assert.notEqual(now['nginx-sts-0'], out.updateRevision, 'the pod nobody deleted stays on the old revision');
  const partition = await sts([...flags, 'update', '--partition', '1']);
  assert.equal(partition.code, 2, 'no partition under OnDelete');

  // Every pod on the update revision: from 1.37 the controller completes an OnDelete update too.
  assert.equal((await json(['kill-pod', '0'])).verdict.result, 'PASS');
  const waitFor = (path: string, value: string) =>
    kubectl(['wait', '-n', ns, 'statefulset/nginx-sts', `--for=jsonpath={.status.${path}}=${value}`, '--timeout=30s']);
  assert.equal((await waitFor('updatedReplicas', '2')).code, 0, 'the status never counted both pods updated');
  if (K8S_MINOR >= 37) await waitFor('currentRevision', out.updateRevision);
  const done = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
  const history = await json(['history']);
  assert.equal(history.updateRevision, out.updateRevision);
  assert.deepEqual(history.revisions.find((r: { name: string }) => r.name === out.updateRevision).pods, [
    'nginx-sts-0',
    'nginx-sts-1',
  ]);
  if (K8S_MINOR >= 37) {
    assert.equal(
      done.status.currentRevision,
      out.updateRevision,
      `${K8S_VERSION} moves currentRevision once every pod is updated`,
    );
    assert.equal(history.currentRevision, out.updateRevision);
  } else {
    assert.notEqual(
      done.status.currentRevision,
      out.updateRevision,
      `${K8S_VERSION} keeps an OnDelete set's first revision as current`,
    );
  }
});
