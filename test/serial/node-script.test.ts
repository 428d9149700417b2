// test/cluster/node.sh on the real cluster: a stopped or powered-off node is reported as stopped
// on purpose (status.sh stays healthy, up.sh leaves the cluster running), and start brings it
// back Ready. It stops a node, so it runs on its own, after the concurrent suite (scripts/test.sh).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { cluster, ROOT, run } from '../e2e/cluster-env.ts';

const SCRIPTS = join(ROOT, 'test', 'cluster');
const NODE = cluster.STS_LAB_NODE_NAMES!.split(',').at(-1)!;
const sh = (script: string, ...args: string[]) => run('bash', [join(SCRIPTS, script), ...args], { timeoutMs: 180_000 });
const kubectl = (...args: string[]) =>
  run(join(cluster.STS_LAB_KUBECTL_DIR!, 'kubectl'), ['--request-timeout=20s', ...args], {
    env: { KUBECONFIG: cluster.STS_LAB_KUBECONFIG!, HOME: '/tmp' },
  });
const pidOf = async (component: string) =>
  (await sh('node.sh', NODE, 'status')).stdout.match(
    new RegExp(`^${component}\\S* running \\(pid (\\d+)\\)$`, 'm'),
  )?.[1];

const NS = `node-script-${randomBytes(4).toString('hex')}`;
after(async () => {
  await sh('node.sh', NODE, 'start');
  await kubectl('delete', 'namespace', NS, '--ignore-not-found', '--wait=false');
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** When the pinned pod's running container started, once it is ready and started after `since`; within a minute. */
async function readySince(since = ''): Promise<string> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(1000)) {
    const r = await kubectl(
      '-n',
      NS,
      'get',
      'pod',
      'pinned',
      '-o',
      'jsonpath={.status.containerStatuses[0].ready} {.status.containerStatuses[0].state.running.startedAt}',
    );
    const [ready, startedAt = ''] = r.stdout.split(' ');
    if (ready === 'true' && startedAt > since) return startedAt;
  }
  throw new Error(
    `pod pinned on ${NODE} not ready with a container started after ${since || 'its creation'} within 60s`,
  );
}

test(
  `node.sh stops, powers off and starts ${NODE}, and up.sh leaves the cluster alone meanwhile`,
  { skip: cluster.STS_LAB_NODES === '1' && 'a single-node cluster' },
  async (t) => {
    const apiserver = (await run('cat', [join(cluster.STS_LAB_CLUSTER_DIR!, 'run', 'kube-apiserver.pid')])).stdout;
    const containerd = await pidOf('containerd');
    assert.ok(containerd, "the node's containerd is not running before the test");
    assert.equal((await kubectl('create', 'namespace', NS)).code, 0);
    const pod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pinned","namespace":"${NS}"},"spec":{"nodeName":"${NODE}","terminationGracePeriodSeconds":1,
    "containers":[{"name":"nginx","image":"${cluster.STS_LAB_IMAGE}","imagePullPolicy":"Never","readinessProbe":{"tcpSocket":{"port":80},"periodSeconds":1}}]}}`;
    for (let i = 0; i < 30 && (await kubectl('-n', NS, 'get', 'serviceaccount', 'default')).code !== 0; i++)
      await sleep(1000);
    const created = await run(join(cluster.STS_LAB_KUBECTL_DIR!, 'kubectl'), ['apply', '-f', '-'], {
      env: { KUBECONFIG: cluster.STS_LAB_KUBECONFIG!, HOME: '/tmp' },
      input: pod,
    });
    assert.equal(created.code, 0, created.stderr);
    const started = await readySince();

    await t.test('stop: the kubelet only; status.sh says stopped on purpose and stays healthy', async () => {
      const stop = await sh('node.sh', NODE, 'stop');
      assert.equal(stop.code, 0, stop.stderr);
      const st = await sh('node.sh', NODE, 'status');
      assert.match(st.stdout, /^kubelet\S* stopped$/m);
      assert.equal(
        await pidOf('containerd'),
        containerd,
        'stop must leave the containers and their containerd running',
      );
      const status = await sh('status.sh');
      assert.equal(status.code, 0, status.stdout);
      assert.match(status.stdout, /kubelet@\d+\s+stopped on purpose/);
      const up = await sh('up.sh');
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stderr, new RegExp(`note: node ${NODE} is stopped on purpose`));
      const after = (await run('cat', [join(cluster.STS_LAB_CLUSTER_DIR!, 'run', 'kube-apiserver.pid')])).stdout;
      assert.equal(after, apiserver, 'up.sh restarted the cluster while a node was stopped on purpose');
    });

    await t.test('start: the kubelet again, the node Ready, the marker gone', async () => {
      const start = await sh('node.sh', NODE, 'start');
      assert.equal(start.code, 0, start.stderr);
      const ready = await kubectl(
        'get',
        'node',
        NODE,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      );
      assert.equal(ready.stdout, 'True');
      assert.doesNotMatch((await sh('status.sh')).stdout, /stopped on purpose/);
    });

    await t.test(
      "stop leaves the pod's container running; poweroff kills it and stops containerd; start runs it again",
      async () => {
        assert.equal(await readySince(), started, 'the container was restarted although only the kubelet stopped');
        const off = await sh('node.sh', NODE, 'poweroff');
        assert.equal(off.code, 0, off.stderr);
        assert.match(off.stderr, /killing 2 pod containers of node/, "the pinned pod's sandbox and container");
        assert.match((await sh('node.sh', NODE, 'status')).stdout, /^containerd\S* stopped$/m);
        assert.equal((await sh('status.sh')).code, 0);
        const start = await sh('node.sh', NODE, 'start');
        assert.equal(start.code, 0, start.stderr);
        assert.ok(await pidOf('containerd'));
        assert.ok(await pidOf('kubelet'));
        await readySince(started);
      },
    );

    await t.test('bad input: an unknown node or verb is a usage error', async () => {
      assert.equal((await sh('node.sh', 'no-such-node', 'stop')).code, 2);
      assert.equal((await sh('node.sh', NODE, 'reboot')).code, 2);
    });
  },
);
