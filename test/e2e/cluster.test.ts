// Acceptance test of the sts-lab local cluster (test/cluster/up.sh).
//
//   sudo test/cluster/up.sh
//   node --test test/e2e/cluster.test.ts
//
// Assumes the cluster is up (fails with a clear message if not). Checks the nodes, the version
// and its default feature gates; creates a fresh namespace with one pinned pod per node
// (pod-to-pod traffic across nodes, DNS, logs and exec on every node, a ClusterIP Service
// through kube-proxy) and a headless Service with a 3-replica StatefulSet on the default
// StorageClass (ordering, local-path volumes pinned to their pod's node, stable identity and
// storage), the network guard rules and the namespace-limited kubeconfig, and deletes its
// namespace at the end (also on failure). Every wait is bounded.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cluster, holdDnsLock, run, type Result, type RunOptions } from './cluster-env.ts';

const P = cluster;
let KUBECTL = '';
const NS = `cluster-e2e-${randomBytes(4).toString('hex')}`;
const SVC = 'nginx-headless';
const STS = 'nginx-sts';
const NODES = P.STS_LAB_NODE_NAMES!.split(',');
const VERSION = P.STS_LAB_K8S_VERSION!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function kubectl(args: string[], opts: RunOptions & { kubeconfig?: string } = {}): Promise<Result> {
  return run(KUBECTL, ['--request-timeout=30s', ...args], {
    ...opts,
    // HOME: kubectl keeps its discovery cache there; never the working tree.
    env: { KUBECONFIG: opts.kubeconfig ?? P.STS_LAB_KUBECONFIG!, HOME: tmpdir() },
  });
}

async function kubectlOk(args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await kubectl(args, opts);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function getJson(args: string[]): Promise<any> {
  return JSON.parse(await kubectlOk([...args, '-o', 'json']));
}

function readyCondition(pod: any): any {
  return (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
}

async function podExec(pod: string, script: string, timeoutMs = 30_000): Promise<Result> {
  return kubectl(['-n', NS, 'exec', pod, '--', 'sh', '-c', script], { timeoutMs });
}

/** poll fn until it returns a truthy value; bounded */
async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await sleep(1000);
  }
}

/** One pod pinned to each node (nodeName: no scheduler), serving its own name over HTTP. */
const probePods = (image: string) =>
  NODES.map(
    (node, i) => `
apiVersion: v1
kind: Pod
metadata:
  name: probe-${i + 1}
  namespace: ${NS}
  labels: {app: probe}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
  - name: nginx
    image: ${image}
    imagePullPolicy: Never
    command: [sh, -c, 'echo probe-${i + 1} on ${node}; hostname > /usr/share/nginx/html/index.html; exec /usr/sbin/nginx -e stderr -c /etc/nginx/nginx.conf']
    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
`,
  ).join('---') +
  `---
apiVersion: v1
kind: Service
metadata: {name: probe, namespace: ${NS}}
spec:
  selector: {app: probe}
  ports: [{port: 80}]
`;

const manifest = (image: string) => `
apiVersion: v1
kind: Service
metadata:
  name: ${SVC}
  namespace: ${NS}
spec:
  clusterIP: None
  selector:
    app: ${STS}
  ports:
  - name: http
    port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${STS}
  namespace: ${NS}
spec:
  serviceName: ${SVC}
  replicas: 3
  selector:
    matchLabels:
      app: ${STS}
  template:
    metadata:
      labels:
        app: ${STS}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: nginx
        image: ${image}
        imagePullPolicy: Never
        ports:
        - containerPort: 80
          name: http
        readinessProbe:
          tcpSocket:
            port: 80
          periodSeconds: 1
          failureThreshold: 3
        volumeMounts:
        - name: data
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 64Mi
`;

