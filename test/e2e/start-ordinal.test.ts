// Ordinals that start at 5 (spec.ordinals.start) on the real cluster: the pods and claims are
// named from 5, the ordering proofs count from there, and every command works on the shifted
// ordinals; moving the start keeps the pods in both ranges and re-uses a retained claim.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharesClusterDns } from './cluster-env.ts';
import { dropNamespace, IMAGE, kubectlJson, sts, stsJson, uniqueName } from './harness.ts';

sharesClusterDns();

const ns = uniqueName('e2e-start');
after(() => dropNamespace(ns));
const flags = ['-n', ns, '--progress', 'none'];
type Pod = { metadata: { name: string; uid: string; labels: Record<string, string> } };
const pods = async () =>
  Object.fromEntries(
    ((await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts'])).items as Pod[]).map((p) => [
      p.metadata.name,
      p,
    ]),
  );
const claimVolumes = async () =>
  Object.fromEntries(
    (
      (await kubectlJson(['get', 'pvc', '-n', ns])).items as {
        metadata: { name: string };
        spec: { volumeName: string };
      }[]
    ).map((c) => [c.metadata.name, c.spec.volumeName]),
  );
const ok = (v: { result: string; why: string[] }) => assert.equal(v.result, 'PASS', v.why.join('\n'));

