// Every credential and transport field of a kubeconfig that kubectl honours, against the local cluster: the built
// plugin and kubectl itself read the same file, and the identity the API server saw (its "forbidden … User X" words,
// or a read allowed) proves what was sent. One namespace, two service accounts: "nobody" has no rights, "reader"
// may view the namespace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_KUBECONFIG } from './cluster-env.ts';
import {
  cleanEnv,
  dropNamespace,
  errorLine,
  kubectl,
  LIMITED_KUBECONFIG,
  run,
  sts,
  uniqueName,
  type Result,
} from './harness.ts';

const NS = uniqueName('kc-kubeconfig');
const PKI = '/var/lib/sts-lab/cluster/pki';
const SERVER = 'https://127.0.0.1:6443';
const dir = mkdtempSync(join(tmpdir(), 'kc-kubeconfig-'));
const b64 = (file: string) => readFileSync(file).toString('base64');
let nobodyToken = '';
let readerToken = '';
const NOBODY = `system:serviceaccount:${NS}:nobody`;

type Obj = Record<string, unknown>;
/** A kubeconfig (JSON is YAML) at dir/name: one cluster c, one user u, one context x, current. */
function kubeconfig(name: string, cluster: Obj, user: Obj, extra: Obj = {}): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: SERVER, 'certificate-authority': `${PKI}/ca.crt`, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
    ...extra,
  };
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

const admin = { 'client-certificate': `${PKI}/admin.crt`, 'client-key': `${PKI}/admin.key` };
const limitedUser = () => {
  const lk = readFileSync(LIMITED_KUBECONFIG, 'utf8');
  const path = (f: string) => /client-certificate: (\S+)/.exec(lk)![1]!.replace('limited.crt', f);
  return { 'client-certificate-data': b64(path('limited.crt')), 'client-key-data': b64(path('limited.key')) };
};

/** `kubectl sts-lab status` in the test namespace with this kubeconfig (and environment). */
const status = (file: string | undefined, env: Record<string, string> = {}, args: string[] = []) =>
  sts([...(file ? ['--kubeconfig', file] : []), ...args, 'status', '-n', NS], env);
/** The same read by kubectl. */
const kubectlGet = (file: string | undefined, env: Record<string, string> = {}, args: string[] = []) =>
  run('kubectl', [...(file ? ['--kubeconfig', file] : []), ...args, 'get', 'statefulset', 'nginx-sts', '-n', NS], {
    env: cleanEnv(env),
    timeoutMs: 60_000,
  });

/** Who the server saw: the user it refused, "allowed" when the read went through, else the error. */
function seen(r: Result): string {
  const user = /User "([^"]+)" cannot/.exec(r.stderr)?.[1];
  if (user) return user;
  if ((r.code === 0 && /No lab in namespace/.test(r.stdout)) || /\(NotFound\)/.test(r.stderr)) return 'allowed';
  return `failed: ${r.stderr.trim()}`;
}

/** sts-lab and kubectl see the same identity for this kubeconfig; returns it. */
async function sameAsKubectl(file: string | undefined, env: Record<string, string> = {}, args: string[] = []) {
  const [ours, theirs] = await Promise.all([status(file, env, args), kubectlGet(file, env, args)]);
  assert.equal(seen(ours), seen(theirs), `sts-lab:\n${ours.stderr}\nkubectl:\n${theirs.stderr}`);
  return seen(ours);
}

before(async () => {
  const setup = [
    ['create', 'namespace', NS],
    ['create', 'serviceaccount', 'nobody', '-n', NS],
    ['create', 'serviceaccount', 'reader', '-n', NS],
    ['create', 'rolebinding', 'reader-view', '--clusterrole=view', `--serviceaccount=${NS}:reader`, '-n', NS],
    ['create', 'rolebinding', 'group-view', '--clusterrole=view', '--group=kc-viewers', '-n', NS],
  ];
  for (const a of setup) {
    const r = await kubectl(a);
    assert.equal(r.code, 0, r.stderr);
  }
  const token = async (sa: string) => (await kubectl(['create', 'token', sa, '-n', NS])).stdout.trim();
  [nobodyToken, readerToken] = await Promise.all([token('nobody'), token('reader')]);
  assert.ok(nobodyToken && readerToken);
});

