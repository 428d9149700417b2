// The pure parts of reading a kubeconfig as kubectl does: merge rules, path resolution, kubectl's validation
// words, the impersonation headers, Go's proxy rules, the exec plugin's protocol, and the headers on the wire.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kube } from '../../src/k8s/client.ts';
import { ExecCredentialPlugin } from '../../src/k8s/exec-credential.ts';
import { connectionFor, headerKeyEscape, impersonationHeaders } from '../../src/k8s/kubeconfig-connection.ts';
import { confirmUsable } from '../../src/k8s/kubeconfig-validate.ts';
import {
  kubeconfigFiles,
  loadKubeconfig,
  mergeKubeconfigs,
  parseKubeconfig,
  resolveLocalPaths,
} from '../../src/k8s/kubeconfig.ts';
import { bypassesProxy, proxyFor } from '../../src/k8s/proxy-env.ts';
import { Transport } from '../../src/k8s/transport.ts';

(globalThis as { __VERSION__?: string }).__VERSION__ ??= 'test';

const dir = mkdtempSync(join(tmpdir(), 'kc-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = join(dir, name);
  mkdirSync(join(f, '..'), { recursive: true });
  writeFileSync(f, text);
  return f;
};
const doc = (o: object) => JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...o });
const config = (users: object, cluster: object = { server: 'https://k:6443' }, ctx: object = {}) =>
  parseKubeconfig(
    doc({
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user: users }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', ...ctx } }],
      'current-context': 'x',
    }),
  );
const refused = (c: ReturnType<typeof config>) => {
  try {
    confirmUsable(c, 'x');
    return 'usable';
  } catch (err) {
    return (err as Error).message;
  }
};

test('merge: the first file to name a cluster, user or context keeps it whole; the first current-context wins', () => {
  const a = parseKubeconfig(
    doc({ users: [{ name: 'u', user: { token: 'a' } }], contexts: [{ name: 'x', context: { cluster: 'c' } }] }),
  );
  const b = parseKubeconfig(
    doc({
      users: [
        { name: 'u', user: { token: 'b', as: 'someone' } },
        { name: 'v', user: { token: 'v' } },
      ],
      'current-context': 'y',
    }),
  );
  const c = parseKubeconfig(doc({ 'current-context': 'z' }));
  const m = mergeKubeconfigs([a, b, c]);
  assert.deepEqual(m.users.get('u'), { token: 'a' }, 'no field of the second "u" leaks in');
  assert.equal(m.users.get('v')?.token, 'v');
  assert.equal(m.currentContext, 'y');
});

test('a name twice in one file, YAML errors, an empty file', () => {
  assert.throws(() => parseKubeconfig(doc({ users: [{ name: 'u' }, { name: 'u' }] })), /duplicate name "u" in users/);
  assert.throws(
    () => parseKubeconfig('apiVersion: v1\nclusters: [\n  - x: : :\n'),
    /^Error: not valid YAML: .*\(line 3\)$/,
  );
  assert.equal(parseKubeconfig('').clusters.size, 0);
});

test("paths: relative to the file's directory; an exec command only when it names a path", () => {
  const c = resolveLocalPaths(
    config(
      { 'client-certificate': 'pki/a.crt', 'client-key': '/abs/a.key', tokenFile: 'tok', exec: { command: 'aws' } },
      { server: 'https://k', 'certificate-authority': '../ca.crt' },
    ),
    '/etc/kube',
  );
  const u = c.users.get('u')!;
  assert.equal(u['client-certificate'], '/etc/kube/pki/a.crt');
  assert.equal(u['client-key'], '/abs/a.key');
  assert.equal(u.tokenFile, '/etc/kube/tok');
  assert.equal(u.exec?.command, 'aws');
  assert.equal(c.clusters.get('c')!['certificate-authority'], '/etc/ca.crt');
  const rel = resolveLocalPaths(config({ exec: { command: './bin/plugin' } }), '/etc/kube');
  assert.equal(rel.users.get('u')!.exec?.command, '/etc/kube/bin/plugin');
});

