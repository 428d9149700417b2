// Stable identity and stable storage on the real cluster: write-data, kill-pod,
// check-persistence and dns, through the built binary.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dropNamespace, IMAGE, kubectl, kubectlJson, sts, uniqueName, errorLine } from './harness.ts';
import { sharesClusterDns } from './cluster-env.ts';

sharesClusterDns();

const ns = uniqueName('e2e-ident');
const flags = ['-n', ns, '--progress', 'none'];
after(() => dropNamespace(ns));

const json = async (args: string[]) => {
  const r = await sts([...flags, ...args, '-o', 'json']);
  return { ...r, out: r.stdout ? JSON.parse(r.stdout) : undefined };
};

test('identity and storage', async (t) => {
  const setup = await sts([...flags, 'setup', '--image', IMAGE]);
  assert.equal(setup.code, 0, setup.stderr);

  let written: { pod: string; sha256: string; pv: string }[] = [];
  await t.test('write-data --all writes a marker per pod and journals it', async () => {
    const r = await json(['write-data', '--all']);
    assert.equal(r.code, 0, r.stderr);
    written = r.out.written;
    assert.deepEqual(
      written.map((w) => w.pod),
      ['nginx-sts-0', 'nginx-sts-1', 'nginx-sts-2'],
    );
    const cm = await kubectlJson(['get', 'configmap', 'sts-lab-journal', '-n', ns]);
    assert.equal(cm.metadata.labels['app.kubernetes.io/managed-by'], 'sts-lab');
    assert.equal(Object.keys(cm.data).length, 3);
    // nginx serves the marker from the volume.
    const served = await kubectl([
      'exec',
      '-n',
      ns,
      'nginx-sts-1',
      '--',
      'wget',
      '-qO-',
      'http://127.0.0.1/sts-lab.txt',
    ]);
    assert.match(served.stdout, /written by sts-lab into nginx-sts-1/);
  });

  let dnsBefore: { name: string; answer: string[] }[] = [];
  await t.test('dns resolves every pod name to its own IP and the service to all of them', async () => {
    const r = await json(['dns']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.verdict.result, 'PASS');
    assert.equal(r.out.dnsAvailable, true);
    const pods = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
    const ipOf = new Map(
      pods.items.map((p: { metadata: { name: string }; status: { podIP: string } }) => [
        p.metadata.name,
        p.status.podIP,
      ]),
    );
    for (const i of [0, 1, 2]) {
      const row = r.out.lookups.find(
        (l: { name: string }) => l.name === `nginx-sts-${i}.nginx-headless.${ns}.svc.cluster.local`,
      );
      assert.deepEqual(row.answer, [ipOf.get(`nginx-sts-${i}`)]);
      assert.notEqual(row.from, `nginx-sts-${i}`, 'asked from another pod, not answered by its own /etc/hosts');
    }
    dnsBefore = r.out.lookups;
  });

  await t.test('kill-pod 1: same name, hostname, claim and volume; new UID', async () => {
    const r = await json(['kill-pod', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.verdict.result, 'PASS');
    const by = Object.fromEntries(r.out.comparison.map((c: { field: string }) => [c.field, c]));
    assert.equal(by.name.after, 'nginx-sts-1');
    assert.equal(by['hostname (inside the pod)'].after, 'nginx-sts-1');
    assert.notEqual(by.uid.after, by.uid.before);
    assert.equal(by.pv.after, written[1]!.pv);
    assert.ok(r.out.timingsMs.ready >= r.out.timingsMs.recreated && r.out.timingsMs.recreated >= r.out.timingsMs.gone);
  });

  await t.test('check-persistence passes: new UID for pod 1, same PVC and PV, same bytes', async () => {
    const r = await json(['check-persistence']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.verdict.result, 'PASS');
    const p1 = r.out.pods[1];
    assert.equal(p1.podRecreated, true);
    assert.equal(p1.pvcSame && p1.pvSame && p1.contentMatch, true);
    assert.equal(r.out.pods[0].podRecreated, false);
  });

  await t.test('dns follows the re-created pod to its new IP', async () => {
    const r = await json(['dns']);
    assert.equal(r.code, 0, r.stderr);
    const pod1 = await kubectlJson(['get', 'pod', 'nginx-sts-1', '-n', ns]);
    const row = r.out.lookups.find((l: { name: string }) => l.name.startsWith('nginx-sts-1.'));
    assert.deepEqual(row.answer, [pod1.status.podIP]);
    assert.ok(dnsBefore.length === 4);
  });

  await t.test('a file altered behind its back makes check-persistence fail naming the pod', async () => {
    assert.equal(
      (
        await kubectl([
          'exec',
          '-n',
          ns,
          'nginx-sts-2',
          '--',
          'sh',
          '-c',
          'echo tampered > /usr/share/nginx/html/sts-lab.txt',
        ])
      ).code,
      0,
    );
    const r = await sts([...flags, 'check-persistence']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL\s+Stable storage broken for nginx-sts-2$/m);
    assert.match(r.stdout, /nginx-sts-2: content changed/);
    const missing = await kubectl(['exec', '-n', ns, 'nginx-sts-0', '--', 'rm', '/usr/share/nginx/html/sts-lab.txt']);
    assert.equal(missing.code, 0);
    const r2 = await json(['check-persistence', '0']);
    assert.equal(r2.code, 1);
    assert.match(r2.out.pods[0].reason, /cannot read .*sts-lab\.txt/);
  });

  await t.test('a message with shell metacharacters, newlines and non-ASCII round-trips byte for byte', async () => {
    const message = 'it\'s "quoted" $(rm -rf /) `id` ${HOME} \\ back\nnew line\ttab é ✓ 日本\n';
    const r = await json(['write-data', '0', '--message', message]);
    assert.equal(r.code, 0, r.stderr);
    const cat = await kubectl(['exec', '-n', ns, 'nginx-sts-0', '--', 'cat', '/usr/share/nginx/html/sts-lab.txt']);
    assert.equal(cat.stdout, message);
    const big = join(tmpdir(), `sts-lab-big-${process.pid}.bin`);
    writeFileSync(big, Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 7919) % 256)));
    const b = await json(['write-data', '2', '--message-file', big]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.out.written[0].bytes, 300 * 1024);
    const check = await json(['check-persistence', '0', '2']);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(check.out.verdict.result, 'PASS');
  });

  await t.test('kill-pod 7 (of 3) exits 2 and deletes nothing', async () => {
    const before = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
    for (const bad of ['7', '-1', 'abc']) {
      const r = await sts([...flags, 'kill-pod', bad]);
      assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
      errorLine(r);
    }
    const afterwards = await kubectlJson(['get', 'pods', '-n', ns, '-l', 'app=nginx-sts']);
    assert.deepEqual(
      afterwards.items.map((p: { metadata: { uid: string } }) => p.metadata.uid).sort(),
      before.items.map((p: { metadata: { uid: string } }) => p.metadata.uid).sort(),
    );
  });
});

test('check-persistence before any write-data: a clear message, exit 1', async () => {
  const empty = uniqueName('e2e-nojournal');
  after(() => dropNamespace(empty));
  const setup = await sts(['-n', empty, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '1']);
  assert.equal(setup.code, 0, setup.stderr);
  const r = await sts(['-n', empty, 'check-persistence']);
  assert.equal(r.code, 1);
  assert.match(errorLine(r), /nothing to check: no journal/);
  assert.match(r.stderr, /run `kubectl sts-lab write-data` first/);
});
