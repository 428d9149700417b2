// The node lessons on the real three-node cluster: drain (pinned and movable storage), a node
// failure with each way out, Ctrl-C mid-drain. They cordon, taint and stop nodes, so they run
// on their own after the concurrent suite, and leave every node Ready, uncordoned, untainted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { cluster, ROOT } from '../e2e/cluster-env.ts';
import { readJunit } from '../support/junit.ts';
import { cleanEnv, dropNamespace, IMAGE, kubectlJson, run, sandboxFile, sts, uniqueName } from '../e2e/harness.ts';
import { killWhen } from '../e2e/interrupt.ts';

const NODE_SH = join(ROOT, 'test', 'cluster', 'node.sh');
const NODES = cluster.STS_LAB_NODE_NAMES!.split(',');
const MOVABLE_CLASS = 'shared-hostpath';
// The plugin runs them with the sandbox's HOME: node.sh finds the cluster's binaries under the real one.
const nodeSh = (verb: string) => `HOME=${homedir()} bash ${NODE_SH} {node} ${verb}`;
const failWith = (how: 'stop' | 'poweroff') => nodeSh(how);
const RECOVER_WITH = nodeSh('start');
const skip = NODES.length < 2 && 'a single-node cluster';

interface NodeJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { unschedulable?: boolean; taints?: { key: string }[] };
  status: { conditions: { type: string; status: string }[] };
}

/** Every node Ready, schedulable, with no taint or mark sts-lab adds. */
async function assertNodesClean(): Promise<void> {
  const { items } = await kubectlJson<{ items: NodeJson[] }>(['get', 'nodes']);
  for (const n of items) {
    const name = n.metadata.name;
    assert.equal(n.status.conditions.find((c) => c.type === 'Ready')?.status, 'True', `${name} Ready`);
    assert.ok(!n.spec.unschedulable, `${name} uncordoned`);
    const taints = (n.spec.taints ?? []).map((t) => t.key);
    assert.deepEqual(
      taints.filter((k) => /out-of-service|unreachable|not-ready|unschedulable/.test(k)),
      [],
      `${name} taints`,
    );
    assert.deepEqual(
      Object.keys(n.metadata.annotations ?? {}).filter((k) => k.startsWith('sts-lab/')),
      [],
      `${name} sts-lab marks`,
    );
  }
}

/** Every node started (a no-op for a running one): whatever a failed test left, the next starts whole. */
async function startAll(): Promise<void> {
  for (const n of NODES)
    await run('bash', [NODE_SH, n, 'start'], { timeoutMs: 180_000, env: process.env as Record<string, string> });
}
beforeEach(startAll);
after(startAll);

