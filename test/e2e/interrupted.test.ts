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
const revisions = async () => {
  const pods = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
  return pods.items.map((p: any) => `${p.metadata.name} ${p.metadata.labels['controller-revision-hash']}`).sort();
};

test('a command run again after a SIGKILL follows what is still in progress, then judges', async (t) => {
  const setup = await sts([...flags, 'setup', '--image', IMAGE]);
  assert.equal(setup.code, 0, setup.stderr);

  await t.test('kill-pod: killed once the pod is deleted; the re-run waits for it, then kills and judges', async () => {
    // A finalizer of the test's holds the old pod Terminating until the re-run has seen it.
    const hold = (op: 'add' | 'remove') =>
      kubectl([
        ...['-n', ns, 'patch', 'pod', 'nginx-sts-1', '--type', 'json', '-p'],
        JSON.stringify([
          op === 'add' ? { op, path: '/metadata/finalizers', value: [HOLD] } : { op, path: '/metadata/finalizers/0' },
        ]),
      ]);
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
      await killWhen(['sts-lab', ...flags, '--progress', 'plain', 'update'], /nginx-sts-2: Ready at/);
      const half = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
      const interrupted = half.status.updateRevision;
      assert.notEqual(interrupted, before.status.updateRevision, 'the killed update changed the template');
      const r = await json(['update']);
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
    await killWhen(['sts-lab', ...flags, '--progress', 'plain', 'scale', '2'], /nginx-sts-3: gone after/);
    const r = await json(['scale', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.verdict.result, 'PASS', r.stderr);
    const followed = (r.out.followedFirst?.pods ?? []).map((p: any) => p.pod);
    assert.ok(followed.includes('nginx-sts-2'), `nginx-sts-2 (going) was not followed: ${followed}\n${r.stderr}`);
  });

  await t.test('a command with nothing in progress follows nothing', async () => {
    const r = await json(['kill-pod', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.followedFirst, undefined);
    assert.doesNotMatch(r.stderr, /earlier command/);
  });
});
