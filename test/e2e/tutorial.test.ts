// The official tutorial's own objects (web.yaml: StatefulSet web, Service nginx, claim template
// www, pods labelled app=nginx), applied with kubectl as a learner does: the commands that only
// look work on them; the ones that change things refuse, in one line, and change nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, sharesClusterDns } from './cluster-env.ts';
import {
  dropNamespace,
  errorLine,
  IMAGE,
  kubectl,
  kubectlJson,
  sandboxFile,
  sts,
  stsJson,
  uniqueName,
} from './harness.ts';

sharesClusterDns();

const ns = uniqueName('e2e-tutorial');
const web = ['-n', ns, '--name', 'web', '--service', 'nginx'];

before(async () => {
  const yaml = readFileSync(join(ROOT, 'test', 'e2e', 'web.yaml'), 'utf8').replace(
    'registry.k8s.io/nginx-slim:0.21',
    IMAGE,
  );
  for (const args of [
    ['create', 'namespace', ns],
    ['-n', ns, 'apply', '-f', sandboxFile(`${ns}-web.yaml`, yaml)],
    ['-n', ns, 'rollout', 'status', 'statefulset/web', '--timeout=180s'],
  ]) {
    const r = await kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  }
});
after(() => dropNamespace(ns));

test("status: the pods by the StatefulSet's own selector, the claims www-web-N from its template", async () => {
  const s = await stsJson([...web, 'status']);
  assert.equal(s.statefulSet.name, 'web');
  assert.deepEqual(s.service.selector, { app: 'nginx' });
  const claims = await kubectlJson(['-n', ns, 'get', 'pvc']);
  const volumeOf = new Map(claims.items.map((c: any) => [c.metadata.name, c.spec.volumeName]));
  assert.deepEqual(
    s.pods.map((p: any) => [p.pod, p.ready, p.pvc, p.pvcStatus, p.pv]),
    ['web-0', 'web-1'].map((pod) => [pod, true, `www-${pod}`, 'Bound', volumeOf.get(`www-${pod}`)]),
  );
  const table = await sts([...web, 'status']);
  assert.match(
    table.stdout,
    /statefulset\.apps\/web was not created by sts-lab: its pods are those of selector app=nginx, its claims those of template www/,
  );
});

test("dns, history and watch-order judge the tutorial's StatefulSet as they judge the lab's", async () => {
  const dns = await stsJson([...web, 'dns']);
  assert.equal(dns.verdict.result, 'PASS', JSON.stringify(dns.verdict));
  assert.deepEqual(dns.endpointSlice.map((r: any) => r.pod).sort(), ['web-0', 'web-1']);
  assert.ok(
    dns.lookups.some((l: any) => l.name === `web-1.nginx.${ns}.svc.cluster.local` && l.ok),
    JSON.stringify(dns.lookups),
  );
  const history = await stsJson([...web, 'history']);
  assert.equal(history.revisions.length, 1);
  assert.deepEqual(history.revisions[0].pods, ['web-0', 'web-1']);
  const order = await stsJson([...web, 'watch-order']);
  assert.equal(order.verdict.result, 'PASS', JSON.stringify(order.verdict));
  assert.deepEqual(
    order.timeline.map((p: any) => p.pod),
    ['web-0', 'web-1'],
  );
});

test("commands that change things refuse the tutorial's StatefulSet in one line, and nothing changes", async () => {
  const uids = async () => (await kubectlJson(['-n', ns, 'get', 'pods'])).items.map((p: any) => p.metadata.uid).sort();
  const was = await uids();
  for (const cmd of [['kill-pod', '1'], ['watch-order', '--restart'], ['scale', '3'], ['update']]) {
    const r = await sts([...web, ...cmd]);
    assert.equal(r.code, 1, `${cmd.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(
      errorLine(r),
      `error: statefulset.apps "web" in namespace "${ns}" was not created by sts-lab: sts-lab changes only its own (status, watch-order, dns and history only look, and work on it)`,
    );
  }
  const setup = await sts([...web, '--claim', 'www', 'setup']);
  assert.equal(setup.code, 2, setup.stderr);
  assert.deepEqual(await uids(), was);
  assert.equal((await kubectlJson(['-n', ns, 'get', 'statefulset', 'web'])).spec.replicas, 2);
});
