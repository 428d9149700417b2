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
  flat,
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
    flat(table.stdout),
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
  for (const cmd of [['kill-pod', '1'], ['watch-order', '--restart'], ['scale', '3'], ['update'], ['write-data']]) {
    const r = await sts([...web, ...cmd]);
    assert.equal(r.code, 1, `${cmd.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(
      errorLine(r),
      `error: statefulset.apps "web" in namespace "${ns}" was not created by sts-lab: sts-lab changes only its own (status, watch-order, dns, history, check-persistence and verify only look, and work on it)`,
    );
  }
  const setup = await sts([...web, '--claim', 'www', 'setup']);
  assert.equal(setup.code, 2, setup.stderr);
  assert.deepEqual(await uids(), was);
  assert.equal((await kubectlJson(['-n', ns, 'get', 'statefulset', 'web'])).spec.replicas, 2);
});

test("check-persistence and verify on the tutorial's data: its index.html, written with kubectl exec, across a pod's re-creation", async () => {
  const exec = (pod: string, script: string) => kubectl(['-n', ns, 'exec', pod, '--', 'sh', '-c', script]);
  const missing = await sts([...web, 'check-persistence']);
  assert.equal(missing.code, 1);
  assert.match(errorLine(missing), /^error: cannot read \/usr\/share\/nginx\/html\/index\.html in pod web-\d: /);
  assert.match(flat(missing.stderr), /hint: write it first, as the tutorial does: kubectl -n \S+ exec web-\d -- sh -c/);
  for (const pod of ['web-0', 'web-1'])
    assert.equal((await exec(pod, 'echo "$(hostname)" > /usr/share/nginx/html/index.html')).code, 0);

  const recorded = await stsJson([...web, 'check-persistence']);
  assert.equal(recorded.verdict.result, 'N/A');
  assert.deepEqual(
    recorded.recorded.map((e: any) => [e.pod, e.pvc, e.bytes]),
    [
      ['web-0', 'www-web-0', 6],
      ['web-1', 'www-web-1', 6],
    ],
  );
  const journal = await kubectlJson(['-n', ns, 'get', 'configmap', 'sts-lab-journal']);
  assert.equal(journal.metadata.labels['app.kubernetes.io/managed-by'], 'sts-lab');
  assert.equal((await sts([...web, 'verify', 'identity'])).code, 1, 'no pod re-created yet');

  for (const args of [
    ['delete', 'pod', 'web-1'],
    ['wait', '--for=condition=Ready', 'pod/web-1', '--timeout=90s'],
  ])
    assert.equal((await kubectl(['-n', ns, ...args])).code, 0);
  const checked = await stsJson([...web, 'check-persistence']);
  assert.equal(checked.verdict.result, 'PASS', JSON.stringify(checked));
  assert.deepEqual(
    checked.pods.map((r: any) => [r.pod, r.podRecreated, r.contentMatch]),
    [
      ['web-0', false, true],
      ['web-1', true, true],
    ],
  );
  const identity = await stsJson([...web, 'verify', 'identity']);
  assert.equal(identity.verdict.result, 'PASS', JSON.stringify(identity.verdict));
  assert.match(identity.verdict.checks[1].headline, /web-1 came back as itself/);

  assert.equal((await exec('web-0', 'echo changed > /usr/share/nginx/html/index.html')).code, 0);
  const changed = await sts([...web, 'check-persistence']);
  assert.equal(changed.code, 1, 'the bytes differ from what was recorded');
  assert.match(changed.stdout, /FAIL {2}Stable storage broken for web-0/);
});
