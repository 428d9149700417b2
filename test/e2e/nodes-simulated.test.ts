// The node lessons with namespace rights only (the cluster's limited user, an `edit` binding in
// one namespace): a real drain is refused in one line naming the permission, and the two
// simulations run and call themselves simulations. No node is touched, so this runs with the
// concurrent suite.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { errorLine, IMAGE, kubectlJson, LIMITED_KUBECONFIG, LIMITED_NAMESPACE, sts } from './harness.ts';

const as = ['--kubeconfig', LIMITED_KUBECONFIG, '-n', LIMITED_NAMESPACE, '--name', 'sim', '--service', 'sim-headless'];

after(() => sts([...as, 'teardown', '--progress', 'none']));

test('namespace rights only: drain and node-failure are refused in one line, their simulations pass', async (t) => {
  const setup = await sts([...as, 'setup', '--image', IMAGE, '--progress', 'none']);
  assert.equal(setup.code, 0, setup.stderr);
  assert.equal((await sts([...as, 'write-data', '--progress', 'none'])).code, 0);

  await t.test('drain without --simulate: refused before anything changes, naming the permission', async () => {
    const r = await sts([...as, 'drain', '1', '--progress', 'none']);
    assert.equal(r.code, 1);
    assert.match(errorLine(r), /patch nodes/);
    assert.match(r.stderr, /--simulate/);
    const budgets = await kubectlJson<{ items: unknown[] }>(['-n', LIMITED_NAMESPACE, 'get', 'poddisruptionbudgets']);
    assert.equal(budgets.items.length, 0, 'nothing was created before the refusal');
  });

  await t.test('node-failure without --simulate: refused, naming the permission', async () => {
    const r = await sts([...as, 'node-failure', '1', '--manual', '--progress', 'none']);
    assert.equal(r.code, 1);
    assert.match(errorLine(r), /nodes/);
    assert.match(r.stderr, /--simulate/);
  });

  await t.test('drain --simulate: the budget evicts one pod and refuses a second, and says it simulated', async () => {
    const r = await sts([...as, 'drain', '1', '--simulate', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.simulate, true);
    assert.equal(out.cordoned, false);
    assert.ok(out.evictions.some((e: { accepted: boolean }) => e.accepted));
    assert.equal(out.probe.whileAway.accepted, false, 'a second eviction is refused while nginx-sts-1 is away');
    assert.match(out.probe.whileAway.message, /disruption budget/);
    assert.equal(out.probe.after.accepted, true, 'allowed again once it is back');
    assert.ok(out.mostUnavailable <= 1);
    assert.equal(out.verdict.result, 'PASS', JSON.stringify(out.verdict, null, 2));
    assert.match(out.verdict.headline, /simulat/i);
  });

  await t.test('node-failure --simulate: a finalizer holds the pod, nothing is re-created until it goes', async () => {
    const r = await sts([...as, 'node-failure', '2', '--simulate', '--hold', '8s', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.simulation, 'finalizer hold');
    assert.equal(out.hold.secondPod, null);
    assert.ok(out.hold.oldStillThere);
    assert.ok(out.replacement.createdAfterOldGone);
    assert.ok(out.replacement.ready);
    assert.equal(out.verdict.result, 'PASS', JSON.stringify(out.verdict, null, 2));
    const pod = await kubectlJson<{ metadata: { finalizers?: string[] } }>([
      '-n',
      LIMITED_NAMESPACE,
      'get',
      'pod',
      'sim-2',
    ]);
    assert.deepEqual(pod.metadata.finalizers ?? [], [], 'the hold finalizer is gone');
  });
});
