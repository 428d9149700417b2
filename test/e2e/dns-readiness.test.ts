// DNS follows readiness on the real cluster: a pod that is not Ready loses its record from the
// headless Service (NXDOMAIN from another pod) and is listed not ready in the EndpointSlice;
// it comes back when Ready. With publishNotReadyAddresses it keeps its record throughout.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharesClusterDns } from './cluster-env.ts';
import { dropNamespace, IMAGE, stsJson, uniqueName } from './harness.ts';

sharesClusterDns();

type Lookup = { name: string; expect: string; outcome: string; answer: string[]; ok: boolean };
const row = (out: { lookups: Lookup[] }, pod: string) => out.lookups.find((l) => l.name.startsWith(`${pod}.`))!;
const slice = (out: { endpointSlice: { pod: string; ready: boolean }[] }, pod: string) =>
  out.endpointSlice.find((e) => e.pod === pod)!.ready;
const service = (out: { lookups: Lookup[] }) => out.lookups.at(-1)!;

test('the record of a pod that is not Ready disappears, and comes back when it is Ready', async () => {
  const ns = uniqueName('e2e-dnsready');
  after(() => dropNamespace(ns));
  const flags = ['-n', ns, '--progress', 'none'];
  await stsJson([...flags, 'setup', '--image', IMAGE]);
  await stsJson([...flags, 'unready', '1']);
  const down = await stsJson([...flags, 'dns']);
  assert.equal(down.verdict.result, 'PASS', down.verdict.why.join('\n'));
  assert.match(down.verdict.headline, /^DNS follows readiness: .*nginx-sts-1 \(not Ready\) has no record$/);
  assert.deepEqual([row(down, 'nginx-sts-1').expect, row(down, 'nginx-sts-1').outcome], ['nxdomain', 'nxdomain']);
  assert.equal(slice(down, 'nginx-sts-1'), false);
  assert.equal(service(down).answer.length, 2, 'the Service name resolves to the two Ready pods');
  await stsJson([...flags, 'ready', '1']);
  const up = await stsJson([...flags, 'dns']);
  assert.equal(up.verdict.result, 'PASS', up.verdict.why.join('\n'));
  assert.deepEqual([row(up, 'nginx-sts-1').expect, row(up, 'nginx-sts-1').outcome], ['answer', 'answer']);
  assert.equal(slice(up, 'nginx-sts-1'), true);
  assert.equal(service(up).answer.length, 3);
});

test('setup --publish-not-ready: the pod keeps its record and its ready endpoint while not Ready', async () => {
  const ns = uniqueName('e2e-dnspub');
  after(() => dropNamespace(ns));
  const flags = ['-n', ns, '--progress', 'none'];
  await stsJson([...flags, 'setup', '--image', IMAGE, '--publish-not-ready']);
  await stsJson([...flags, 'unready', '1']);
  const out = await stsJson([...flags, 'dns']);
  assert.equal(out.publishNotReadyAddresses, true);
  assert.equal(out.verdict.result, 'PASS', out.verdict.why.join('\n'));
  assert.match(out.verdict.headline, /nginx-sts-1 \(not Ready\) still resolves: publishNotReadyAddresses$/);
  assert.deepEqual([row(out, 'nginx-sts-1').expect, row(out, 'nginx-sts-1').outcome], ['answer', 'answer']);
  assert.equal(slice(out, 'nginx-sts-1'), true);
  assert.equal(service(out).answer.length, 3);
});
