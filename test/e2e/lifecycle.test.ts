// setup → setup again → status → teardown → teardown again, on the real cluster.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, exists, IMAGE, kubectlJson, sts, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-life');
const flags = ['-n', ns, '--progress', 'plain'];
after(() => dropNamespace(ns));

test('lifecycle', async (t) => {
  await t.test('setup from nothing creates everything and waits for 3 Ready pods in order', async () => {
    const r = await sts([...flags, 'setup', '--image', IMAGE, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.applied.map((a: { kind: string; action: string }) => `${a.kind}:${a.action}`),
      ['namespace:created', 'service:created', 'statefulset.apps:created'],
    );
    assert.equal(out.pods.length, 3);
    for (const [i, p] of out.pods.entries()) {
      assert.equal(p.pod, `nginx-sts-${i}`);
      assert.equal(p.ready, true);
      assert.equal(p.pvcStatus, 'Bound');
      assert.ok(p.pv, 'claim bound to a volume');
      assert.equal(p.dns, `nginx-sts-${i}.nginx-headless.${ns}.svc.cluster.local`);
    }
    // Progress goes to stderr, one plain line per step.
    assert.match(r.stderr, /nginx-sts-2: Ready after/);
    const live = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    assert.equal(live.metadata.labels['app.kubernetes.io/managed-by'], 'sts-lab');
    assert.equal(live.spec.podManagementPolicy, 'OrderedReady');
    const svc = await kubectlJson(['get', 'service', 'nginx-headless', '-n', ns]);
    assert.equal(svc.spec.clusterIP, 'None');
    const namespace = await kubectlJson(['get', 'namespace', ns]);
    assert.equal(namespace.metadata.labels['app.kubernetes.io/managed-by'], 'sts-lab');
  });

  await t.test('setup again changes nothing and says unchanged', async () => {
    const before = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    const r = await sts([...flags, 'setup', '--image', IMAGE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /namespace\/\S+\s+unchanged/);
    assert.match(r.stdout, /service\/nginx-headless\s+unchanged/);
    assert.match(r.stdout, /statefulset\.apps\/nginx-sts\s+unchanged/);
    const afterwards = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    assert.equal(afterwards.metadata.resourceVersion, before.metadata.resourceVersion, 'not even touched');
  });

  await t.test('status shows the StatefulSet, the headless Service, pods, claims and DNS names', async () => {
    const r = await sts([...flags, 'status', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.deployed, true);
    assert.equal(s.statefulSet.replicas, 3);
    assert.equal(s.statefulSet.readyReplicas, 3);
    assert.ok(s.statefulSet.currentRevision?.startsWith('nginx-sts-'));
    assert.equal(s.service.headless, true);
    assert.equal(s.service.dns, `nginx-headless.${ns}.svc.cluster.local`);
    assert.deepEqual(
      s.pods.map((p: { pod: string }) => p.pod),
      ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2'],
    );
    const table = await sts([...flags, 'status', '--no-headers']);
    assert.equal(table.code, 0);
    assert.doesNotMatch(table.stdout, /ORDINAL|STATEFULSET/);
    assert.match(table.stdout, /nginx-sts-1\.nginx-headless\./);
  });

  await t.test('teardown scales down highest ordinal first and deletes everything it made', async () => {
    const r = await sts([...flags, 'teardown', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.deletionOrder, ['nginx-sts-2', 'nginx-sts-1', 'nginx-sts-0']);
    const actions = Object.fromEntries(
      out.removals.map((x: { resource: string; action: string }) => [x.resource, x.action]),
    );
    assert.equal(actions['statefulset.apps/nginx-sts'], 'deleted');
    assert.equal(actions['service/nginx-headless'], 'deleted');
    for (const i of [0, 1, 2]) assert.equal(actions[`persistentvolumeclaim/data-nginx-sts-${i}`], 'deleted');
    assert.equal(actions[`namespace/${ns}`], 'deleted');
    assert.equal(await exists('namespace', ns), false);
  });

  await t.test('teardown again finds nothing and still exits 0', async () => {
    const r = await sts([...flags, 'teardown', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(
      out.removals.every((x: { action: string }) => x.action === 'absent'),
      r.stdout,
    );
  });

  await t.test('status with nothing deployed says so and exits 0', async () => {
    const r = await sts([...flags, 'status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No lab in namespace/);
  });
});
