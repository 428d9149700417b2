// watch() against a local API server that plays recorded answers: watch-lists where it serves
// them, list-then-watch where it refuses (the ways 1.33, a gate turned off or an etcd without
// RequestWatchProgress say no), resuming and listing again, RBAC and Ctrl-C.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { CliError, InterruptedError } from '../../src/errors.ts';
import { Kube } from '../../src/k8s/client.ts';
import { httpCode } from '../../src/k8s/errors.ts';
import { watch, type ChangeType } from '../../src/k8s/informer.ts';

(globalThis as { __VERSION__?: string }).__VERSION__ ??= 'test';

const PODS = '/api/v1/namespaces/wl/pods';
const END = { 'k8s.io/initial-events-end': 'true' };
/** A watch that never settles fails its test instead of hanging the run. */
const LIMIT = { timeout: 15_000 };
const NO_PROGRESS =
  'a watch stream was requested by the client but the required storage feature RequestWatchProgress is disabled';

interface Seen {
  kind: 'watch-list' | 'watch' | 'list';
  query: URLSearchParams;
  res: ServerResponse;
}

const pod = (name: string, rv: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'wl', resourceVersion: rv, managedFields: [{ manager: 'kubelet' }] },
});
const bookmark = (rv: string, annotations?: Record<string, string>) => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { resourceVersion: rv, ...(annotations && { annotations }) },
});
const status = (code: number, message: string, reason = 'Invalid') => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  reason,
  code,
});

/**
 * Watch events on a stream left open; its headers go out at once, as an API server's do (client-node waits for them).
 */
function events(res: ServerResponse, ...list: [string, object][]): void {
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' }).flushHeaders();
  for (const [type, object] of list) res.write(JSON.stringify({ type, object }) + '\n');
}
function answer(res: ServerResponse, code: number, body: object): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
const podList = (rv: string, ...items: V1Pod[]) => ({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: rv },
  items,
});

/**
 * A fake API server that lets `respond` answer every request, and a Kube pointed at it; both closed when the test ends.
 */
async function fake(t: TestContext, respond: (r: Seen) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const kind = q.get('sendInitialEvents') === 'true' ? 'watch-list' : q.get('watch') === 'true' ? 'watch' : 'list';
    const r = { kind, query: q, res } as const;
    seen.push(r);
    respond(r);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const kc = new KubeConfig();
  kc.loadFromString(
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  const interrupt = new AbortController();
  const kube = new Kube(kc, interrupt.signal, 0);
  t.after(() => {
    interrupt.abort();
    server.closeAllConnections();
    server.close();
  });
  const changes: string[] = [];
  const open = (path = PODS) =>
    watch<V1Pod>(kube, { path, labelSelector: 'app=web' }, (type: ChangeType, o) =>
      changes.push(`${type} ${o.metadata?.name}`),
    );
  return { seen, kinds: () => seen.map((r) => r.kind), interrupt, changes, open };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (const t0 = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() - t0 > 4000) assert.fail(`timed out waiting for ${what}`);
  }
}
const names = (pods: V1Pod[]) => pods.map((p) => p.metadata?.name).sort();

test(
  'a watch-list is one request: the initial events are the list, the end bookmark says it is complete, then changes follow',
  LIMIT,
  async (t) => {
    const f = await fake(t, (r) => {
      if (r.kind === 'watch-list') {
        events(r.res, ['ADDED', pod('web-0', '10')], ['ADDED', pod('web-1', '11')], ['BOOKMARK', bookmark('12', END)]);
      } else if (r.kind === 'watch') events(r.res, ['ADDED', pod('web-2', '21')]);
      else answer(r.res, 500, status(500, 'no list expected'));
    });
    const w = await f.open();
    assert.deepEqual(f.kinds(), ['watch-list']);
    const q = f.seen[0]!.query;
    assert.equal(q.get('allowWatchBookmarks'), 'true');
    assert.equal(q.get('resourceVersionMatch'), 'NotOlderThan');
    assert.equal(q.get('labelSelector'), 'app=web');
    assert.equal(q.get('resourceVersion'), null);
    assert.deepEqual(names(w.objects()), ['web-0', 'web-1']);
    assert.equal(w.objects()[0]!.metadata?.managedFields, undefined, 'managedFields trimmed');
    assert.deepEqual(f.changes, ['add web-0', 'add web-1']);

    events(
      f.seen[0]!.res,
      ['MODIFIED', pod('web-1', '13')],
      ['DELETED', pod('web-0', '14')],
      ['BOOKMARK', bookmark('20')],
    );
    await until(() => f.changes.length === 4, 'the update and the delete');
    assert.deepEqual(f.changes.slice(2), ['update web-1', 'delete web-0']);
    // The server ends the stream: the watch resumes from the bookmark's resourceVersion, without listing.
    f.seen[0]!.res.end();
    await until(() => names(w.objects()).includes('web-2'), 'the resumed watch');
    assert.deepEqual(f.kinds(), ['watch-list', 'watch']);
    assert.equal(f.seen[1]!.query.get('resourceVersion'), '20');
    assert.equal(f.seen[1]!.query.get('allowWatchBookmarks'), 'true');
    assert.deepEqual(names(w.objects()), ['web-1', 'web-2']);
    w.stop();
  },
);