describe('sts-lab local cluster', { timeout: 15 * 60_000 }, () => {
  let nsCreated = '';
  const pvNames: string[] = [];

  before(async () => {
    KUBECTL = path.join(P.STS_LAB_KUBECTL_DIR!, 'kubectl');
    const hint = 'start it with: sudo test/cluster/up.sh';
    assert.ok(existsSync(KUBECTL), `kubectl not found at ${KUBECTL}; the cluster was never built/started (${hint})`);
    assert.ok(existsSync(P.STS_LAB_KUBECONFIG!), `admin kubeconfig ${P.STS_LAB_KUBECONFIG} missing (${hint})`);
    const ready = await kubectl(['get', '--raw', '/readyz'], { timeoutMs: 15_000 }).catch((e: Error) => ({
      code: -1,
      stdout: '',
      stderr: e.message,
    }));
    assert.equal(ready.code, 0, `the sts-lab cluster is not up (${hint}):\n${ready.stderr}`);
  });

  after(async () => {
    if (!KUBECTL || !nsCreated) return;
    await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=150s'], {
      timeoutMs: 170_000,
    }).catch(() => undefined);
  });

  it(`has ${NODES.length} Ready nodes, named as the scripts say, running ${VERSION}`, async () => {
    const nodes = await getJson(['get', 'nodes']);
    assert.deepEqual(nodes.items.map((n: any) => n.metadata.name).sort(), [...NODES].sort());
    for (const node of nodes.items) {
      assert.equal(readyCondition(node)?.status, 'True', `node ${node.metadata.name} not Ready`);
      assert.equal(node.status.nodeInfo.kubeletVersion, VERSION);
    }
    const version = JSON.parse(await kubectlOk(['version', '-o', 'json']));
    assert.equal(version.serverVersion.gitVersion, VERSION);
  });

  it("runs upstream's default feature gates, or only those the run named", async () => {
    const metrics = await kubectlOk(['get', '--raw', '/metrics']);
    const enabled = (gate: string) => {
      const value = new RegExp(`^kubernetes_feature_enabled\\{name="${gate}",stage="[A-Z]*"\\} ([01])$`, 'm').exec(
        metrics,
      )?.[1];
      assert.ok(value, `the API server does not report the ${gate} gate`);
      return value === '1';
    };
    const minor = Number(/^v1\.(\d+)\./.exec(VERSION)![1]);
    const named = (P.STS_LAB_FEATURE_GATES ?? '').includes('MaxUnavailableStatefulSet=true');
    // alpha and off up to 1.34, beta and off in 1.35 and 1.36, beta and on from 1.37
    assert.equal(
      enabled('MaxUnavailableStatefulSet'),
      named || minor >= 37,
      'MaxUnavailableStatefulSet is not at its default',
    );
  });

  it('runs a pod on every node: logs, exec, DNS and pod-to-pod traffic across nodes', async () => {
    await kubectlOk(['create', 'namespace', NS]);
    nsCreated = NS;
    await eventually(
      'default service account',
      30_000,
      async () => (await kubectl(['-n', NS, 'get', 'serviceaccount', 'default'])).code === 0,
    );
    await kubectlOk(['apply', '-f', '-'], { input: probePods(P.STS_LAB_IMAGE!) });
    const w = await kubectl(['-n', NS, 'wait', '--for=condition=Ready', 'pod', '-l', 'app=probe', '--timeout=120s'], {
      timeoutMs: 130_000,
    });
    if (w.code !== 0)
      assert.fail(
        `probe pods not Ready:\n${w.stderr}\n${(await kubectl(['-n', NS, 'get', 'pods,events', '-o', 'wide'])).stdout}`,
      );
    const pods = (await getJson(['-n', NS, 'get', 'pods', '-l', 'app=probe'])).items.sort((a: any, b: any) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
    const subnets = new Set(pods.map((p: any) => p.status.podIP.split('.').slice(0, 3).join('.')));
    assert.equal(
      subnets.size,
      NODES.length,
      `pods of different nodes share a subnet: ${pods.map((p: any) => p.status.podIP).join(', ')}`,
    );
    const release = await holdDnsLock('shared');
    try {
      for (const [i, pod] of pods.entries()) {
        const name = pod.metadata.name;
        assert.equal(pod.spec.nodeName, NODES[i]);
        const logs = await kubectlOk(['-n', NS, 'logs', name]);
        assert.match(logs, new RegExp(`^${name} on ${NODES[i]}$`, 'm'), `kubectl logs ${name} (node ${NODES[i]})`);
        const next = pods[(i + 1) % pods.length];
        const http = await podExec(name, `timeout 10 wget -q -O - http://${next.status.podIP}/`);
        assert.equal(
          http.code,
          0,
          `wget from ${name} (${NODES[i]}) to ${next.metadata.name} (${next.spec.nodeName}) failed: ${http.stderr}`,
        );
        assert.equal(http.stdout.trim(), next.metadata.name);
        const dns = await podExec(name, 'nslookup probe.' + NS + '.svc.cluster.local', 20_000);
        assert.equal(dns.code, 0, `DNS from ${name} on ${NODES[i]}: ${dns.stdout}${dns.stderr}`);
        // the ClusterIP: only kube-proxy gives it a data path
        const svc = await podExec(name, `timeout 10 wget -q -O - http://probe.${NS}.svc.cluster.local/`);
        assert.equal(svc.code, 0, `the ClusterIP Service from ${name} on ${NODES[i]}: ${svc.stderr}`);
        assert.match(svc.stdout.trim(), /^probe-\d$/);
      }
    } finally {
      release();
    }
    const kubeDns = await getJson(['-n', 'kube-system', 'get', 'service', 'kube-dns']);
    assert.equal(kubeDns.spec.clusterIP, '10.96.0.10');
  });

  it('has the default StorageClass "standard" (local-path) and a non-default shared one', async () => {
    const sc = await getJson(['get', 'storageclass', 'standard']);
    assert.equal(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(sc.provisioner, 'rancher.io/local-path');
    assert.equal(sc.volumeBindingMode, 'WaitForFirstConsumer');
    assert.equal(sc.reclaimPolicy, 'Delete');
    const shared = await getJson(['get', 'storageclass', 'shared-hostpath']);
    assert.equal(shared.provisioner, 'kubernetes.io/host-path');
    assert.equal(shared.volumeBindingMode, 'Immediate');
    assert.notEqual(shared.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
  });

  it('runs a 3-replica StatefulSet and creates its pods in order', async () => {
    assert.ok(nsCreated, 'the namespace was not created by the probe-pod test');
    await kubectlOk(['apply', '-f', '-'], { input: manifest(P.STS_LAB_IMAGE!) });
    const rs = await kubectl(['-n', NS, 'rollout', 'status', `statefulset/${STS}`, '--timeout=240s'], {
      timeoutMs: 260_000,
    });
    if (rs.code !== 0) {
      const diag = await kubectl(['-n', NS, 'get', 'pods,pvc,events', '-o', 'wide']);
      assert.fail(`StatefulSet did not become ready:\n${rs.stderr}\n${diag.stdout}`);
    }
    const sts = await getJson(['-n', NS, 'get', 'statefulset', STS]);
    assert.equal(sts.status.readyReplicas, 3);
    const pods = [];
    for (let i = 0; i < 3; i++) pods.push(await getJson(['-n', NS, 'get', 'pod', `${STS}-${i}`]));
    for (let i = 0; i < 2; i++) {
      const ready = readyCondition(pods[i]);
      assert.equal(ready?.status, 'True', `${STS}-${i} not Ready`);
      const readyAt = Date.parse(ready.lastTransitionTime);
      const nextCreated = Date.parse(pods[i + 1].metadata.creationTimestamp);
      assert.ok(
        nextCreated >= readyAt,
        `${STS}-${i + 1} was created at ${pods[i + 1].metadata.creationTimestamp}, before ${STS}-${i} became Ready at ${ready.lastTransitionTime}`,
      );
    }
    for (let i = 0; i < 3; i++) {
      assert.equal(pods[i].spec.hostname, `${STS}-${i}`);
      assert.equal(pods[i].spec.subdomain, SVC);
    }
  });

  it("binds every claim to a local-path PV pinned to its pod's node, in that node's own directory", async () => {
    const ns = await getJson(['get', 'namespace', NS]);
    const nsCreatedAt = Date.parse(ns.metadata.creationTimestamp);
    for (let i = 0; i < 3; i++) {
      const pvcName = `data-${STS}-${i}`;
      const pvc = await getJson(['-n', NS, 'get', 'pvc', pvcName]);
      const pod = await getJson(['-n', NS, 'get', 'pod', `${STS}-${i}`]);
      assert.equal(pvc.status.phase, 'Bound', `${pvcName} is ${pvc.status.phase}`);
      assert.equal(pvc.spec.storageClassName, 'standard', `${pvcName} did not get the default StorageClass`);
      const pv = await getJson(['get', 'pv', pvc.spec.volumeName]);
      pvNames.push(pv.metadata.name);
      assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
      assert.equal(pv.spec.claimRef?.name, pvcName);
      assert.equal(pv.spec.claimRef?.namespace, NS);
      assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
      assert.ok(
        Date.parse(pv.metadata.creationTimestamp) >= nsCreatedAt,
        `PV ${pv.metadata.name} is older than the test namespace: it was pre-created, not provisioned`,
      );
      const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
      const pinned = terms
        .flatMap((t: any) => t.matchExpressions ?? [])
        .find((e: any) => e.key === 'kubernetes.io/hostname');
      assert.deepEqual(
        pinned?.values,
        [pod.spec.nodeName],
        `PV ${pv.metadata.name} is not pinned to ${pod.spec.nodeName}, the node of ${STS}-${i}`,
      );
      const dir = path.join(P.STS_LAB_CLUSTER_DIR!, 'local-path', pod.spec.nodeName);
      assert.ok(
        pv.spec.hostPath?.path.startsWith(`${dir}/`),
        `PV ${pv.metadata.name} path ${pv.spec.hostPath?.path} is not under ${dir}`,
      );
      assert.ok(existsSync(pv.spec.hostPath.path), `${pv.spec.hostPath.path} does not exist`);
    }
    assert.equal(new Set(pvNames).size, 3, 'claims share a PV');
    await eventually('the helper pods to be gone', 60_000, async () => {
      const r = await kubectlOk(['-n', 'local-path-storage', 'get', 'pods', '-o', 'name']);
      return r.trim() === '';
    });
  });

  it('keeps identity and data when a pod is deleted', async () => {
    const token = `e2e-${randomBytes(6).toString('hex')}`;
    const w = await podExec(
      `${STS}-1`,
      `echo ${token} > /usr/share/nginx/html/e2e.txt && cat /usr/share/nginx/html/e2e.txt`,
    );
    assert.equal(w.code, 0, `exec write failed: ${w.stderr}`);
    assert.equal(w.stdout.trim(), token);
    // nginx serves the volume on port 80 (pod 0 fetches it from pod 1)
    const pod1 = await getJson(['-n', NS, 'get', 'pod', `${STS}-1`]);
    const http = await podExec(`${STS}-0`, `timeout 10 wget -q -O - http://${pod1.status.podIP}/e2e.txt`);
    assert.equal(http.code, 0, `wget from ${STS}-0 to ${STS}-1 failed: ${http.stderr}`);
    assert.equal(http.stdout.trim(), token);

    const oldUid = pod1.metadata.uid;
    const del = await kubectl(['-n', NS, 'delete', 'pod', `${STS}-1`, '--wait=true', '--timeout=120s'], {
      timeoutMs: 130_000,
    });
    assert.equal(del.code, 0, `pod delete failed: ${del.stderr}`);
    const fresh = await eventually(`${STS}-1 to come back Ready with a new UID`, 120_000, async () => {
      const r = await kubectl(['-n', NS, 'get', 'pod', `${STS}-1`, '-o', 'json']);
      if (r.code !== 0) return false;
      const p = JSON.parse(r.stdout);
      return p.metadata.uid !== oldUid && readyCondition(p)?.status === 'True' ? p : false;
    });
    assert.notEqual(fresh.metadata.uid, oldUid);
    assert.equal(fresh.metadata.name, `${STS}-1`);
    const h = await podExec(`${STS}-1`, 'hostname');
    assert.equal(h.stdout.trim(), `${STS}-1`);
    const r = await podExec(`${STS}-1`, 'cat /usr/share/nginx/html/e2e.txt');
    assert.equal(r.code, 0, `reading the file after recreation failed: ${r.stderr}`);
    assert.equal(r.stdout.trim(), token, 'the file written before the delete is gone');
  });

  it('resolves pod 0 by its stable DNS name from pod 1', async () => {
    const release = await holdDnsLock('shared');
    try {
      const pod0 = await getJson(['-n', NS, 'get', 'pod', `${STS}-0`]);
      const ip = pod0.status.podIP;
      assert.match(ip ?? '', /^10\.244\./);
      const fqdn = `${STS}-0.${SVC}.${NS}.svc.cluster.local`;
      let lastOut = '';
      await eventually(`nslookup ${fqdn} to return ${ip}`, 45_000, async () => {
        const r = await podExec(`${STS}-1`, `nslookup ${fqdn}`, 20_000);
        lastOut = r.stdout + r.stderr;
        // addresses listed after the "Name:" line (the lines before it are the server)
        const answer = lastOut
          .split(/^Name:/m)
          .slice(1)
          .join('\n');
        const addrs = [...answer.matchAll(/Address(?: \d+)?:\s*([0-9.]+)/g)].map((m) => m[1]);
        return addrs.includes(ip);
      }).catch((e: Error) => {
        throw new Error(`${e.message}\nlast nslookup output:\n${lastOut}`);
      });
      const conf = await podExec(`${STS}-1`, 'cat /etc/resolv.conf');
      assert.match(conf.stdout, /^nameserver 10\.96\.0\.10$/m);
    } finally {
      release();
    }
  });

  it('has the network guard rules installed', async () => {
    const r = await run('iptables', ['-S'], { timeoutMs: 15_000 });
    assert.equal(r.code, 0, `iptables -S failed (the test must run as root): ${r.stderr}`);
    const rules = r.stdout.split('\n');
    const has = (chain: string, re: RegExp) =>
      rules.some((l) => l.startsWith(`-A ${chain} `) && re.test(l) && / -j DROP\b/.test(l));
    const route = await run('ip', ['-4', 'route', 'show', 'default'], { timeoutMs: 5_000 });
    const ifaces = [...route.stdout.matchAll(/\bdev (\S+)/g)].map((m) => m[1]);
    assert.ok(
      has('FORWARD', /-s 10\.244\.0\.0\/16 ! -o /),
      'missing FORWARD drop of the pod CIDR to non-bridge interfaces',
    );
    for (const i of ifaces) {
      const o = `-o ${i!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `;
      assert.ok(
        has('FORWARD', new RegExp(`-s 10\\.244\\.0\\.0/16 ${o}`)),
        `missing FORWARD -s 10.244.0.0/16 -o ${i} DROP`,
      );
      assert.ok(has('OUTPUT', new RegExp(`-d 10\\.96\\.0\\.0/16 ${o}`)), `missing OUTPUT -d 10.96.0.0/16 -o ${i} DROP`);
      assert.ok(
        has('OUTPUT', new RegExp(`-d 10\\.244\\.0\\.0/16 ${o}`)),
        `missing OUTPUT -d 10.244.0.0/16 -o ${i} DROP`,
      );
    }
  });

  it('limits the limited kubeconfig to its namespace', async () => {
    const limitedNs = P.STS_LAB_LIMITED_NAMESPACE ?? 'sts-lab-limited';
    const own = await kubectl(['-n', limitedNs, 'get', 'pods'], { kubeconfig: P.STS_LAB_LIMITED_KUBECONFIG! });
    assert.equal(own.code, 0, `limited user cannot list pods in ${limitedNs}: ${own.stderr}`);
    const other = await kubectl(['-n', NS, 'get', 'pods'], { kubeconfig: P.STS_LAB_LIMITED_KUBECONFIG! });
    assert.notEqual(other.code, 0, `limited user could list pods in ${NS}`);
    assert.match(other.stderr, /Forbidden|forbidden/);
    const nodes = await kubectl(['get', 'nodes'], { kubeconfig: P.STS_LAB_LIMITED_KUBECONFIG! });
    assert.notEqual(nodes.code, 0, 'limited user could list nodes');
    assert.match(nodes.stderr, /forbidden/i);
  });

  it('deletes the provisioned volumes and their directories with the namespace (reclaimPolicy Delete)', async () => {
    assert.equal(pvNames.length, 3, 'no PVs recorded by the provisioning test');
    const d = await kubectl(['delete', 'namespace', NS, '--wait=true', '--timeout=150s'], { timeoutMs: 170_000 });
    assert.equal(d.code, 0, `namespace delete failed: ${d.stderr}`);
    nsCreated = '';
    await eventually('the PVs to be deleted', 120_000, async () => {
      const r = await kubectlOk(['get', 'pv', '-o', 'jsonpath={.items[*].metadata.name}']);
      const left = r.split(/\s+/).filter((n) => pvNames.includes(n));
      return left.length === 0;
    });
    for (const node of NODES) {
      const dir = path.join(P.STS_LAB_CLUSTER_DIR!, 'local-path', node);
      await eventually(
        `local-path to empty ${dir}`,
        60_000,
        async () => !existsSync(dir) || readdirSync(dir).every((f) => !f.includes(NS)),
      );
    }
  });
});
