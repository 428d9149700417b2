// docs/verify.sh as a lab platform runs it, after a learner's plain kubectl: each lesson fails
// before its step is done, saying what to type, and passes after; what only a watch sees is N/A.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dropNamespace, flat, IMAGE, kubectl, run, sandboxFile, sts, uniqueName } from './harness.ts';
import { ROOT, sharesClusterDns } from './cluster-env.ts';

sharesClusterDns();

const ns = uniqueName('e2e-verify');
after(() => dropNamespace(ns));

const verifySh = (lesson: string, ...flags: string[]) =>
  run('bash', [join(ROOT, 'docs', 'verify.sh'), lesson, '-n', ns, ...flags]);
const verified = async (lesson: string) => {
  const r = await verifySh(lesson, '-o', 'json');
  assert.ok(r.stdout, r.stderr);
  return { code: r.code, out: JSON.parse(r.stdout) };
};
const typed = async (...args: string[]) => {
  const r = await kubectl(['-n', ns, ...args]);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
};

test('verify.sh after each step the learner types', async (t) => {
  const setup = await sts(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE]);
  assert.equal(setup.code, 0, setup.stderr);

  await t.test('identity and storage fail before write-data, and say what to do', async () => {
    const identity = await verifySh('identity');
    assert.equal(identity.code, 1, identity.stdout);
    assert.match(identity.stdout, /^PASS {2}Stable names: each pod is <statefulset>-<ordinal>/m);
    assert.match(identity.stdout, /^FAIL {2}Nothing recorded to compare a re-created pod with/m);
    assert.match(identity.stdout, /^FAIL {2}Lesson identity: not verified$/m);
    const storage = await verifySh('storage');
    assert.equal(storage.code, 1);
    assert.match(storage.stdout, /^PASS {2}A claim per pod/m);
    assert.match(storage.stdout, /^FAIL {2}No data to check/m);
  });

  await t.test('identity fails until a pod is deleted, then passes from the journal', async () => {
    assert.equal((await sts(['-n', ns, '--progress', 'none', 'write-data', '--all'])).code, 0);
    const before = await verifySh('identity');
    assert.equal(before.code, 1);
    assert.match(
      flat(before.stdout),
      new RegExp(`No pod was re-created since write-data.*kubectl -n ${ns} delete pod`),
    );

    await typed('delete', 'pod', 'nginx-sts-1');
    await typed('wait', '--for=condition=Ready', 'pod/nginx-sts-1', '--timeout=90s');
    const { code, out } = await verified('identity');
    assert.equal(code, 0, JSON.stringify(out.verdict));
    assert.equal(out.verdict.result, 'PASS');
    const recreated = out.verdict.checks[1];
    assert.match(recreated.headline, /^Stable identity held: nginx-sts-1 came back as itself$/);
    assert.match(recreated.why[0], /^nginx-sts-1: uid \w{8} → \w{8}, claim the same, volume the same$/);
    const storage = await verified('storage');
    assert.equal(storage.code, 0);
    assert.match(storage.out.verdict.checks[1].headline, /all 3 markers read back byte for byte/);
  });

  await t.test('updates: the partition the learner set, read from the revision labels', async () => {
    await typed(
      'patch',
      'statefulset',
      'nginx-sts',
      '-p',
      '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}',
    );
    await typed('rollout', 'restart', 'statefulset', 'nginx-sts');
    await typed('rollout', 'status', 'statefulset', 'nginx-sts', '--timeout=120s');
    const { code, out } = await verified('updates');
    assert.equal(code, 0, JSON.stringify(out.verdict));
    const sts = JSON.parse((await kubectl(['-n', ns, 'get', 'statefulset', 'nginx-sts', '-o', 'json'])).stdout);
    const { currentRevision, updateRevision } = sts.status;
    assert.notEqual(currentRevision, updateRevision);
    assert.equal(
      out.verdict.checks[0].headline,
      `Partition 2 held: nginx-sts-2 on update revision ${updateRevision}; nginx-sts-0, nginx-sts-1 on current revision ${currentRevision}`,
    );
  });

  await t.test('scaling and retention fail before a scale-down, pass after; the order is N/A', async () => {
    const before = await verifySh('retention');
    assert.equal(before.code, 1);
    assert.match(before.stdout, /FAIL {2}No claim left by a scale-down/);
    await typed('scale', 'statefulset', 'nginx-sts', '--replicas=2');
    await typed('wait', '--for=delete', 'pod/nginx-sts-2', '--timeout=90s');
    const scaling = await verified('scaling');
    assert.equal(scaling.code, 0, JSON.stringify(scaling.out.verdict));
    assert.deepEqual(
      scaling.out.verdict.checks.map((c: { result: string }) => c.result),
      ['PASS', 'PASS', 'N/A'],
    );
    assert.equal(scaling.out.verdict.result, 'N/A');
    assert.match(scaling.out.verdict.checks[2].why.join('\n'), /tour --hands-on/);
    const retention = await verified('retention');
    assert.equal(retention.code, 0);
    assert.match(retention.out.verdict.checks[1].headline, /^whenScaled Retain: data-nginx-sts-2 kept and Bound/);
  });

  await t.test('dns and ordering now; one JUnit test case per check', async () => {
    const dns = await verified('dns');
    assert.equal(dns.code, 0, JSON.stringify(dns.out.verdict));
    assert.equal(dns.out.verdict.checks[0].result, 'PASS');
    const junit = sandboxFile('verify.xml', '');
    const ordering = await verifySh('ordering', '--junit', junit);
    assert.equal(ordering.code, 0, ordering.stdout);
    assert.match(ordering.stdout, /^PASS {2}Every ordinal has a Ready pod: nginx-sts-0, nginx-sts-1$/m);
    const xml = readFileSync(junit, 'utf8');
    assert.equal(xml.match(/<testcase classname="sts-lab\.verify\.ordering"/g)?.length, 2, xml);
  });

  await t.test('a usage error exits 2, before anything is read', async () => {
    const bogus = await verifySh('bogus');
    assert.equal(bogus.code, 2);
    assert.match(
      bogus.stderr,
      /^error: unknown lesson "bogus": one of ordering, identity, dns, storage, scaling, updates, retention$/m,
    );
    const none = await run('bash', [join(ROOT, 'docs', 'verify.sh')]);
    assert.equal(none.code, 2);
  });
});
