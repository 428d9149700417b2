// The lab's readiness switch on the real cluster: unready N makes the pod fail its readiness
// probe (the kubelet's event says why), the container keeps running, the EndpointSlice marks
// it not ready; ready N undoes it; a lab whose pods predate the switch is told what to do.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, kubectl, kubectlJson, sts, stsJson, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-ready');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
const pod = (name: string) => kubectlJson(['get', 'pod', name, '-n', ns]);
const endpointReady = async () => {
  const slices = await kubectlJson([
    'get',
    'endpointslices',
    '-n',
    ns,
    '-l',
    'kubernetes.io/service-name=nginx-headless',
  ]);
  return Object.fromEntries(
    slices.items.flatMap((s: { endpoints?: { hostname: string; conditions: { ready: boolean } }[] }) =>
      (s.endpoints ?? []).map((e) => [e.hostname, e.conditions.ready]),
    ),
  );
};
const rolledOut = () => kubectl(['rollout', 'status', 'statefulset/nginx-sts', '-n', ns, '--timeout', '120s']);

test("unready and ready flip one pod's readiness, and nothing else", async (t) => {
  await stsJson([...flags, 'setup', '--image', IMAGE]);
  const before = await pod('nginx-sts-1');

  await t.test(
    'unready 1: NotReady, same UID, no restart; the EndpointSlice lists it not ready; the event says why',
    async () => {
      const out = await stsJson([...flags, 'unready', '1']);
      assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
      assert.equal(out.want, 'NotReady');
      const now = await pod('nginx-sts-1');
      assert.equal(now.metadata.uid, before.metadata.uid);
      assert.equal(now.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'False');
      assert.equal(now.status.containerStatuses[0].restartCount, 0);
      assert.ok(now.status.containerStatuses[0].state.running);
      assert.deepEqual(await endpointReady(), { 'nginx-sts-0': true, 'nginx-sts-1': false, 'nginx-sts-2': true });
      const events = await kubectlJson([
        'get',
        'events',
        '-n',
        ns,
        '--field-selector',
        `involvedObject.uid=${now.metadata.uid},reason=Unhealthy`,
      ]);
      assert.ok(
        events.items.some((e: { message: string }) =>
          /^Readiness probe failed: the sts-lab readiness switch is off/.test(e.message),
        ),
      );
    },
  );

  await t.test('ready 1: Ready again, same UID; the EndpointSlice lists it ready', async () => {
    const out = await stsJson([...flags, 'ready', '1']);
    assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    assert.equal((await pod('nginx-sts-1')).metadata.uid, before.metadata.uid);
    assert.deepEqual(await endpointReady(), { 'nginx-sts-0': true, 'nginx-sts-1': true, 'nginx-sts-2': true });
  });

  await t.test('an ordinal the lab does not have is a usage error', async () => {
    const r = await sts([...flags, 'unready', '7']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: statefulset\.apps\/nginx-sts has 3 replicas \(ordinals 0\.\.2\): no ordinal 7$/m);
  });

  await t.test(
    'a lab made before the switch: unready says what to do; setup re-configures it and then it works',
    async () => {
      const old = [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/readinessProbe',
          value: { tcpSocket: { port: 'http' }, periodSeconds: 2 },
        },
        { op: 'replace', path: '/metadata/annotations/sts-lab~1spec-hash', value: 'made-by-an-older-sts-lab' },
      ];
      const patched = await kubectl([
        'patch',
        'statefulset',
        'nginx-sts',
        '-n',
        ns,
        '--type',
        'json',
        '-p',
        JSON.stringify(old),
      ]);
      assert.equal(patched.code, 0, patched.stderr);
      assert.equal((await rolledOut()).code, 0);
      const refused = await sts([...flags, 'unready', '1']);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /^error: pod nginx-sts-1 has no sts-lab readiness switch: .*\nhint: run `kubectl sts-lab setup`: it re-configures the StatefulSet/,
      );
      const setup = await stsJson([...flags, 'setup', '--image', IMAGE]);
      assert.equal(setup.applied.find((a: { kind: string }) => a.kind === 'statefulset.apps').action, 'configured');
      assert.equal((await rolledOut()).code, 0);
      const out = await stsJson([...flags, 'unready', '1']);
      assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
    },
  );
});
