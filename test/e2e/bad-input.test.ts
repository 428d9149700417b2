// Bad input and broken connections: non-zero exit, one clear line, nothing changed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ADMIN_KUBECONFIG } from './cluster-env.ts';
import {
  errorLine,
  exists,
  LIMITED_KUBECONFIG,
  LIMITED_NAMESPACE,
  sandboxFile,
  sts,
  uniqueName,
  writeKubeconfig,
} from './harness.ts';

const ns = uniqueName('e2e-bad');

const notYaml = sandboxFile('not-yaml.kubeconfig', 'apiVersion: v1\nclusters: [\n  - x: : :\n');
const kubeconfigDir = mkdtempSync(join(tmpdir(), 'sts-lab-dir-'));

/** [what the user typed, exit code, the one error line]: each refused before anything changes. */
const BAD_INPUT: [string[], number, RegExp][] = [
  [['setup', '--replicas'], 2, /^error: flag needs an argument: --replicas$/],
  [['setup', '--replicas', '--parallel'], 2, /^error: flag needs an argument: --replicas$/],
  [['setup', '--replicas='], 2, /^error: invalid argument "" for "--replicas" flag: must not be empty$/],
  [['setup', '--replicas', '-1'], 2, /invalid --replicas "-1"/],
  [['setup', '--replicas', 'abc'], 2, /invalid --replicas "abc"/],
  [['setup', '--replicas', '101'], 2, /at most 100 replicas/],
  [['setup', '--replicas', '2.5'], 2, /invalid --replicas "2\.5"/],
  [['setup', '--image'], 2, /^error: flag needs an argument: --image$/],
  [['setup', '--image', ''], 2, /^error: invalid argument "" for "--image" flag: must not be empty$/],
  [['setup', '--image', 'UPPER:::bad'], 2, /^error: invalid --image "UPPER:::bad": not a valid image reference/],
  [['setup', '--image', 'Nginx:1.27'], 2, /repository names must be lowercase/],
  [['setup', '--image', 'nginx:'], 2, /invalid --image "nginx:"/],
  [['setup', '--image', 'has space'], 2, /invalid --image "has space"/],
  [['setup', '--image', 'nginx@sha256:abc'], 2, /invalid --image "nginx@sha256:abc"/],
  [['setup', '--storage-size', '1GB'], 2, /invalid --storage-size "1GB"/],
  [['setup', '--storage-size'], 2, /^error: flag needs an argument: --storage-size$/],
  [['setup', '--storage-class', ''], 2, /^error: invalid argument "" for "--storage-class" flag: must not be empty$/],
  [['setup', '--retention', 'whenScaled=Maybe'], 2, /invalid --retention "whenScaled=Maybe"/],
  [['setup', '--retention'], 2, /^error: flag needs an argument: --retention$/],
  [['setup', '-n', 'Bad_NS'], 2, /invalid namespace "Bad_NS"/],
  [['setup', '-n', ''], 2, /^error: invalid argument "" for "-n" flag: must not be empty$/],
  [['setup', '-n'], 2, /^error: flag needs an argument: -n$/],
  [['setup', '--name', 'UPPER'], 2, /invalid --name "UPPER"/],
  [['setup', '--name', 'a'.repeat(53)], 2, /at most 52 characters/],
  [['setup', '--service', 'bad_svc'], 2, /invalid --service "bad_svc"/],
  [['setup', '--timeout', 'soon'], 2, /invalid duration "soon"/],
  [['setup', '--timeout', '0'], 2, /invalid --timeout: must be greater than zero/],
  [['setup', '--request-timeout', 'x'], 2, /invalid duration "x"/],
  [
    ['setup', '-o', 'xml'],
    2,
    /^error: invalid argument "xml" for "--output" flag: must be one of table, wide, json, yaml$/,
  ],
  [['setup', '-o'], 2, /^error: flag needs an argument: -o$/],
  [['setup', '--color', 'sometimes'], 2, /invalid argument "sometimes" for "--color" flag/],
  [['setup', '--progress', 'loud'], 2, /invalid argument "loud" for "--progress" flag/],
  [['frobnicate'], 2, /^error: unknown command "frobnicate" for "kubectl sts-lab"$/],
  [['setpu'], 2, /unknown command "setpu" for "kubectl sts-lab"; did you mean setup\?/],
  [['setup', 'extra'], 2, /unknown argument: extra/i],
  [['setup', '--bogus'], 2, /unknown argument: bogus/i],
  [['scale'], 2, /^error: .*(not enough|required)/i],
  [['scale', '-1'], 2, /invalid replica count "-1"/],
  [['scale', 'many'], 2, /invalid replica count "many"/],
  [['kill-pod'], 2, /^error: .*(not enough|required)/i],
  [['kill-pod', 'abc'], 2, /invalid ordinal "abc"/],
  [['unready'], 2, /^error: .*(not enough|required)/i],
  [['ready', 'one'], 2, /invalid ordinal "one"/],
  [['orphan', '--delete-pod', 'x'], 2, /invalid ordinal "x"/],
  [['check-persistence', 'x1'], 2, /invalid ordinal "x1"/],
  [['write-data', '--message', ''], 2, /^error: invalid argument "" for "--message" flag: must not be empty$/],
  [
    ['write-data', '--message', 'a', '--message-file', '/etc/hostname'],
    2,
    /give --message or --message-file, not both/,
  ],
  [['write-data', '--message-file', '/no/such/file'], 2, /cannot read --message-file "\/no\/such\/file"/],
  [
    ['tour', '--report', '/no/such/dir/x.md'],
    2,
    /^error: cannot write --report \/no\/such\/dir\/x\.md: no such directory \/no\/such\/dir$/,
  ],
  [['tour', '--report', kubeconfigDir], 2, /cannot write --report .*: it is a directory$/],
  [
    ['tour', '--part', 'storage', '--junit', '/no/such/dir/report.xml'],
    2,
    /^error: cannot write --junit \/no\/such\/dir\/report\.xml: no such directory \/no\/such\/dir$/,
  ],
  [['kill-pod', '1', '--junit', kubeconfigDir], 2, /^error: cannot write --junit .*: it is a directory$/],
  [
    ['status', '--junit', 'x.xml'],
    2,
    /^error: --junit: status judges nothing; use it with tour or a command that ends in a verdict$/,
  ],
  [['tour', '--max-recovery', '2 minutes'], 2, /^error: invalid duration "2 minutes"/],
  [['tour', '--max-recovery', '0'], 2, /^error: invalid --max-recovery "0": must be greater than zero$/],
  [['setup', '--max-ready', '0s'], 2, /^error: invalid --max-ready "0s": must be greater than zero$/],
  [['setup', '--max-attach', '-5s'], 2, /^error: invalid duration "-5s"/],
  [['kill-pod', '1', '--max-recovery'], 2, /^error: flag needs an argument: --max-recovery$/],
  [['node-failure', '1', '--manual', '--max-recovery', 'fast'], 2, /^error: invalid duration "fast"/],
  [['scale', '3', '--max-recovery', '1m'], 2, /^error: unknown argument: max-recovery$/i],
  [['tour', '--image', 'UPPER:::bad'], 2, /invalid --image "UPPER:::bad"/],
  [
    ['tour', '--part', 'upgrades'],
    2,
    /^error: invalid argument "upgrades" for "--part" flag: must be one of seed, updates, lifecycle, nodes, storage, all, or a comma-separated list of them$/,
  ],
  [['update', '--max-unavailable'], 2, /^error: flag needs an argument: --max-unavailable$/],
  [
    ['update', '--max-unavailable', '0'],
    2,
    /^error: invalid --max-unavailable "0": must be a whole number from 1 to 100, or a percentage such as 50%$/,
  ],
  [['rollback', '--to-revision', 'last'], 2, /^error: invalid --to-revision "last"/],
  [['rollback', '--to-revision'], 2, /^error: flag needs an argument: --to-revision$/],
  [
    ['--kubeconfig', notYaml, 'setup'],
    1,
    /^error: error loading config file ".*not-yaml\.kubeconfig": not valid YAML: .*\(line 3\)$/,
  ],
  [
    ['--kubeconfig', kubeconfigDir, 'setup'],
    1,
    /^error: error loading config file ".*sts-lab-dir-\w+": it is a directory$/,
  ],
  [['--context', 'no-such-context', 'setup'], 1, /^error: context "no-such-context" does not exist$/],
];