after(async () => {
  await dropNamespace(NS);
  rmSync(dir, { recursive: true, force: true });
});

test('token: the server sees the service account', async () => {
  assert.equal(await sameAsKubectl(kubeconfig('token.yaml', {}, { token: nobodyToken })), NOBODY);
});

test('tokenFile: a relative path is the kubeconfig directory, and a rotated token is read by the next command', async () => {
  mkdirSync(join(dir, 'tf', 'secrets'), { recursive: true });
  writeFileSync(join(dir, 'tf', 'secrets', 'token'), `${nobodyToken}\n`);
  const file = kubeconfig('tf/kubeconfig', {}, { tokenFile: 'secrets/token' });
  assert.equal(await sameAsKubectl(file), NOBODY);
  writeFileSync(join(dir, 'tf', 'secrets', 'token'), readerToken);
  assert.equal(await sameAsKubectl(file), 'allowed');
  // client-node's own spelling is no kubectl field: no credential is sent (kubectl then asks for a password).
  const dashed = kubeconfig('tf/dashed', {}, { 'token-file': join(dir, 'tf', 'secrets', 'token') });
  assert.equal(seen(await status(dashed)), 'system:anonymous');
  assert.match((await kubectlGet(dashed)).stdout, /Please enter Username/);
});

/** An exec plugin: a shell script in dir/name that logs its runs and KUBERNETES_EXEC_INFO, then runs body. */
function plugin(name: string, body: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho "$KUBERNETES_EXEC_INFO" >> "$0.runs"\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
const credential = (token: string) =>
  `printf '%s' '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } })}'`;
const runsOf = (file: string) =>
  existsSync(`${file}.runs`) ? readFileSync(`${file}.runs`, 'utf8').trim().split('\n').filter(Boolean) : [];
const execUser = (command: string, extra: Obj = {}) => ({
  exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never', ...extra },
});

test('exec plugin: a relative command, its token, KUBERNETES_EXEC_INFO with the cluster, one run for all requests', async () => {
  const script = plugin('exec/token.sh', credential(nobodyToken));
  const file = kubeconfig(
    'exec/kubeconfig',
    {
      'tls-server-name': 'kubernetes',
      extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'kc' } }],
    },
    execUser('./token.sh', { provideClusterInfo: true }),
  );
  const r = await status(file);
  assert.equal(seen(r), NOBODY, r.stderr);
  const runs = runsOf(script);
  assert.equal(runs.length, 1, 'one plugin run serves every request of the command');
  const info = JSON.parse(runs[0]!) as {
    kind: string;
    apiVersion: string;
    spec: { interactive: boolean; cluster: Obj };
  };
  assert.equal(info.kind, 'ExecCredential');
  assert.equal(info.apiVersion, 'client.authentication.k8s.io/v1');
  assert.equal(info.spec.interactive, false);
  assert.equal(info.spec.cluster['server'], SERVER);
  assert.equal(info.spec.cluster['tls-server-name'], 'kubernetes');
  assert.equal(info.spec.cluster['certificate-authority-data'], b64(`${PKI}/ca.crt`));
  assert.deepEqual(info.spec.cluster['config'], { audience: 'kc' });
  assert.equal((await kubectlGet(file)).stderr.includes(NOBODY), true, 'kubectl runs the same plugin');
  assert.equal(runsOf(script)[1], runs[0], 'kubectl gives the plugin the same KUBERNETES_EXEC_INFO');
});

test('exec plugin: a 401 runs it again, once, and the request is retried with the new token', async () => {
  const script = plugin(
    'exec401/token.sh',
    `if [ -e "$0.used" ]; then ${credential(nobodyToken)}; else touch "$0.used"; ${credential('expired')}; fi`,
  );
  const r = await status(kubeconfig('exec401/kubeconfig', {}, execUser(script)));
  assert.equal(seen(r), NOBODY, r.stderr);
  assert.equal(runsOf(script).length, 2);
});

test('exec plugin: a client certificate from the plugin is presented', async () => {
  const lu = limitedUser();
  const cert = Buffer.from(lu['client-certificate-data'], 'base64').toString();
  const key = Buffer.from(lu['client-key-data'], 'base64').toString();
  const out = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { clientCertificateData: cert, clientKeyData: key },
  });
  writeFileSync(join(dir, 'cert-cred.json'), out);
  const script = plugin('certplugin.sh', `cat "${join(dir, 'cert-cred.json')}"`);
  assert.equal(await sameAsKubectl(kubeconfig('exec-cert.yaml', {}, execUser(script))), 'sts-lab-limited');
});

