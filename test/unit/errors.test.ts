import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { CliError, InterruptedError } from '../../src/errors.ts';
import { describeApiError, httpCode, toCliError } from '../../src/k8s/errors.ts';

const SERVER = 'https://127.0.0.1:6443';
const status = (code: number, reason: string, message: string) =>
  new ApiException(code, 'ignored', JSON.stringify({ kind: 'Status', reason, message, code }), {});

const netError = (code: string, message = code) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

test('API statuses become the server message, in kubectl words', () => {
  assert.equal(
    describeApiError(status(401, 'Unauthorized', 'Unauthorized'), SERVER),
    'You must be logged in to the server (Unauthorized)',
  );
  const forbidden = 'pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "x"';
  assert.equal(describeApiError(status(403, 'Forbidden', forbidden), SERVER), forbidden);
  assert.equal(
    describeApiError(status(404, 'NotFound', 'statefulsets.apps "web" not found'), SERVER),
    'statefulsets.apps "web" not found',
  );
  assert.equal(
    describeApiError(status(500, 'InternalError', 'etcd down'), SERVER),
    'Error from server (InternalError): etcd down',
  );
});

test('network failures name the server and the cause', () => {
  assert.equal(
    describeApiError(netError('ECONNREFUSED'), 'https://127.0.0.1:16999'),
    'The connection to the server 127.0.0.1:16999 was refused - did you specify the right host or port?',
  );
  assert.match(
    describeApiError(netError('ENOTFOUND'), 'https://nope.example:6443'),
    /lookup nope\.example: no such host/,
  );
});

test("TLS failures in kubectl's words, never Node.js advice", () => {
  const unknownCa = netError(
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'unable to get local issuer certificate. Try running Node.js with --use-system-ca',
  );
  for (const e of [unknownCa, netError('SELF_SIGNED_CERT_IN_CHAIN'), netError('DEPTH_ZERO_SELF_SIGNED_CERT')]) {
    assert.equal(
      describeApiError(e, SERVER),
      'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority',
    );
  }
  assert.equal(
    describeApiError(netError('CERT_HAS_EXPIRED', 'certificate has expired'), SERVER),
    'Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid',
  );
  const altname = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      host: '127.0.0.2',
      cert: { subjectaltname: 'DNS:kubernetes, IP Address:127.0.0.1' },
    }),
  });
  assert.equal(
    describeApiError(altname, SERVER),
    'Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for kubernetes, 127.0.0.1, not 127.0.0.2',
  );
  assert.doesNotMatch(describeApiError(unknownCa, SERVER), /Node\.js|use-system-ca/);
});

test('toCliError keeps the HTTP status, and tells interrupts and request timeouts apart', () => {
  const live = new AbortController().signal;
  const e = toCliError(status(403, 'Forbidden', 'nope'), SERVER, live, 0);
  assert.ok(e instanceof CliError);
  assert.equal(httpCode(e), 403);
  const aborted = AbortSignal.abort();
  assert.ok(toCliError(new DOMException('aborted', 'AbortError'), SERVER, aborted, 0) instanceof InterruptedError);
  const timeout = toCliError(new DOMException('timed out', 'TimeoutError'), SERVER, live, 5000);
  assert.match(timeout.message, /did not answer within 5s \(--request-timeout\)/);
});

test('-v shows what the network or the server said in full behind the one-line error', async () => {
  (globalThis as { __VERSION__?: string }).__VERSION__ ??= 'test';
  const { main } = await import('../../src/cli.ts');
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sts-lab-v-')), 'config');
  // A loopback port nothing listens on: refused at once, no server needed.
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:' +
      port +
      '"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
  );
  const run = async (...flags: string[]) => {
    let err = '';
    const code = await main([...flags, '--kubeconfig', kubeconfig, 'status'], new AbortController().signal, {
      out: () => undefined,
      err: (t) => void (err += t),
    });
    return { code, err };
  };
  const quiet = await run();
  assert.equal(quiet.code, 1);
  assert.match(quiet.err, new RegExp(`^error: The connection to the server 127\\.0\\.0\\.1:${port} was refused`, 'm'));
  assert.doesNotMatch(quiet.err, /^debug:/m);
  const verbose = await run('-v');
  assert.match(verbose.err, /^debug: fetch failed/m);
});

test('--request-timeout: a server that accepts but never answers fails in time, saying so', async () => {
  (globalThis as { __VERSION__?: string }).__VERSION__ ??= 'test';
  const { main } = await import('../../src/cli.ts');
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer((sock) => void sockets.add(sock)); // accepts, never speaks (not even TLS)
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sts-lab-rt-')), 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  let err = '';
  const t0 = Date.now();
  try {
    const code = await main(
      ['--kubeconfig', kubeconfig, '--request-timeout', '1s', 'status'],
      new AbortController().signal,
      { out: () => undefined, err: (t) => void (err += t) },
    );
    assert.equal(code, 1);
  } finally {
    for (const sock of sockets) sock.destroy();
    silent.close();
  }
  assert.match(
    err,
    new RegExp(`^error: the server 127\\.0\\.0\\.1:${port} did not answer within 1s \\(--request-timeout\\)$`, 'm'),
  );
  assert.ok(Date.now() - t0 < 10_000, 'gave up close to the 1 s limit');
});