test(`bad input: ${BAD_INPUT.length} cases, each one error line, the right exit code, no stack trace, nothing created`, async () => {
  assert.ok(BAD_INPUT.length >= 40);
  for (const [args, code, message] of BAD_INPUT) {
    const r = await sts(['-n', ns, ...args]);
    const what = `kubectl sts-lab ${args.join(' ')}`;
    assert.equal(r.code, code, `${what}\n${r.stderr}`);
    assert.match(errorLine(r), message, what);
    assert.equal(r.stdout, '', `${what}: nothing on stdout`);
  }
  assert.equal(await exists('namespace', ns), false, 'no bad input created the namespace');
});

test('KUBECONFIG naming a file that is not YAML: one line naming that file', async () => {
  const r = await sts(['status'], { KUBECONFIG: `/no/such/file:${notYaml}` });
  assert.equal(r.code, 1);
  assert.match(errorLine(r), /^error: error loading config file ".*not-yaml\.kubeconfig": not valid YAML/);
});

test("a server certificate from an unknown authority: kubectl's x509 words, no Node.js advice", async () => {
  const server = /^\s*server:\s*(\S+)/m.exec(readFileSync(ADMIN_KUBECONFIG, 'utf8'))![1]!;
  const kc = writeKubeconfig('unknown-ca.yaml', server, true);
  const r = await sts(['--kubeconfig', kc, 'status']);
  assert.equal(r.code, 1);
  assert.equal(
    errorLine(r),
    'error: Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority',
  );
  assert.doesNotMatch(r.stderr, /Node\.js|--use-system-ca/);
});

