// sts-lab never deletes or overwrites what it did not create.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dropNamespace, errorLine, exists, flat, IMAGE, kubectl, kubectlJson, sts, uniqueName } from './harness.ts';

const userNs = uniqueName('e2e-user');
const labNs = uniqueName('e2e-own');
after(() => Promise.all([dropNamespace(userNs), dropNamespace(labNs)]));

test("a user's namespace and everything else in it survive teardown", async () => {
  assert.equal((await kubectl(['create', 'namespace', userNs])).code, 0);
  assert.equal((await kubectl(['create', 'configmap', 'mine', '-n', userNs, '--from-literal=k=v'])).code, 0);
  const setup = await sts(['-n', userNs, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '1']);
  assert.equal(setup.code, 0, setup.stderr);
  assert.match(setup.stdout, new RegExp(`namespace/${userNs}\\s+exists\\s+not created by sts-lab`));
  const r = await sts(['-n', userNs, '--progress', 'none', 'teardown']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`namespace/${userNs}\\s+kept\\s+not created by sts-lab`));
  assert.ok(await exists('namespace', userNs));
  assert.ok(await exists('configmap', 'mine', userNs));
  assert.equal(await exists('statefulset', 'nginx-sts', userNs), false);
});

test('a namespace sts-lab created is kept when something foreign moved in', async () => {
  const setup = await sts(['-n', labNs, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '1']);
  assert.equal(setup.code, 0, setup.stderr);
  assert.equal((await kubectl(['create', 'configmap', 'intruder', '-n', labNs, '--from-literal=k=v'])).code, 0);
  const r = await sts(['-n', labNs, '--progress', 'none', 'teardown']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(flat(r.stdout), /kept holds objects sts-lab did not create: configmap\/intruder/);
  assert.ok(await exists('configmap', 'intruder', labNs));
  assert.equal(await exists('persistentvolumeclaim', 'data-nginx-sts-0', labNs), false, 'its own claims are gone');
});

test('an existing object of the same name that sts-lab did not create is an error, not overwritten', async () => {
  const ns = uniqueName('e2e-clash');
  after(() => dropNamespace(ns));
  assert.equal((await kubectl(['create', 'namespace', ns])).code, 0);
  assert.equal(
    (await kubectl(['create', 'service', 'clusterip', 'nginx-headless', '-n', ns, '--tcp=8080:8080'])).code,
    0,
  );
  const before = await kubectlJson(['get', 'service', 'nginx-headless', '-n', ns]);
  const r = await sts(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE]);
  assert.equal(r.code, 1);
  assert.match(
    errorLine(r),
    /service "nginx-headless" already exists in namespace "\S+" and was not created by sts-lab/,
  );
  const afterwards = await kubectlJson(['get', 'service', 'nginx-headless', '-n', ns]);
  assert.equal(afterwards.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.equal(await exists('statefulset', 'nginx-sts', ns), false);
});

test('teardown --keep-pvcs --keep-namespace keeps them; a second teardown removes them', async () => {
  const ns = uniqueName('e2e-keepflags');
  after(() => dropNamespace(ns));
  const setup = await sts(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '1']);
  assert.equal(setup.code, 0, setup.stderr);
  const keep = await sts(['-n', ns, '--progress', 'none', 'teardown', '--keep-pvcs', '--keep-namespace']);
  assert.equal(keep.code, 0, keep.stderr);
  assert.match(keep.stdout, /persistentvolumeclaim\/data-nginx-sts-0\s+kept\s+--keep-pvcs/);
  assert.match(keep.stdout, new RegExp(`namespace/${ns}\\s+kept\\s+--keep-namespace`));
  assert.ok(await exists('persistentvolumeclaim', 'data-nginx-sts-0', ns));
  assert.equal(await exists('statefulset', 'nginx-sts', ns), false);
  const all = await sts(['-n', ns, '--progress', 'none', 'teardown']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /persistentvolumeclaim\/data-nginx-sts-0\s+deleted/);
  assert.equal(await exists('namespace', ns), false);
});

test('without the deletecollection permission on claims, teardown deletes them one by one', async () => {
  const ns = uniqueName('e2e-no-bulk');
  after(() => dropNamespace(ns));
  const setup = await sts(['-n', ns, '--progress', 'none', 'setup', '--image', IMAGE, '--replicas', '2']);
  assert.equal(setup.code, 0, setup.stderr);
  const rbac = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: no-bulk, namespace: ${ns} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: no-bulk, namespace: ${ns} }
rules:
- { apiGroups: [""], resources: [pods, pods/exec, services, configmaps, events], verbs: ["*"] }
- { apiGroups: [""], resources: [persistentvolumeclaims], verbs: [get, list, watch, delete] }
- { apiGroups: [apps], resources: [statefulsets, statefulsets/scale, controllerrevisions], verbs: ["*"] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: no-bulk, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: no-bulk }
subjects: [{ kind: ServiceAccount, name: no-bulk, namespace: ${ns} }]
`;
  assert.equal((await kubectl(['apply', '-f', '-'], rbac)).code, 0);
  const token = (await kubectl(['create', 'token', 'no-bulk', '-n', ns])).stdout.trim();
  const admin = await kubectlJson(['config', 'view', '--raw', '--minify']);
  const file = join(mkdtempSync(join(tmpdir(), 'sts-lab-no-bulk-')), 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      ...admin,
      users: [{ name: 'no-bulk', user: { token } }],
      contexts: [{ name: 'no-bulk', context: { cluster: admin.clusters[0].name, user: 'no-bulk' } }],
      'current-context': 'no-bulk',
    }),
  );
  const denied = await kubectl([
    '--kubeconfig',
    file,
    'auth',
    'can-i',
    'deletecollection',
    'persistentvolumeclaims',
    '-n',
    ns,
  ]);
  assert.equal(denied.stdout.trim(), 'no', 'the control: this user may not delete the collection');
  const r = await sts(['-n', ns, '--progress', 'none', 'teardown', '--keep-namespace'], { KUBECONFIG: file });
  assert.equal(r.code, 0, r.stderr);
  for (const claim of ['data-nginx-sts-0', 'data-nginx-sts-1']) {
    assert.match(r.stdout, new RegExp(`persistentvolumeclaim/${claim}\\s+deleted`));
    // Accepted deletes: the claim goes once the protection finalizer lets go, a moment later.
    await kubectl(['wait', '--for=delete', `persistentvolumeclaim/${claim}`, '-n', ns, '--timeout=60s']);
    assert.equal(await exists('persistentvolumeclaim', claim, ns), false, `${claim} is gone`);
  }
});