test('KUBECONFIG: split, deduplicated, empty entries and missing files skipped; each file resolves its own paths', () => {
  const a = file('a/config', doc({ users: [{ name: 'u', user: { tokenFile: 't' } }], 'current-context': 'x' }));
  const b = file('b/config', doc({ users: [{ name: 'w', user: { tokenFile: 't' } }], 'current-context': 'y' }));
  assert.deepEqual(kubeconfigFiles({ KUBECONFIG: `${a}::${a}:${b}` }), [a, b]);
  assert.equal(kubeconfigFiles({ HOME: '/home/me' })[0], '/home/me/.kube/config');
  const { config: m } = loadKubeconfig(undefined, { KUBECONFIG: `/nonexistent:${a}:${b}` });
  assert.equal(m.users.get('u')!.tokenFile, join(dir, 'a', 't'));
  assert.equal(m.users.get('w')!.tokenFile, join(dir, 'b', 't'));
  assert.equal(m.currentContext, 'x');
  assert.throws(() => loadKubeconfig(undefined, { KUBECONFIG: ':' }), /KUBECONFIG names no kubeconfig/);
  assert.throws(() => loadKubeconfig('/nonexistent', {}), /cannot read kubeconfig "\/nonexistent"/);
});

test('in-cluster: used only when no kubeconfig has anything, and only with the token file', () => {
  const sa = join(dir, 'sa');
  file('sa/token', 'sa-token\n');
  file('sa/namespace', 'team-a');
  const env = { KUBECONFIG: '/nonexistent', KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
  const { config: c } = loadKubeconfig(undefined, env, sa);
  const conn = connectionFor(c, undefined);
  assert.equal(conn.server, 'https://[fd00::1]:443');
  assert.equal(conn.namespace, 'team-a');
  assert.deepEqual(conn.credential, { kind: 'token', token: 'sa-token', file: join(sa, 'token') });
  assert.throws(
    () => loadKubeconfig(undefined, env, join(dir, 'no-sa')),
    /KUBERNETES_SERVICE_HOST is set but .*no-sa\/token does not exist/,
  );
});

test("validation: kubectl's words for what it refuses", () => {
  const cert = { 'client-certificate': '/dev/null', 'client-key': '/dev/null' };
  assert.equal(
    refused(config({ ...cert, 'client-certificate-data': 'eA==' })),
    'client-cert-data and client-cert are both specified for u. client-cert-data will override.',
  );
  assert.equal(
    refused(config({ ...cert, 'client-key-data': 'eA==' })),
    'client-key-data and client-key are both specified for u; client-key-data will override',
  );
  assert.equal(
    refused(
      config({}, { server: 'https://k', 'certificate-authority': '/dev/null', 'certificate-authority-data': 'eA==' }),
    ),
    'certificate-authority-data and certificate-authority are both specified for c. certificate-authority-data will override.',
  );
  assert.equal(
    refused(config({ 'client-certificate': '/dev/null' })),
    'client-key-data or client-key must be specified for u to use the clientCert authentication method.',
  );
  assert.equal(
    refused(config({ token: 'a', username: 'b' })),
    'more than one authentication method found for u; found [token basicAuth], only one is allowed',
  );
  assert.equal(
    refused(config({ 'as-groups': ['g'] })),
    'requesting uid, groups or user-extra for u without impersonating a user',
  );
  assert.equal(
    refused(config({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x' } })),
    'interactiveMode must be specified for u to use exec authentication plugin',
  );
  assert.equal(
    refused(config({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'x' } })),
    'usable',
    'v1beta1 defaults interactiveMode to IfAvailable',
  );
  assert.equal(
    refused(config({}, { server: 'https://k', 'proxy-url': 'ftp://p:21' })),
    `invalid 'proxy-url' "ftp://p:21" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5`,
  );
  assert.equal(
    refused(config({}, { server: 'https://k', 'certificate-authority': '/nonexistent/ca' })),
    'unable to read certificate-authority /nonexistent/ca for c due to open /nonexistent/ca: no such file or directory',
  );
  assert.match(
    refused(config({ token: 'a', username: 'b', 'as-uid': '1' })),
    /^invalid configuration: \[more than one .*, requesting uid/,
  );
  assert.equal(
    refused(config({}, { server: 'https://k' }, { cluster: 'ghost' })),
    'cluster "ghost" was not found for context "x"',
  );
});

test('credentials: which one client-go sends, and the removed auth providers', () => {
  const cred = (u: object) => connectionFor(config(u), undefined).credential;
  assert.deepEqual(cred({ token: 't' }), { kind: 'token', token: 't' });
  const tf = file('tok', ' from-file \n');
  assert.deepEqual(cred({ tokenFile: tf }), { kind: 'token', token: 'from-file', file: tf });
  assert.throws(
    () => cred({ tokenFile: '/nonexistent/t' }),
    /^CliError: open \/nonexistent\/t: no such file or directory$/,
  );
  assert.equal(cred({ username: 'a', password: 'b' }).kind, 'basic');
  const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Never' };
  assert.equal(cred({ exec }).kind, 'exec');
  // A client certificate (like a token) takes precedence: the plugin is not run.
  assert.equal(cred({ exec, 'client-certificate-data': 'eA==', 'client-key-data': 'eA==' }).kind, 'none');
  assert.throws(
    () => cred({ exec: { ...exec, apiVersion: 'client.authentication.k8s.io/v1alpha1' } }),
    /exec plugin: invalid apiVersion "client.authentication.k8s.io\/v1alpha1"/,
  );
  assert.throws(() => cred({ 'auth-provider': { name: 'gcp' } }), /^CliError: The gcp auth plugin has been removed\.$/);
  assert.throws(() => cred({ 'auth-provider': { name: 'azure' } }), /The azure auth plugin has been removed\./);
  assert.throws(() => cred({ 'auth-provider': { name: 'keystone' } }), /no Auth Provider found for name "keystone"/);
  assert.throws(() => cred({ 'auth-provider': { name: 'oidc', config: {} } }), /Must provide client-id/);
  const c = connectionFor(
    config({}, { server: 'https://k/', 'insecure-skip-tls-verify': true, 'tls-server-name': 'n' }),
    undefined,
  );
  assert.equal(c.server, 'https://k');
  assert.equal(c.insecure, true);
  assert.equal(c.servername, 'n');
  assert.throws(
    () =>
      connectionFor(
        config({}, { server: 'https://k', 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'eA==' }),
        undefined,
      ),
    /specifying a root certificates file with the insecure flag is not allowed/,
  );
  assert.throws(() => connectionFor(config({}), 'nope'), /context "nope" does not exist/);
});

test('impersonation: one Impersonate-Group per group, Impersonate-Extra keys percent-encoded as client-go does', () => {
  assert.deepEqual(
    impersonationHeaders({
      as: 'jane',
      'as-uid': '42',
      'as-groups': ['a', 'b'],
      'as-user-extra': { 'example.com/team name': ['x', 'y'], 'ok-key_1.~': ['z'] },
    }),
    [
      ['Impersonate-User', 'jane'],
      ['Impersonate-Uid', '42'],
      ['Impersonate-Group', 'a'],
      ['Impersonate-Group', 'b'],
      ['Impersonate-Extra-example.com%2Fteam%20name', 'x'],
      ['Impersonate-Extra-example.com%2Fteam%20name', 'y'],
      ['Impersonate-Extra-ok-key_1.~', 'z'],
    ],
  );
  assert.equal(headerKeyEscape('100%'), '100%25');
  assert.equal(headerKeyEscape('é'), '%C3%A9');
});

test("proxies: Go's NO_PROXY matching and HTTPS_PROXY choice", () => {
  assert.equal(bypassesProxy('api.example.com', '443', 'example.com'), true, 'a domain matches its subdomains');
  assert.equal(bypassesProxy('example.com', '443', 'example.com'), true);
  assert.equal(bypassesProxy('example.com', '443', '.example.com'), false, 'a leading dot: subdomains only');
  assert.equal(bypassesProxy('a.example.com', '443', '*.example.com'), true);
  assert.equal(bypassesProxy('notexample.com', '443', 'example.com'), false);
  assert.equal(bypassesProxy('api.example.com', '443', 'example.com:6443'), false, 'the port must match');
  assert.equal(bypassesProxy('api.example.com', '6443', 'example.com:6443'), true);
  assert.equal(bypassesProxy('10.1.2.3', '443', '10.0.0.0/8'), true);
  assert.equal(bypassesProxy('11.1.2.3', '443', '10.0.0.0/8'), false);
  assert.equal(bypassesProxy('10.1.2.3', '443', '10.1.2.3'), true);
  assert.equal(bypassesProxy('10.1.2.3', '443', '3'), false, 'a domain entry never matches an IP');
  assert.equal(bypassesProxy('fd00::1', '443', '[fd00::1]:443'), true);
  assert.equal(bypassesProxy('anything', '1', ' , * '), true);
  const env = { HTTPS_PROXY: 'proxy:3128', https_proxy: 'http://lower:1', HTTP_PROXY: 'http://plain:80' };
  assert.equal(proxyFor('https://api.example.com', undefined, env)?.href, 'http://proxy:3128/');
  assert.equal(
    proxyFor('https://api.example.com', undefined, { https_proxy: 'http://lower:1' })?.href,
    'http://lower:1/',
  );
  assert.equal(proxyFor('http://api.example.com', undefined, env)?.href, 'http://plain/');
  assert.equal(proxyFor('https://127.0.0.1:6443', undefined, env), undefined, 'loopback never goes through a proxy');
  assert.equal(proxyFor('https://localhost:6443', undefined, env), undefined);
  assert.equal(proxyFor('https://api.example.com', undefined, { ...env, NO_PROXY: 'example.com' }), undefined);
  assert.equal(
    proxyFor('https://127.0.0.1', 'socks5://s:1080', { NO_PROXY: '*' })?.href,
    'socks5://s:1080',
    'proxy-url ignores NO_PROXY',
  );
});

const v1 = 'client.authentication.k8s.io/v1';
const script = (name: string, body: string) => file(name, `#!/bin/sh\n${body}\n`);
const cred = (status: object) => `echo '${JSON.stringify({ apiVersion: v1, kind: 'ExecCredential', status })}'`;

test('exec plugin: one run for concurrent requests, cached until expirationTimestamp, re-run after a 401', async () => {
  const count = join(dir, 'count');
  const exp = new Date(Date.now() + 3_600_000).toISOString();
  script('p1.sh', `echo run >> ${count}; ${cred({ token: 't', expirationTimestamp: exp })}`);
  const p = new ExecCredentialPlugin(
    { apiVersion: v1, command: 'sh', args: [join(dir, 'p1.sh')], interactiveMode: 'Never' },
    undefined,
  );
  const [a, b] = await Promise.all([p.get(), p.get()]);
  assert.equal(a, b);
  assert.equal(a.token, 't');
  assert.equal(a.expiresAt, Date.parse(exp));
  await p.get();
  assert.equal(p.runs, 1);
  const fresh = await p.refresh(a);
  assert.notEqual(fresh, a);
  assert.equal(p.runs, 2);
  await p.refresh(a); // already rotated by another request: no third run
  assert.equal(p.runs, 2);
  const expired = new ExecCredentialPlugin(
    {
      apiVersion: v1,
      command: 'sh',
      args: ['-c', cred({ token: 'e', expirationTimestamp: '2000-01-01T00:00:00Z' })],
      interactiveMode: 'Never',
    },
    undefined,
  );
  await expired.get();
  await expired.get();
  assert.equal(expired.runs, 2, 'an expired credential is fetched again');
});

test("exec plugin: KUBERNETES_EXEC_INFO, the exec env, and kubectl's errors", async () => {
  const out = join(dir, 'info');
  const seen = new ExecCredentialPlugin(
    {
      apiVersion: v1,
      command: 'sh',
      args: ['-c', `printf '%s|%s' "$KUBERNETES_EXEC_INFO" "$EXTRA" > ${out}; ${cred({ token: 't' })}`],
      env: [{ name: 'EXTRA', value: 'e' }],
      interactiveMode: 'IfAvailable',
    },
    { server: 'https://k', config: { a: 1 } },
    { stdinIsTTY: false },
  );
  await seen.get();
  const { readFileSync } = await import('node:fs');
  assert.equal(
    readFileSync(out, 'utf8'),
    `{"kind":"ExecCredential","apiVersion":"${v1}","spec":{"cluster":{"server":"https://k","config":{"a":1}},"interactive":false}}|e`,
  );
  const fails = async (exec: object, opts = {}) => {
    try {
      await new ExecCredentialPlugin(
        { apiVersion: v1, interactiveMode: 'Never', command: 'sh', ...exec },
        undefined,
        opts,
      ).get();
      return 'ok';
    } catch (err) {
      return (err as Error).message.replace('Unable to connect to the server: getting credentials: ', '');
    }
  };
  assert.equal(await fails({ command: 'kc-no-such-plugin' }), 'exec: executable kc-no-such-plugin not found');
  assert.equal(await fails({ args: ['-c', 'exit 4'] }), 'exec: executable sh failed with exit code 4');
  assert.match(
    await fails({ args: ['-c', 'echo nope'] }),
    /^decoding stdout: couldn't get version\/kind; json parse error/,
  );
  assert.equal(
    await fails({
      args: [
        '-c',
        `echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"a"}}'`,
      ],
    }),
    `exec plugin is configured to use API version ${v1}, plugin returned version client.authentication.k8s.io/v1beta1`,
  );
  assert.equal(
    await fails({ args: ['-c', `echo '{"apiVersion":"${v1}","kind":"ExecCredential"}'`] }),
    "exec plugin didn't return a status field",
  );
  assert.equal(await fails({ args: ['-c', cred({})] }), "exec plugin didn't return a token or cert/key pair");
  assert.equal(
    await fails({ args: ['-c', cred({ clientCertificateData: 'x' })] }),
    'exec plugin returned only certificate or key, not both',
  );
  assert.equal(
    await fails({ interactiveMode: 'Always' }, { stdinIsTTY: false }),
    'exec plugin cannot support interactive mode: standard input is not a terminal',
  );
  assert.equal(
    await fails({ args: ['-c', 'sleep 5'] }, { timeoutMs: 200 }),
    'exec: executable sh did not finish within 0.2s',
  );
});

test('on the wire: Authorization, one Impersonate-Group line per group, a 401 retried once with a fresh plugin token', async (t) => {
  const seen: string[][] = [];
  const srv = createServer((req, res) => {
    seen.push(req.rawHeaders);
    const auth = req.headers.authorization;
    res.statusCode = auth === 'Bearer good' ? 200 : 401;
    res.end('{}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => srv.close());
  const port = (srv.address() as { port: number }).port;
  const flag = join(dir, 'wire-used');
  const p = script(
    'wire.sh',
    `if [ -e ${flag} ]; then ${cred({ token: 'good' })}; else touch ${flag}; ${cred({ token: 'stale' })}; fi`,
  );
  const c = config(
    {
      as: 'jane',
      'as-groups': ['g1', 'g2'],
      exec: { apiVersion: v1, command: 'sh', args: [p], interactiveMode: 'Never' },
    },
    { server: `http://127.0.0.1:${port}`, 'disable-compression': true },
  );
  const kube = new Kube(new Transport(connectionFor(c, undefined), {}), new AbortController().signal, 0);
  await kube.read('/api');
  assert.equal(seen.length, 2, 'the 401 was retried once');
  const last = seen[1]!;
  const values = (name: string) => last.filter((_, i) => i % 2 === 1 && last[i - 1]!.toLowerCase() === name);
  assert.deepEqual(values('authorization'), ['Bearer good']);
  assert.deepEqual(values('impersonate-user'), ['jane']);
  assert.deepEqual(values('impersonate-group'), ['g1', 'g2']);
  assert.deepEqual(values('accept-encoding'), ['identity']);
  assert.match(values('user-agent')[0]!, /^kubectl-sts_lab\//);
});