test('tour --part nodes: drains on pinned and movable storage, a powered-off node, one report', { skip }, async () => {
  const ns = uniqueName('e2e-nodes');
  after(() => dropNamespace(ns));
  const report = sandboxFile(`${ns}.md`, '');
  const r = await sts([
    '-n',
    ns,
    '--progress',
    'plain',
    'tour',
    '--part',
    'nodes',
    '--image',
    IMAGE,
    '--storage-class',
    MOVABLE_CLASS,
    '--fail-with',
    failWith('poweroff'),
    '--recover-with',
    RECOVER_WITH,
    '--report',
    report,
    '-o',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.parts, ['nodes']);
  const rows = Object.fromEntries(
    out.rows.map((x: { concept: string; result: string; evidence: string }) => [x.concept, x]),
  );
  assert.deepEqual(Object.keys(rows), [
    'Drain respects the budget',
    'Pinned storage keeps the pod',
    'Data follows the pod',
    'At most one pod per identity',
    'Failover time',
    'Cleanup',
  ]);
  for (const row of Object.values(rows) as { concept: string; result: string }[])
    assert.equal(row.result, 'PASS', JSON.stringify(row));
  assert.match(rows['Pinned storage keeps the pod'].evidence, /node affinity/);
  assert.match(rows['Failover time'].evidence, /\d+(\.\d)?s/);
  // The narration names the user's command, and what the cluster said.
  assert.match(r.stderr, /node\.sh \S+ poweroff/);
  const md = readFileSync(report, 'utf8');
  assert.match(md, /^\| At most one pod per identity \|.*\| \*\*PASS\*\* \|/m);
  await assertNodesClean();
});

test(
  'node-failure --recovery force on a node that lost only its kubelet: two copies, made visible',
  { skip },
  async () => {
    const ns = uniqueName('e2e-force');
    after(() => dropNamespace(ns));
    const setup = await sts(['-n', ns, 'setup', '--image', IMAGE, '--toleration-seconds', '5', '--progress', 'none']);
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal((await sts(['-n', ns, 'write-data', '--progress', 'none'])).code, 0);
    const r = await sts([
      '-n',
      ns,
      '--progress',
      'plain',
      'node-failure',
      '1',
      '--fail-with',
      failWith('stop'),
      '--recover-with',
      RECOVER_WITH,
      '--recovery',
      'force',
      '--hold',
      '10s',
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.simulation, null);
    assert.equal(out.recovery, 'force');
    assert.equal(out.detected.ready, 'Unknown');
    assert.ok(out.detected.taints.includes('node.kubernetes.io/unreachable:NoExecute'), out.detected.taints);
    assert.equal(out.hold.secondPod, null, 'no second pod while the old object existed');
    assert.ok(out.hold.oldStillThere);
    assert.ok(out.replacement.createdAfterOldGone);
    // Only the kubelet stopped: the old container still serves on its old IP, beside the new pod.
    assert.equal(out.secondCopy.answered, true, out.secondCopy.detail);
    assert.equal(out.back.oldIpSilent, true, 'the returning kubelet killed the old copy');
    assert.equal(out.verdict.result, 'PASS', JSON.stringify(out.verdict, null, 2));
    await assertNodesClean();
  },
);

test('Ctrl-C during drain undoes the cordon and removes the budget (exit 130)', { skip }, async () => {
  const ns = uniqueName('e2e-drain-int');
  after(() => dropNamespace(ns));
  assert.equal((await sts(['-n', ns, 'setup', '--image', IMAGE, '--progress', 'none'])).code, 0);
  const child = spawn('kubectl', ['sts-lab', '-n', ns, '--progress', 'plain', 'drain', '1'], { env: cleanEnv() });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d) => {
    stderr += d;
    // kubectl replaces itself with the plugin (exec), so the signal reaches sts-lab directly.
    if (!sent && /❯ Evict nginx-sts/.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const bound = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(bound);
  assert.ok(sent, stderr);
  assert.equal(code, 130, stderr);
  await assertNodesClean();
  const budgets = await kubectlJson<{ items: unknown[] }>(['-n', ns, 'get', 'poddisruptionbudgets']);
  assert.equal(budgets.items.length, 0, 'the budget was removed');
  // The pod comes back, on its pinned node, once nothing holds it off.
  const back = await sts(['-n', ns, 'uncordon', '-o', 'json']);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(JSON.parse(back.stdout).verdict.result, 'PASS');
});

test(
  'drain killed (SIGKILL) after its eviction: run again, it undoes that drain and drains whole',
  { skip },
  async () => {
    const ns = uniqueName('e2e-drain-kill');
    // A failure part-way must not leave the node cordoned for the tests after this one.
    after(async () => {
      await sts(['-n', ns, 'uncordon', '--progress', 'none']);
      await dropNamespace(ns);
    });
    assert.equal((await sts(['-n', ns, 'setup', '--image', IMAGE, '--progress', 'none'])).code, 0);
    await killWhen(['sts-lab', '-n', ns, '--progress', 'plain', 'drain', '1'], /✔ Evict nginx-sts-1/);
    // What the killed drain left: its cordon, its budget, and nginx-sts-1 held Pending on its pinned volume.
    const nodes = await kubectlJson<{ items: NodeJson[] }>(['get', 'nodes']);
    assert.ok(
      nodes.items.some((n) => n.spec.unschedulable),
      'the killed drain left its cordon',
    );
    const r = await sts(['-n', ns, '--progress', 'plain', 'drain', '1', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.equal(d.verdict.result, 'PASS', r.stderr);
    assert.ok(
      d.undoneFirst?.some((u: string) => /^node\/\S+ uncordoned$/.test(u)),
      `the earlier cordon was not undone first: ${JSON.stringify(d.undoneFirst)}\n${r.stderr}`,
    );
    assert.deepEqual(
      d.evictions.map((e: { pod: string; accepted: boolean }) => [e.pod, e.accepted]),
      [['nginx-sts-1', true]],
      'this drain evicted the pod itself, after the earlier one was undone',
    );
    assert.doesNotMatch(r.stderr, /is not Ready now/);
    const back = await sts(['-n', ns, 'uncordon', '-o', 'json']);
    assert.equal(back.code, 0, back.stderr);
    await assertNodesClean();
  },
);

test(
  'tour --part storage on a class that lets the pod go: the drained pod runs elsewhere on its volume',
  { skip },
  async () => {
    const ns = uniqueName('e2e-smoke-move');
    after(() => dropNamespace(ns));
    const junit = sandboxFile(`${ns}.xml`, '');
    const r = await sts([
      ...['-n', ns, '--progress', 'plain', 'tour', '--part', 'storage', '--storage-class', MOVABLE_CLASS],
      ...['--image', IMAGE, '--junit', junit, '-o', 'json'],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout).rows as { concept: string; result: string; evidence: string }[];
    const move = rows.find((x) => x.concept === 'Pod moves with its data')!;
    assert.equal(move.result, 'PASS', move.evidence);
    const moved = /^Drain respected the budget: nginx-sts-1 Ready on (\S+);.*The lab is whole again/.exec(
      move.evidence,
    );
    assert.ok(moved && NODES.includes(moved[1]!), move.evidence);
    assert.match(rows.find((x) => x.concept === 'Claims bound')!.evidence, /^shared-hostpath: /);
    const suite = readJunit(junit);
    assert.equal(suite.failures, 0);
    assert.equal(suite.properties['sts-lab.storageClass.provisioner'], 'kubernetes.io/host-path');
    assert.equal(suite.cases.find((c) => c.name === 'Pod moves with its data')?.result, 'passed');
    await assertNodesClean();
  },
);

test('storage warns of a volume pinned to a cordoned node, and stops once it is uncordoned', { skip }, async () => {
  const ns = uniqueName('e2e-storage-cordon');
  after(() => dropNamespace(ns));
  assert.equal((await sts(['-n', ns, 'setup', '--image', IMAGE, '--progress', 'none'])).code, 0);
  const pod = await kubectlJson<{ spec: { nodeName: string } }>(['-n', ns, 'get', 'pod', 'nginx-sts-1']);
  const node = pod.spec.nodeName;
  assert.equal((await run('kubectl', ['cordon', node])).code, 0);
  try {
    const r = await sts(['-n', ns, 'storage', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const warnings = JSON.parse(r.stdout).warnings as string[];
    assert.ok(
      warnings.some((w) =>
        new RegExp(`^the volume of nginx-sts-1 \\(pvc-\\S+\\) is pinned to node ${node}, which is cordoned`).test(w),
      ),
      warnings.join('\n'),
    );
  } finally {
    await run('kubectl', ['uncordon', node]);
  }
  const after_ = await sts(['-n', ns, 'storage', '-o', 'json']);
  assert.deepEqual(JSON.parse(after_.stdout).warnings, []);
  await assertNodesClean();
});