test('exec plugin: stdin is not handed to a non-interactive plugin, and one that waits on it does not hang', async () => {
  const script = plugin('stdin.sh', `read -r line; printf '%s' "$line" > "$0.stdin"; ${credential(nobodyToken)}`);
  const file = kubeconfig('stdin.yaml', {}, execUser(script, { interactiveMode: 'IfAvailable' }));
  const r = await run('kubectl', ['sts-lab', '--kubeconfig', file, 'status', '-n', NS], {
    env: cleanEnv(),
    input: 'not-for-the-plugin\n',
  });
  assert.equal(seen(r), NOBODY, r.stderr);
  assert.equal(readFileSync(`${script}.stdin`, 'utf8'), '', 'the plugin read nothing of sts-lab stdin');
  // stdin kept open (a CI runner's pipe): sts-lab must still finish.
  const t0 = Date.now();
  const code = await new Promise<number | null>((done) => {
    const child = spawn('kubectl', ['sts-lab', '--kubeconfig', file, 'status', '-n', NS], {
      env: cleanEnv(),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (c) => (clearTimeout(kill), done(c)));
  });
  assert.equal(code, 1, 'finished (forbidden as nobody), not killed');
  assert.ok(Date.now() - t0 < 20_000);
});

test("exec plugin: a failing one shows its stderr and kubectl's one line", async () => {
  const file = kubeconfig(
    'fail.yaml',
    {},
    execUser('sh', { args: ['-c', 'echo "token expired: run aws sso login" >&2; exit 3'] }),
  );
  const [r, k] = await Promise.all([status(file), kubectlGet(file)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^token expired: run aws sso login$/m);
  const line = 'Unable to connect to the server: getting credentials: exec: executable sh failed with exit code 3';
  assert.equal(errorLine(r), `error: ${line}`);
  assert.match(k.stderr, new RegExp(line));
});

test('exec plugin: a missing command names it and prints the installHint', async () => {
  const hint = 'Install kc-no-such-plugin: https://example.com/kc-plugin';
  const file = kubeconfig('missing.yaml', {}, execUser('kc-no-such-plugin', { installHint: hint }));
  const [r, k] = await Promise.all([status(file), kubectlGet(file)]);
  const line = 'Unable to connect to the server: getting credentials: exec: executable kc-no-such-plugin not found';
  assert.equal(errorLine(r), `error: ${line}`);
  assert.match(r.stderr, new RegExp(`^hint: ${hint}$`, 'm'));
  assert.match(k.stderr, new RegExp(`${line}[\\s\\S]*${hint}`));
});

test('client certificate: -data works; -data and the file both set is refused with kubectl words', async () => {
  assert.equal(await sameAsKubectl(kubeconfig('certdata.yaml', {}, limitedUser())), 'sts-lab-limited');
  const both = kubeconfig('certboth.yaml', {}, { ...limitedUser(), 'client-certificate': `${PKI}/admin.crt` });
  const [r, k] = await Promise.all([status(both), kubectlGet(both)]);
  assert.equal(r.code, 1);
  assert.equal(
    errorLine(r),
    'error: client-cert-data and client-cert are both specified for u. client-cert-data will override.',
  );
  assert.ok(k.stderr.includes(errorLine(r).slice('error: '.length)), k.stderr);
});

test('certificate-authority-data, and a relative certificate-authority and client cert', async () => {
  const data = kubeconfig(
    'cadata.yaml',
    { 'certificate-authority': undefined, 'certificate-authority-data': b64(`${PKI}/ca.crt`) },
    admin,
  );
  assert.equal(await sameAsKubectl(data), 'allowed');
  mkdirSync(join(dir, 'rel', 'pki'), { recursive: true });
  for (const f of ['ca.crt', 'admin.crt', 'admin.key'])
    writeFileSync(join(dir, 'rel', 'pki', f), readFileSync(`${PKI}/${f}`));
  const rel = kubeconfig(
    'rel/kubeconfig',
    { 'certificate-authority': 'pki/ca.crt' },
    {
      'client-certificate': 'pki/admin.crt',
      'client-key': 'pki/admin.key',
    },
  );
  assert.equal(await sameAsKubectl(rel), 'allowed');
});

test('tls-server-name: a name in the certificate works against 127.0.0.1, another one fails', async () => {
  assert.equal(await sameAsKubectl(kubeconfig('sni-good.yaml', { 'tls-server-name': 'kubernetes' }, admin)), 'allowed');
  const bad = kubeconfig('sni-bad.yaml', { 'tls-server-name': 'kc.example.com' }, admin);
  const [r, k] = await Promise.all([status(bad), kubectlGet(bad)]);
  assert.match(errorLine(r), /x509: certificate is valid for .*kubernetes.*, not kc\.example\.com$/);
  assert.match(k.stderr, /not kc\.example\.com/);
});

test('insecure-skip-tls-verify: no CA needed; with a CA it is refused as kubectl refuses it', async () => {
  const insecure = kubeconfig(
    'insecure.yaml',
    { 'certificate-authority': undefined, 'insecure-skip-tls-verify': true },
    admin,
  );
  assert.equal(await sameAsKubectl(insecure), 'allowed');
  const both = kubeconfig('insecure-ca.yaml', { 'insecure-skip-tls-verify': true }, admin);
  const r = await status(both);
  assert.equal(errorLine(r), 'error: specifying a root certificates file with the insecure flag is not allowed');
  assert.equal((await kubectlGet(both)).stderr.trim(), errorLine(r));
});

test('impersonation: as, and as-groups sent one header per group', async () => {
  assert.equal(await sameAsKubectl(kubeconfig('as.yaml', {}, { ...admin, as: NOBODY })), NOBODY);
  const alone = kubeconfig('as-alone.yaml', {}, { ...admin, as: 'kc-someone' });
  assert.equal(await sameAsKubectl(alone), 'kc-someone');
  // Allowed only through the second group: "kc-other, kc-viewers" as one header would be one group matching nothing.
  const grouped = kubeconfig(
    'as-groups.yaml',
    {},
    {
      ...admin,
      as: 'kc-someone',
      'as-groups': ['kc-other', 'kc-viewers'],
      'as-uid': 'kc-uid-1',
      'as-user-extra': { 'kc.example.com/team name': ['a', 'b'] },
    },
  );
  assert.equal(await sameAsKubectl(grouped), 'allowed');
});

test('auth-provider gcp: refused with kubectl words', async () => {
  const file = kubeconfig('gcp.yaml', {}, { 'auth-provider': { name: 'gcp' } });
  const [r, k] = await Promise.all([status(file), kubectlGet(file)]);
  assert.equal(errorLine(r), 'error: The gcp auth plugin has been removed.');
  assert.match(k.stderr, /^error: The gcp auth plugin has been removed\.$/m);
  assert.match(r.stderr, /gke-gcloud-auth-plugin/);
});

test('KUBECONFIG: the first current-context and the first of each name win, missing files are skipped, paths are per file', async () => {
  const first = join(dir, 'merge', 'first.yaml');
  const second = join(dir, 'merge', 'b', 'second.yaml');
  mkdirSync(join(dir, 'merge', 'b'), { recursive: true });
  writeFileSync(join(dir, 'merge', 'b', 'token'), readerToken);
  const ca = `${PKI}/ca.crt`;
  writeFileSync(
    first,
    JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: SERVER, 'certificate-authority': ca } }],
      users: [{ name: 'u', user: { token: nobodyToken } }],
      contexts: [{ name: 'a', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  writeFileSync(
    second,
    JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [
        { name: 'u', user: { token: readerToken } },
        { name: 'own', user: { tokenFile: 'token' } },
      ],
      contexts: [
        { name: 'b', context: { cluster: 'c', user: 'u' } },
        { name: 'own', context: { cluster: 'c', user: 'own' } },
      ],
      'current-context': 'b',
    }),
  );
  const third = join(dir, 'merge', 'third.yaml');
  writeFileSync(third, JSON.stringify({ 'current-context': 'a' }));
  const env = { KUBECONFIG: [first, join(dir, 'merge', 'missing.yaml'), second, third].join(':') };
  // current-context b (the first file to set one), its user u and cluster c from the first file.
  assert.equal(await sameAsKubectl(undefined, env), NOBODY);
  // The second file's own user: its tokenFile relative to that file.
  assert.equal(await sameAsKubectl(undefined, env, ['--context', 'own']), 'allowed');
  // --kubeconfig: that file only (its own c points nowhere).
  const only = await status(second, env);
  assert.match(errorLine(only), /127\.0\.0\.1:1\b/);
  const colon = await status(undefined, { KUBECONFIG: ':' });
  assert.match(errorLine(colon), /^error: KUBECONFIG names no kubeconfig that exists/);
});

