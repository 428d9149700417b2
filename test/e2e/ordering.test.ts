// watch-order and scale on the real cluster: the ordering guarantees, proved from the watch.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { cleanEnv, dropNamespace, IMAGE, kubectlJson, sts, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-order');
const flags = ['-n', ns, '--progress', 'plain'];
after(() => dropNamespace(ns));

/** Starts a command in the background and collects its output. */
function background(args: string[]) {
  const child = spawn('kubectl', ['sts-lab', ...args], { env: cleanEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code) => done({ code, stdout, stderr })),
  );
}

test('ordering', async (t) => {
  await t.test('watch-order started before setup sees 0, 1, 2 come up in order and passes', async () => {
    const watching = background([...flags, 'watch-order', '-o', 'json']);
    // Idle for longer than client-node's 30 s watch inactivity abort: the informer must reconnect.
    await new Promise((r) => setTimeout(r, 35_000));
    const setup = await sts([...flags, 'setup', '--image', IMAGE, '--progress', 'none']);
    assert.equal(setup.code, 0, setup.stderr);
    const w = await watching;
    assert.equal(w.code, 0, w.stderr);
    const out = JSON.parse(w.stdout);
    assert.equal(out.verdict.result, 'PASS', JSON.stringify(out.verdict, null, 2));
    assert.deepEqual(
      out.timeline.map((r: { pod: string }) => r.pod),
      ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2'],
    );
    assert.ok(
      out.timeline.every((r: { source: string }) => r.source === 'watch'),
      'every creation was seen live',
    );
    const checks = out.verdict.checks.filter((c: { evidence: string }) => c.evidence === 'watch');
    assert.deepEqual(
      checks.map((c: { ordinal: number; ok: boolean }) => [c.ordinal, c.ok]),
      [
        [0, true],
        [1, true],
        [2, true],
      ],
    );
    for (const [i, row] of out.timeline.entries()) {
      if (i === 0) continue;
      assert.ok(
        Date.parse(row.created) >= Date.parse(out.timeline[i - 1].ready),
        `pod ${i} created after pod ${i - 1} was Ready`,
      );
    }
    assert.match(w.stderr, /nginx-sts-2: Ready after/);
  });

  await t.test('watch-order --restart deletes the pods and records the ordered re-creation', async () => {
    const before = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
    const oldUids = new Set(before.items.map((p: { metadata: { uid: string } }) => p.metadata.uid));
    const r = await sts([...flags, 'watch-order', '--restart']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PASS\s+OrderedReady held: pod N\+1 was created only after pod N was Ready$/m);
    assert.match(r.stdout, /^POD\s+CREATED\s+READY\s+Δ AFTER PREVIOUS READY$/m);
    // The picture under the table: each pod ready, terminating, then pending again and ready; without colour when
    // piped.
    assert.match(
      r.stdout,
      /^The pods deleted and re-created by the controller\n(nginx-sts-\d │█*╳+ *░+▒*█+\n){3} +└─+┬[─┬]*\n +0s .*\n +░ pending\/creating {3}▒ running {3}█ ready {3}╳ terminating$/m,
    );
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const quiet = await sts([...flags, '--no-headers', 'status']);
    assert.doesNotMatch(quiet.stdout, /[│░▒█╳]/);
    const now = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
    assert.equal(now.items.length, 3);
    for (const p of now.items) assert.ok(!oldUids.has(p.metadata.uid), `${p.metadata.name} is a new pod`);
  });

  await t.test('scale 3 → 5 creates 3 then 4, each after its predecessor is Ready', async () => {
    const r = await sts([...flags, 'scale', '5', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /[│░▒█╳]/, 'no chart in -o json');
    const out = JSON.parse(r.stdout);
    assert.equal(out.verdict.result, 'PASS');
    assert.deepEqual(
      out.timeline.map((x: { pod: string }) => x.pod),
      ['nginx-sts-3', 'nginx-sts-4'],
    );
    assert.ok(Date.parse(out.timeline[1].created) >= Date.parse(out.timeline[0].ready));
    assert.equal(out.claimsVerdict.result, 'PASS');
    assert.equal(out.claims.length, 5);
  });

  await t.test(
    'scale 5 → 2 removes 4, 3, 2 in that order and keeps their claims Bound to the same volumes',
    async () => {
      const before = await kubectlJson(['get', 'pvc', '-n', ns]);
      const pvOf = new Map(
        before.items.map((c: { metadata: { name: string }; spec: { volumeName: string } }) => [
          c.metadata.name,
          c.spec.volumeName,
        ]),
      );
      const r = await sts([...flags, 'scale', '2', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.deletionOrder, ['nginx-sts-4', 'nginx-sts-3', 'nginx-sts-2']);
      assert.equal(out.verdict.result, 'PASS', JSON.stringify(out.verdict, null, 2));
      assert.deepEqual(
        out.verdict.checks
          .filter((c: { evidence: string }) => c.evidence === 'watch')
          .map((c: { kind: string; ordinal: number }) => `${c.kind}:${c.ordinal}`),
        ['terminate:4', 'terminate:3', 'terminate:2'],
      );
      assert.deepEqual(
        out.claims.map((c: { expected: string }) => c.expected),
        ['in use', 'in use', 'retained', 'retained', 'retained'],
      );
      for (const c of out.claims) {
        assert.equal(c.status, 'Bound');
        assert.equal(c.pv, pvOf.get(c.pvc), `${c.pvc} kept its volume`);
      }
    },
  );

  await t.test('scaling to the current count says no change', async () => {
    const r = await sts([...flags, 'scale', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /already has 2 replicas: no change/);
  });

  await t.test('bad counts exit 2 and change nothing', async () => {
    for (const bad of ['-1', 'abc', '1e9']) {
      const r = await sts([...flags, 'scale', bad]);
      assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /^error: invalid replica count/m);
    }
    const live = await kubectlJson(['get', 'statefulset', 'nginx-sts', '-n', ns]);
    assert.equal(live.spec.replicas, 2);
  });
});

test('a Parallel StatefulSet is reported honestly: no order promised, none judged', async () => {
  const pns = uniqueName('e2e-par');
  after(() => dropNamespace(pns));
  const setup = await sts(['-n', pns, '--progress', 'none', 'setup', '--image', IMAGE, '--parallel']);
  assert.equal(setup.code, 0, setup.stderr);
  const r = await sts(['-n', pns, '--progress', 'none', 'watch-order', '--restart', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.podManagementPolicy, 'Parallel');
  assert.equal(out.verdict.result, 'N/A');
  assert.match(out.verdict.why.join(' '), /No order is promised/);
});

test('setup --retention whenScaled=Delete: scale-down deletes the removed claims', async () => {
  const rns = uniqueName('e2e-ret');
  after(() => dropNamespace(rns));
  const setup = await sts([
    '-n',
    rns,
    '--progress',
    'none',
    'setup',
    '--image',
    IMAGE,
    '--replicas',
    '2',
    '--retention',
    'whenScaled=Delete,whenDeleted=Retain',
  ]);
  assert.equal(setup.code, 0, setup.stderr);
  const r = await sts(['-n', rns, '--progress', 'none', 'scale', '1', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.whenScaled, 'Delete');
  assert.deepEqual(
    out.claims.map((c: { expected: string; ok: boolean }) => [c.expected, c.ok]),
    [
      ['in use', true],
      ['deleted', true],
    ],
  );
});