test('no subcommand: the help on stdout, exit 0, as kubectl does', async () => {
  const r = await sts([]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^kubectl sts-lab <command>/);
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
  assert.equal(
    errorLine(r),
    `error: The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
  );
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
  assert.match(
    errorLine(r),
    new RegExp(`missing permissions in namespace "${ns}": create statefulsets\\.apps, .*create pods/exec`),
  );
  assert.match(r.stderr, /^hint: ask a cluster admin for the "edit" role/m);
  assert.equal(await exists('namespace', ns), false);
  const status = await sts(['--kubeconfig', LIMITED_KUBECONFIG, '-n', 'default', 'status']);
  assert.equal(status.code, 1);
  assert.match(
    errorLine(status),
    /statefulsets\.apps "nginx-sts" is forbidden: User "sts-lab-limited" cannot get resource "statefulsets" in API group "apps" in the namespace "default"/,
  );
  // In its own namespace the same user may look.
  const own = await sts(['--kubeconfig', LIMITED_KUBECONFIG, '-n', LIMITED_NAMESPACE, 'status']);
  assert.equal(own.code, 0, own.stderr);
});

test('setup --dry-run prints exactly what would be applied and applies nothing', async () => {
  const r = await sts([
    '-n',
    ns,
    '--name',
    'web',
    '--service',
    'web-h',
    'setup',
    '--dry-run',
    '-o',
    'yaml',
    '--replicas',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const list = parseAllDocuments(r.stdout)[0]!.toJS();
  assert.equal(list.kind, 'List');
  assert.deepEqual(
    list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`),
    [`Namespace/${ns}`, 'Service/web-h', 'StatefulSet/web'],
  );
  assert.equal(list.items[2].spec.replicas, 2);
  assert.equal(await exists('namespace', ns), false);
});
