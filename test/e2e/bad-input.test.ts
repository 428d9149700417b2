// Bad input and broken connections: non-zero exit, one clear line, nothing changed.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { errorLine, exists, LIMITED_KUBECONFIG, LIMITED_NAMESPACE, sts, uniqueName, writeKubeconfig } from './harness.ts';

const ns = uniqueName('e2e-bad');

test('usage errors exit 2 and create nothing', async () => {
  for (const [args, message] of [
    [['setup', '--replicas', '-1'], /invalid --replicas "-1"/],
    [['setup', '--replicas', 'abc'], /invalid --replicas "abc"/],
    [['setup', '-n', 'Bad_NS'], /invalid namespace "Bad_NS"/],
    [['frobnicate'], /unknown command "frobnicate" for "kubectl sts-lab"/],
  ] as const) {
    const r = await sts(['-n', ns, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
    assert.match(errorLine(r), message);
  }
  assert.equal(await exists('namespace', ns), false);
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

test('a server that refuses connections: exit 1, kubectl wording', async () => {
  const port = await closedPort();
  const kc = writeKubeconfig('refused.yaml', `https://127.0.0.1:${port}`);
  const r = await sts(['--kubeconfig', kc, 'setup']);
  assert.equal(r.code, 1);
  assert.equal(errorLine(r), `error: The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`);
});

test('a missing context and a missing kubeconfig file', async () => {
  const r = await sts(['--context', 'no-such-context', 'status']);
  assert.equal(r.code, 1);
  assert.equal(errorLine(r), 'error: context "no-such-context" does not exist');
  const m = await sts(['--kubeconfig', '/nonexistent/kubeconfig', 'status']);
  assert.equal(m.code, 1);
  assert.match(errorLine(m), /cannot read kubeconfig "\/nonexistent\/kubeconfig"/);
});

test('a user limited by RBAC to one namespace: setup elsewhere fails in preflight, naming what is missing', async () => {
  const r = await sts(['--kubeconfig', LIMITED_KUBECONFIG, '-n', ns, 'setup', '--progress', 'plain']);
  assert.equal(r.code, 1);
  // It may not even read Namespace objects, so it is told what it lacks inside the namespace.
  assert.match(errorLine(r), new RegExp(`missing permissions in namespace "${ns}": create statefulsets\\.apps, .*create pods/exec`));
  assert.match(r.stderr, /^hint: ask a cluster admin for the "edit" role/m);
  assert.equal(await exists('namespace', ns), false);
  const status = await sts(['--kubeconfig', LIMITED_KUBECONFIG, '-n', 'default', 'status']);
  assert.equal(status.code, 1);
  assert.match(errorLine(status), /statefulsets\.apps "nginx-sts" is forbidden: User "sts-lab-limited" cannot get resource "statefulsets" in API group "apps" in the namespace "default"/);
  // In its own namespace the same user may look.
  const own = await sts(['--kubeconfig', LIMITED_KUBECONFIG, '-n', LIMITED_NAMESPACE, 'status']);
  assert.equal(own.code, 0, own.stderr);
});

test('setup --dry-run prints exactly what would be applied and applies nothing', async () => {
  const r = await sts(['-n', ns, '--name', 'web', '--service', 'web-h', 'setup', '--dry-run', '-o', 'yaml', '--replicas', '2']);
  assert.equal(r.code, 0, r.stderr);
  const list = parseAllDocuments(r.stdout)[0]!.toJS();
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`), [`Namespace/${ns}`, 'Service/web-h', 'StatefulSet/web']);
  assert.equal(list.items[2].spec.replicas, 2);
  assert.equal(await exists('namespace', ns), false);
});