/** A CONNECT proxy on loopback that counts tunnels; every tunnel goes to the local API server. */
async function connectProxy(): Promise<{ url: string; targets: string[]; server: Server }> {
  const targets: string[] = [];
  const server = createServer();
  server.on('connect', (req, sock, head) => {
    targets.push(req.url ?? '');
    const up = netConnect(6443, '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets, server };
}

test('HTTPS_PROXY and NO_PROXY from the environment, and proxy-url, as Go decides', async (t) => {
  const proxy = await connectProxy();
  t.after(() => proxy.server.close());
  // "vm" (this machine, in the certificate) is not a loopback literal, so Go sends it through the proxy.
  const viaName = kubeconfig('proxy-vm.yaml', { server: 'https://vm:6443' }, admin);
  assert.equal(await sameAsKubectl(viaName, { HTTPS_PROXY: proxy.url }), 'allowed');
  assert.ok(proxy.targets.length >= 2, `both went through the proxy: ${proxy.targets.join(' ')}`);
  assert.ok(proxy.targets.every((x) => x === 'vm:6443'));
  proxy.targets.length = 0;
  assert.equal(await sameAsKubectl(viaName, { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,.vm,vm' }), 'allowed');
  assert.equal(await sameAsKubectl(viaName, { https_proxy: proxy.url, no_proxy: '*' }), 'allowed');
  // 127.0.0.1 never goes through an environment proxy.
  assert.equal(await sameAsKubectl(kubeconfig('proxy-ip.yaml', {}, admin), { HTTPS_PROXY: proxy.url }), 'allowed');
  assert.deepEqual(proxy.targets, [], 'NO_PROXY and loopback bypassed the proxy');
  // proxy-url wins over the environment, NO_PROXY included.
  // Through a proxy too, each group is its own header line: only the second group may read.
  const explicit = kubeconfig(
    'proxy-url.yaml',
    { 'proxy-url': proxy.url },
    { ...admin, as: 'kc-someone', 'as-groups': ['kc-other', 'kc-viewers'] },
  );
  assert.equal(await sameAsKubectl(explicit, { NO_PROXY: '*' }), 'allowed');
  assert.ok(proxy.targets.length >= 2 && proxy.targets.every((x) => x === '127.0.0.1:6443'), proxy.targets.join(' '));
});

/** A SOCKS5 proxy (no auth) on loopback that counts connections, each to the local API server. */
async function socksProxy(): Promise<{ url: string; count: () => number; close: () => void }> {
  let n = 0;
  const server = createNetServer((sock) => {
    sock.once('data', () => {
      sock.write(Buffer.from([5, 0]));
      sock.once('data', (req) => {
        n++;
        const up = netConnect(6443, '127.0.0.1', () => {
          sock.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0x19, 0x2b]));
          up.pipe(sock);
          sock.pipe(up);
        });
        up.on('error', () => sock.destroy());
        sock.on('error', () => up.destroy());
        void req;
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => n,
    close: () => server.close(),
  };
}

test('proxy-url socks5: through the proxy, tls-server-name kept', async (t) => {
  const socks = await socksProxy();
  t.after(() => socks.close());
  const bad = kubeconfig('socks-bad.yaml', { 'proxy-url': socks.url, 'tls-server-name': 'kc.example.com' }, admin);
  const r = await status(bad);
  assert.match(errorLine(r), /not kc\.example\.com$/);
  const good = kubeconfig('socks.yaml', { 'proxy-url': socks.url, 'tls-server-name': 'kubernetes' }, admin);
  assert.equal(await sameAsKubectl(good), 'allowed');
  assert.ok(socks.count() >= 3, `connections through the proxy: ${socks.count()}`);
});

test('the admin kubeconfig still works unchanged', async () => {
  assert.equal(seen(await status(ADMIN_KUBECONFIG)), 'allowed');
});