/** How servers refuse a watch-list; each must end in a list and a watch, and be remembered. */
const refusals: [string, (res: ServerResponse) => void][] = [
  ['HTTP 500: etcd without RequestWatchProgress', (res) => answer(res, 500, status(500, NO_PROGRESS, 'InternalError'))],
  [
    'HTTP 422: 1.33 or the WatchList gate off',
    (res) =>
      answer(
        res,
        422,
        status(
          422,
          'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
        ),
      ),
  ],
  ['HTTP 400', (res) => answer(res, 400, status(400, 'sendInitialEvents is forbidden', 'BadRequest'))],
  [
    'an ERROR event inside the stream',
    (res) => {
      events(res, ['ERROR', status(500, NO_PROGRESS, 'InternalError')]);
      res.end();
    },
  ],
  [
    'sendInitialEvents ignored: a change before any end bookmark',
    (res) => events(res, ['ADDED', pod('web-0', '10')], ['MODIFIED', pod('web-0', '11')]),
  ],
];

for (const [name, refuse] of refusals) {
  test(`refused (${name}): lists and watches instead, and asks no more`, LIMIT, async (t) => {
    const f = await fake(t, (r) => {
      if (r.kind === 'watch-list') refuse(r.res);
      else if (r.kind === 'list') answer(r.res, 200, podList('5', pod('web-0', '4')));
      else events(r.res);
    });
    const t0 = Date.now();
    const w = await f.open();
    assert.ok(Date.now() - t0 < 2000, 'fell back at once, not after the wait for a silent server');
    assert.deepEqual(names(w.objects()), ['web-0']);
    assert.deepEqual(f.changes, ['add web-0']);
    assert.deepEqual(f.kinds(), ['watch-list', 'list', 'watch']);
    assert.equal(f.seen[2]!.query.get('resourceVersion'), '5');
    const claims = await f.open('/api/v1/namespaces/wl/persistentvolumeclaims');
    assert.deepEqual(f.kinds(), ['watch-list', 'list', 'watch', 'list', 'watch'], 'the refusal is remembered');
    w.stop();
    claims.stop();
  });
}

test('a server that ignores sendInitialEvents and stays silent is given up on within seconds', LIMIT, async (t) => {
  const f = await fake(t, (r) => {
    if (r.kind === 'watch-list') events(r.res);
    else if (r.kind === 'list') answer(r.res, 200, podList('5'));
    else events(r.res);
  });
  const t0 = Date.now();
  const w = await f.open();
  const took = Date.now() - t0;
  assert.deepEqual(f.kinds(), ['watch-list', 'list', 'watch']);
  assert.ok(took >= 4000 && took < 8000, `fell back after ${took} ms`);
  w.stop();
});

test('lists opened together on a refusing server try one watch-list between them', LIMIT, async (t) => {
  const f = await fake(t, (r) => {
    if (r.kind === 'watch-list') answer(r.res, 500, status(500, NO_PROGRESS, 'InternalError'));
    else if (r.kind === 'list') answer(r.res, 200, podList('5'));
    else events(r.res);
  });
  const all = await Promise.all(
    ['pods', 'persistentvolumeclaims', 'events'].map((k) => f.open(`/api/v1/namespaces/wl/${k}`)),
  );
  assert.equal(f.kinds().filter((k) => k === 'watch-list').length, 1);
  assert.equal(f.kinds().filter((k) => k === 'list').length, 3);
  for (const w of all) w.stop();
});

