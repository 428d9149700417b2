// A broken update and its rollback under Parallel: what the controller does with the stuck pod
// depends on the version (from 1.37, and before it with the MaxUnavailableStatefulSet gate off,
// it replaces an unavailable old-revision pod by itself). The verdict must say what this server
// did, and this test holds it to what this version is known to do.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  dropNamespace,
  IMAGE,
  K8S_MINOR,
  K8S_VERSION,
  kubectlJson,
  MAX_UNAVAILABLE_ON,
  sts,
  stsJson,
  uniqueName,
} from './harness.ts';

const ns = uniqueName('e2e-rollback-par');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
const selfHeals = K8S_MINOR >= 37 || !MAX_UNAVAILABLE_ON;

test(`Parallel on ${K8S_VERSION}: after rollback the controller ${selfHeals ? 'replaces the stuck pod by itself' : 'leaves the stuck pod stuck'}`, async () => {
  await stsJson([...flags, 'setup', '--image', IMAGE, '--parallel']);
  const good = (await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns])).status.updateRevision as string;
  const broken = await sts([...flags, 'update', '--break', '-o', 'json']);
  assert.equal(broken.code, 1, broken.stderr);
  assert.equal(JSON.parse(broken.stdout).verdict.result, 'FAIL');

  const r = await sts([...flags, 'rollback', '-o', 'json']);
  const out = JSON.parse(r.stdout);
  assert.equal(out.serverVersion, K8S_VERSION);
  assert.equal(out.podManagementPolicy, 'Parallel');
  assert.equal(out.expectedSelfHeal, selfHeals);
  assert.match(
    out.verdict.why.join('\n'),
    new RegExp(K8S_VERSION.replaceAll('.', '\\.')),
    'the verdict names the server version',
  );
  const revisions = (await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts'])).items.map(
    (p: { metadata: { labels: Record<string, string> } }) => p.metadata.labels['controller-revision-hash'],
  );
  if (selfHeals) {
    assert.equal(r.code, 0, out.verdict.why.join('\n'));
    assert.equal(out.verdict.result, 'PASS');
    assert.deepEqual(out.stuck, []);
    assert.deepEqual(out.deleted, [], 'sts-lab deleted nothing: the controller did it');
    assert.ok(
      out.pods.some((p: { action: string }) => p.action === 'replaced by the controller'),
      JSON.stringify(out.pods),
    );
    assert.deepEqual(revisions, [good, good, good]);
  } else {
    assert.equal(r.code, 1);
    assert.deepEqual(out.stuck, ['nginx-sts-2']);
    assert.notDeepEqual(revisions, [good, good, good]);
  }
});
