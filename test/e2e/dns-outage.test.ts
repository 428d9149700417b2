// The cluster's DNS server frozen (SIGSTOP, then SIGCONT whatever happens): dns must say the
// configured server did not answer (FAIL, exit 1) in bounded time, and pass again after.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cluster, holdDnsLock } from './cluster-env.ts';
import { dropNamespace, flat, IMAGE, sts, uniqueName } from './harness.ts';

const ns = uniqueName('e2e-dnsdown');
after(() => dropNamespace(ns));

const corednsPid = () =>
  Number(
    readFileSync(join(cluster.STS_LAB_CLUSTER_DIR!, 'run', 'coredns.pid'), 'utf8')
      .trim()
      .split(/\s+/)[0],
  );

test('a DNS server that does not answer is a FAIL naming it, within 60 s; dns passes again after', async () => {
  const setup = await sts(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '2']);
  assert.equal(setup.code, 0, setup.stderr);
  const release = await holdDnsLock('exclusive');
  const pid = corednsPid();
  try {
    process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    const r = await sts(['-n', ns, '--progress', 'none', 'dns']);
    const tookMs = Date.now() - t0;
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.ok(tookMs < 60_000, `dns took ${tookMs} ms with a dead DNS server`);
    assert.match(r.stdout, /^FAIL\s+The cluster DNS server 10\.96\.0\.10 did not answer$/m);
    assert.match(
      flat(r.stdout),
      /Cluster DNS is configured: the pods' resolv\.conf points at 10\.96\.0\.10 with search domain svc\.cluster\.local/,
    );
    assert.doesNotMatch(r.stdout, /N\/A/);
  } finally {
    process.kill(pid, 'SIGCONT');
    release();
  }
  const again = await sts(['-n', ns, '--progress', 'none', 'dns', '-o', 'json']);
  assert.equal(again.code, 0, again.stderr);
  const out = JSON.parse(again.stdout);
  assert.equal(out.verdict.result, 'PASS');
  assert.equal(out.clusterDns.present, true);
});
