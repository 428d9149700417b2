// What CI does to a tool: a job killed mid-command (SIGKILL: no clean-up) and run again. The
// second run must follow what the cluster is still doing, then act and judge, not refuse.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, kubectl, kubectlJson, sts, uniqueName } from './harness.ts';
import { killWhen, runSeeing } from './interrupt.ts';

const HOLD = 'e2e.sts-lab.test/hold';

const ns = uniqueName('e2e-intr');
const flags = ['-n', ns];
after(() => dropNamespace(ns));

const json = async (args: string[]) => {
  const r = await sts([...flags, '--progress', 'plain', ...args, '-o', 'json']);
  return { ...r, out: r.stdout ? JSON.parse(r.stdout) : undefined };
};
/** The test's own finalizer on a pod: while it is there, the pod stays Terminating once deleted. */
const holdPod = (pod: string, op: 'add' | 'remove') =>
  kubectl([
    ...['-n', ns, 'patch', 'pod', pod, '--type', 'json', '-p'],
    JSON.stringify([
      op === 'add' ? { op, path: '/metadata/finalizers', value: [HOLD] } : { op, path: '/metadata/finalizers/0' },
    ]),
  ]);
const revisions = async () => {
  const pods = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
  return pods.items.map((p: any) => `${p.metadata.name} ${p.metadata.labels['controller-revision-hash']}`).sort();
};

test('a command run again after a SIGKILL follows what is still in progress, then judges', async (t) => {
  const setup = await sts([...flags, 'setup', '--image', IMAGE]);
  assert.equal(setup.code, 0, setup.stderr);

  await t.test('kill-pod: killed once the pod is deleted; the re-run waits for it, then kills and judges', async () => {
    // A finalizer of the test's holds the old pod Terminating until the re-run has seen it.
    const hold = (op: 'add' | 'remove') => holdPod('nginx-sts-1', op);
    assert.equal((await hold('add')).code, 0);
    const killed = await killWhen(['sts-lab', ...flags, 'kill-pod', '1'], /Delete pod nginx-sts-1 .*\[/);
    assert.match(killed, /Delete pod nginx-sts-1/);
    const r = await runSeeing(
      ['sts-lab', ...flags, '--progress', 'plain', 'kill-pod', '1', '-o', 'json'],
      /Follow what an earlier command left in progress: nginx-sts-1/,
      () => hold('remove'),
    );
    assert.ok(r.seen, `the re-run did not follow the pod first:\n${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.verdict.result, 'PASS', r.stderr);
    assert.deepEqual(out.followedFirst?.pods[0], { pod: 'nginx-sts-1', doing: 'Terminating' }, r.stderr);
    assert.ok(out.followedFirst.settledMs >= 0);
    assert.doesNotMatch(r.stderr, /is not Ready now/);
  });

  await t.test(
    'update: killed after its first pod; the re-run finishes that roll-out, then rolls its own',
    async () => {
      const before = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
      // nginx-sts-1, the next the roll-out replaces, stays Terminating until the re-run has seen it.
      assert.equal((await holdPod('nginx-sts-1', 'add')).code, 0);
      await killWhen(['sts-lab', ...flags, '--progress', 'plain', 'update'], /nginx-sts-2: Ready at/);
      const half = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
      const interrupted = half.status.updateRevision;
      assert.notEqual(interrupted, before.status.updateRevision, 'the killed update changed the template');
      const run = await runSeeing(
        ['sts-lab', ...flags, '--progress', 'plain', 'update', '-o', 'json'],
        /Follow what an earlier command left in progress: .*nginx-sts-1/,
        () => holdPod('nginx-sts-1', 'remove'),
      );
      assert.ok(run.seen, `the re-run did not follow nginx-sts-1 first:\n${run.stderr}`);
      const r = { ...run, out: JSON.parse(run.stdout) };
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.out.verdict.result, 'PASS', r.stderr);
      const followed = r.out.followedFirst?.pods.map((p: any) => `${p.pod}: ${p.doing}`) ?? [];
      assert.ok(
        followed.some((f: string) => /nginx-sts-[01]: (on revision .*not yet|Terminating|not created yet)/.test(f)),
        `the interrupted roll-out was not followed: ${JSON.stringify(followed)}\n${r.stderr}`,
      );
      const now = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
      assert.notEqual(now.status.updateRevision, interrupted, 'the re-run rolled out a revision of its own');
      assert.deepEqual(
        await revisions(),
        [0, 1, 2].map((i) => `nginx-sts-${i} ${now.status.updateRevision}`),
      );
    },
  );

  await t.test('scale: killed mid scale-down; the re-run waits for the pod going, then scales', async () => {
    const up = await json(['scale', '4']);
    assert.equal(up.code, 0, up.stderr);
    // nginx-sts-2 stays until the re-run has seen it going.
    assert.equal((await holdPod('nginx-sts-2', 'add')).code, 0);
    await killWhen(['sts-lab', ...flags, '--progress', 'plain', 'scale', '2'], /nginx-sts-3: gone after/);
    const run = await runSeeing(
      ['sts-lab', ...flags, '--progress', 'plain', 'scale', '3', '-o', 'json'],
      /Follow what an earlier command left in progress: nginx-sts-2/,
      () => holdPod('nginx-sts-2', 'remove'),
    );
    assert.ok(run.seen, `the re-run did not follow nginx-sts-2 first:\n${run.stderr}`);
    const r = { ...run, out: JSON.parse(run.stdout) };
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.verdict.result, 'PASS', r.stderr);
    const followed = (r.out.followedFirst?.pods ?? []).map((p: any) => p.pod);
    assert.ok(followed.includes('nginx-sts-2'), `nginx-sts-2 (going) was not followed: ${followed}\n${r.stderr}`);
  });

  await t.test('node-failure --simulate: killed while its finalizer holds the pod; the re-run lets it go', async () => {
    await killWhen(
      ['sts-lab', ...flags, '--progress', 'plain', 'node-failure', '2', '--simulate'],
      /At most one nginx-sts-2/,
    );
    const left = await kubectlJson(['get', 'pod', 'nginx-sts-2', '-n', ns]);
    assert.ok(left.metadata.deletionTimestamp && left.metadata.finalizers?.includes('sts-lab.dev/hold'), 'held');
    const r = await json(['node-failure', '2', '--simulate', '--hold', '2s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.verdict.result, 'PASS', r.stderr);
    assert.match(
      r.out.followedFirst?.pods[0]?.doing ?? '',
      /^Terminating, held by the finalizer sts-lab.dev\/hold \(removed\)$/,
    );
  });

  await t.test('a command with nothing in progress follows nothing', async () => {
    const r = await json(['kill-pod', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.followedFirst, undefined);
    assert.doesNotMatch(r.stderr, /earlier command/);
  });
});