test('410 Gone when resuming: a fresh watch-list, and what it lacks is deleted', LIMIT, async (t) => {
  let lists = 0;
  const f = await fake(t, (r) => {
    if (r.kind === 'watch-list' && lists++ === 0) {
      events(r.res, ['ADDED', pod('web-0', '10')], ['ADDED', pod('web-1', '11')], ['BOOKMARK', bookmark('12', END)]);
      r.res.end();
    } else if (r.kind === 'watch-list')
      events(r.res, ['ADDED', pod('web-1', '30')], ['ADDED', pod('web-2', '31')], ['BOOKMARK', bookmark('32', END)]);
    else if (r.kind === 'watch') answer(r.res, 410, status(410, 'too old resource version: 12 (25)', 'Expired'));
    else answer(r.res, 500, status(500, 'no list expected'));
  });
  const w = await f.open();
  await until(() => f.seen.length === 3 && names(w.objects()).includes('web-2'), 'the second watch-list');
  assert.deepEqual(f.kinds(), ['watch-list', 'watch', 'watch-list']);
  assert.equal(f.seen[1]!.query.get('resourceVersion'), '12');
  assert.deepEqual(names(w.objects()), ['web-1', 'web-2']);
  assert.deepEqual(f.changes, ['add web-0', 'add web-1', 'delete web-0', 'update web-1', 'add web-2']);
  w.stop();
});

test('an ERROR 410 event inside the resumed watch also lists again with a watch-list', LIMIT, async (t) => {
  let lists = 0;
  const f = await fake(t, (r) => {
    if (r.kind === 'watch-list' && lists++ === 0) {
      events(r.res, ['ADDED', pod('web-0', '10')], ['BOOKMARK', bookmark('12', END)]);
      r.res.end();
    } else if (r.kind === 'watch-list') events(r.res, ['BOOKMARK', bookmark('40', END)]);
    else if (r.kind === 'watch') {
      events(r.res, ['ERROR', status(410, 'too old resource version: 12 (25)', 'Expired')]);
      r.res.end();
    } else answer(r.res, 500, status(500, 'no list expected'));
  });
  const w = await f.open();
  await until(() => f.changes.includes('delete web-0'), 'the relist');
  assert.deepEqual(f.kinds(), ['watch-list', 'watch', 'watch-list']);
  assert.deepEqual(w.objects(), []);
  w.stop();
});

test('403 on the watch-list: the list says why, in the same words as without watch-lists', LIMIT, async (t) => {
  const forbidden = 'pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "wl"';
  const f = await fake(t, (r) => {
    if (r.kind === 'list') answer(r.res, 403, status(403, forbidden, 'Forbidden'));
    else answer(r.res, 403, status(403, 'pods is forbidden: User "u" cannot watch resource "pods"', 'Forbidden'));
  });
  await assert.rejects(
    f.open(),
    (err: Error) => err instanceof CliError && err.message === forbidden && httpCode(err) === 403,
  );
  assert.deepEqual(f.kinds(), ['watch-list', 'list']);
});

test('403 on the watch after a watch-list listed: failed rejects and nothing more is asked', LIMIT, async (t) => {
  const f = await fake(t, (r) => {
    if (r.kind === 'watch-list') {
      events(r.res, ['ADDED', pod('web-0', '10')], ['BOOKMARK', bookmark('12', END)]);
      r.res.end();
    } else answer(r.res, 403, status(403, 'pods is forbidden: User "u" cannot watch resource "pods"', 'Forbidden'));
  });
  const w = await f.open();
  await assert.rejects(w.failed, (err: Error) => err instanceof CliError && httpCode(err) === 403);
  await new Promise((r) => setTimeout(r, 1500)); // longer than the retry after other errors
  assert.deepEqual(f.kinds(), ['watch-list', 'watch']);
});

test('Ctrl-C while the initial events are coming: interrupted, with no list after it', LIMIT, async (t) => {
  const f = await fake(t, (r) => {
    if (r.kind === 'watch-list') events(r.res, ['ADDED', pod('web-0', '10')]);
    else answer(r.res, 200, podList('5'));
  });
  const opening = f.open();
  await until(() => f.seen.length === 1, 'the watch-list');
  const t0 = Date.now();
  f.interrupt.abort();
  await assert.rejects(opening, InterruptedError);
  assert.ok(Date.now() - t0 < 1000, 'stopped at once');
  assert.deepEqual(f.kinds(), ['watch-list']);
});