test('a lab numbered from 5: every command on the shifted ordinals', async (t) => {
  await t.test(
    'setup --start-ordinal 5: read back, pods nginx-sts-5..7 labelled with their index, claims follow',
    async () => {
      const out = await stsJson([...flags, 'setup', '--image', IMAGE, '--start-ordinal', '5']);
      assert.equal(out.startOrdinal.requested, 5);
      assert.equal(out.startOrdinal.onServer, 5);
      ok(out.startOrdinal.verdict);
      assert.deepEqual(
        out.pods.map((p: { pod: string; pvc: string; pvcStatus: string }) => [p.pod, p.pvc, p.pvcStatus]),
        [
          ['nginx-sts-5', 'data-nginx-sts-5', 'Bound'],
          ['nginx-sts-6', 'data-nginx-sts-6', 'Bound'],
          ['nginx-sts-7', 'data-nginx-sts-7', 'Bound'],
        ],
      );
      const live = await pods();
      assert.deepEqual(Object.keys(live).sort(), ['nginx-sts-5', 'nginx-sts-6', 'nginx-sts-7']);
      assert.equal(live['nginx-sts-6']!.metadata.labels['apps.kubernetes.io/pod-index'], '6');
      const status = await stsJson([...flags, 'status']);
      assert.equal(status.statefulSet.startOrdinal, 5);
      assert.match((await sts([...flags, 'status'])).stdout, /^nginx-sts\s+3\s+5\.\.7\s+3\/3/m, 'the ORDINALS column');
    },
  );

  await t.test('an ordinal outside 5..7 is a usage error that names the range', async () => {
    const r = await sts([...flags, 'kill-pod', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: statefulset\.apps\/nginx-sts has 3 replicas \(ordinals 5\.\.7\): no ordinal 1$/m);
  });

  await t.test(
    'watch-order --restart: created in order from nginx-sts-5, nothing waits for a pod below it',
    async () => {
      const out = await stsJson([...flags, 'watch-order', '--restart']);
      ok(out.verdict);
      const created = out.verdict.checks.filter(
        (c: { kind: string; evidence: string }) => c.kind === 'create' && c.evidence === 'watch',
      );
      assert.deepEqual(
        created.map((c: { ordinal: number }) => c.ordinal),
        [5, 6, 7],
      );
      assert.equal(created[0].detail, 'nginx-sts-5 created first');
    },
  );

  await t.test('write-data, kill-pod 6, check-persistence: identity and bytes on the shifted pods', async () => {
    const written = await stsJson([...flags, 'write-data']);
    assert.deepEqual(
      written.written.map((e: { pod: string }) => e.pod),
      ['nginx-sts-5', 'nginx-sts-6', 'nginx-sts-7'],
    );
    ok((await stsJson([...flags, 'kill-pod', '6'])).verdict);
    ok((await stsJson([...flags, 'check-persistence'])).verdict);
  });

  await t.test(
    'scale 5 creates nginx-sts-8 and 9 in order; scale 2 removes 9, 8, 7 from the top, claims kept',
    async () => {
      const up = await stsJson([...flags, 'scale', '5']);
      ok(up.verdict);
      assert.deepEqual(
        up.timeline.map((r: { pod: string }) => r.pod),
        ['nginx-sts-8', 'nginx-sts-9'],
      );
      const down = await stsJson([...flags, 'scale', '2']);
      ok(down.verdict);
      ok(down.claimsVerdict);
      assert.deepEqual(down.deletionOrder, ['nginx-sts-9', 'nginx-sts-8', 'nginx-sts-7']);
      assert.deepEqual(
        down.claims.filter((c: { expected: string }) => c.expected === 'retained').map((c: { pvc: string }) => c.pvc),
        ['data-nginx-sts-7', 'data-nginx-sts-8', 'data-nginx-sts-9'],
      );
    },
  );

  await t.test(
    'setup --start-ordinal 6: 6 stays the same pod, 7 comes back on its retained claim and volume, 5 goes',
    async () => {
      const before = await pods();
      const volumes = await claimVolumes();
      const moved = await stsJson([...flags, 'setup', '--image', IMAGE, '--start-ordinal', '6', '--replicas', '2']);
      ok(moved.startOrdinal.verdict);
      const now = await pods();
      assert.deepEqual(Object.keys(now).sort(), ['nginx-sts-6', 'nginx-sts-7']);
      assert.equal(
        now['nginx-sts-6']!.metadata.uid,
        before['nginx-sts-6']!.metadata.uid,
        'in both ranges: the same pod',
      );
      assert.equal(
        (await claimVolumes())['data-nginx-sts-7'],
        volumes['data-nginx-sts-7'],
        'the claim kept by the scale-down, with its volume',
      );
    },
  );

  await t.test(
    'update --partition 1 moves nginx-sts-7 only: the controller counts the partition from the start',
    async () => {
      const out = await stsJson([...flags, 'update', '--partition', '1']);
      ok(out.verdict);
      assert.deepEqual(
        out.pods.map((p: { pod: string; moves: boolean }) => [p.pod, p.moves]),
        [
          ['nginx-sts-6', false],
          ['nginx-sts-7', true],
        ],
      );
      assert.match(out.verdict.headline, /below partition 1 \(ordinals below 7\) untouched/);
      const kill = await stsJson([...flags, 'kill-pod', '6']);
      ok(kill.verdict);
      assert.ok(
        kill.comparison.some(
          (r: { field: string; expected: string }) =>
            r.field.startsWith('revision') && r.expected === 'current revision',
        ),
        'nginx-sts-6 is below the partition',
      );
    },
  );

  await t.test('unready 7 halts a scale-up to 3 at nginx-sts-7; ready 7 lets nginx-sts-8 follow', async () => {
    ok((await stsJson([...flags, 'unready', '7'])).verdict);
    const halted = await sts([...flags, 'scale', '3', '-o', 'json']);
    assert.equal(halted.code, 1, halted.stderr);
    assert.equal(JSON.parse(halted.stdout).halted.pod, 'nginx-sts-7');
    const ready = await stsJson([...flags, 'ready', '7']);
    ok(ready.verdict);
    assert.deepEqual(ready.resumed, ['nginx-sts-8']);
  });

  await t.test('dns resolves the shifted names', async () => {
    const out = await stsJson([...flags, 'dns']);
    ok(out.verdict);
    const pods = out.lookups
      .map((l: { name: string }) => l.name.split('.')[0])
      .filter((x: string) => x !== 'nginx-headless');
    assert.deepEqual(pods, ['nginx-sts-6', 'nginx-sts-7', 'nginx-sts-8']);
  });

  await t.test('teardown removes the shifted pods from the top and every claim', async () => {
    const out = await stsJson([...flags, 'teardown']);
    assert.deepEqual(out.deletionOrder, ['nginx-sts-8', 'nginx-sts-7', 'nginx-sts-6']);
    assert.equal((await sts(['-n', ns, 'status', '-o', 'json'])).code, 0);
    assert.deepEqual(Object.keys(await claimVolumes().catch(() => ({}))), []);
  });
});
