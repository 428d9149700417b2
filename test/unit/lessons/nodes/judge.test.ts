import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drainVerdict, type DrainData } from '../../../../src/lessons/nodes/drain.ts';
import { failureVerdict, type FailureFacts } from '../../../../src/lessons/nodes/failure-judge.ts';
import {
  heldByVolume,
  mostUnavailable,
  nodeReady,
  pinnedTo,
  schedulingProblem,
  statesOf,
  taintAdded,
} from '../../../../src/lessons/nodes/judge.ts';

const ready = (uid: string) => ({
  metadata: { uid },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
const notReady = (uid: string) => ({ metadata: { uid }, status: { conditions: [{ type: 'Ready', status: 'False' }] } });
const change = (type: string, ordinal: number, pod: ReturnType<typeof ready>) => ({
  type,
  ordinal,
  uid: pod.metadata.uid,
  pod,
});

test('the most pods unavailable at once counts absent and not-Ready ordinals over the whole sequence', () => {
  const start = [change('add', 0, ready('a')), change('add', 1, ready('b')), change('add', 2, ready('c'))];
  const oneAtATime = [
    ...start,
    change('delete', 1, ready('b')),
    change('add', 1, notReady('b2')),
    change('update', 1, ready('b2')),
  ];
  assert.equal(mostUnavailable(statesOf(oneAtATime).slice(3), [0, 1, 2]), 1);
  const twoAtOnce = [...start, change('delete', 1, ready('b')), change('delete', 2, ready('c'))];
  assert.equal(mostUnavailable(statesOf(twoAtOnce).slice(3), [0, 1, 2]), 2);
  // A delete of an old UID after its replacement arrived does not empty the slot.
  const late = [...start, change('add', 1, ready('b2')), change('delete', 1, ready('b'))];
  assert.equal(mostUnavailable(statesOf(late).slice(3), [0, 1, 2]), 0);
});

test("the scheduler's refusal is read from PodScheduled, and a volume affinity conflict is told from other reasons", () => {
  const pending = {
    status: {
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            '0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
        },
      ],
    },
  };
  const message = schedulingProblem(pending);
  assert.match(message ?? '', /volume node affinity conflict/);
  assert.equal(heldByVolume(message), true);
  assert.equal(heldByVolume('0/3 nodes are available: 3 Insufficient cpu.'), false);
  assert.equal(schedulingProblem(ready('x')), null);
});

test('a volume is pinned to a node only when its affinity names that node alone', () => {
  assert.equal(pinnedTo(['sts-lab-node-2'], 'sts-lab-node-2'), true);
  assert.equal(pinnedTo(['sts-lab-node-2'], 'vm'), false);
  assert.equal(pinnedTo([], 'vm'), false);
  assert.equal(pinnedTo(null, 'vm'), false);
});

test("a node's Ready condition and the time a taint was added are read from the Node object", () => {
  const node = {
    spec: {
      taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-12-02T10:00:00Z' }],
    },
    status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
  };
  assert.equal(nodeReady(node), 'Unknown');
  assert.equal(taintAdded(node, 'node.kubernetes.io/unreachable')?.toISOString(), '2026-12-02T10:00:00.000Z');
  assert.equal(taintAdded(node, 'node.kubernetes.io/unreachable', 'NoSchedule'), undefined);
  assert.equal(nodeReady(undefined), null);
});

const drained = (over: Partial<Omit<DrainData, 'verdict'>> = {}): Omit<DrainData, 'verdict'> => ({
  namespace: 'ns',
  pod: 'nginx-sts-1',
  node: 'n2',
  simulate: false,
  cordoned: true,
  budget: 'nginx-sts-budget',
  volume: { claim: 'data-nginx-sts-1', pv: 'pv-1', nodes: ['n2'] },
  pinned: true,
  othersOnNode: [],
  evictions: [{ pod: 'nginx-sts-1', at: '2026-12-02T10:00:00Z', accepted: true, message: null }],
  heldBack: [],
  probe: {
    pod: 'nginx-sts-0',
    whileAway: { pod: 'nginx-sts-0', at: '', accepted: false, message: 'Cannot evict pod' },
    after: { pod: 'nginx-sts-0', at: '', accepted: false, message: 'Cannot evict pod' },
  },
  moved: [
    {
      pod: 'nginx-sts-1',
      oldUid: 'a',
      uid: 'b',
      node: null,
      stage: 'Pending',
      scheduling: '0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict.',
      claim: 'data-nginx-sts-1',
      pv: 'pv-1',
      evictedToReadyMs: null,
    },
  ],
  mostUnavailable: 1,
  persistence: null,
  ...over,
});

test('a drain on a pinned volume passes when the pod waits Pending for its volume and the budget refuses a second eviction', () => {
  const v = drainVerdict(drained());
  assert.equal(v.result, 'PASS', v.why.join('\n'));
  assert.ok(v.checks.some((c) => c.check === 'nginx-sts-1 kept by its volume' && c.result === 'PASS'));
});

test('a pod the budget kept on the node beside a pinned one is named in the why, as a blocked kubectl drain', () => {
  const v = drainVerdict(
    drained({
      heldBack: [{ pod: 'nginx-sts-2', reason: 'nginx-sts-1 cannot be placed (volume node affinity conflict)' }],
    }),
  );
  assert.equal(v.result, 'PASS');
  assert.match(v.why.join('\n'), /the budget keeps nginx-sts-2 on the node \(kubectl drain would block\)/);
});

test('a drain fails when the budget let two pods go, a second eviction was allowed, or a pinned pod ran elsewhere', () => {
  assert.equal(drainVerdict(drained({ mostUnavailable: 2 })).result, 'FAIL');
  const allowed = drained();
  allowed.probe!.whileAway = { pod: 'nginx-sts-0', at: '', accepted: true, message: null };
  assert.equal(drainVerdict(allowed).result, 'FAIL');
  const ranElsewhere = drained();
  ranElsewhere.moved[0] = { ...ranElsewhere.moved[0]!, node: 'n3', stage: 'Ready', scheduling: null };
  assert.equal(drainVerdict(ranElsewhere).result, 'FAIL');
});

test('a drain on a volume that follows passes only when the pod is Ready on another node with the same volume', () => {
  const moving = (node: string, pv: string) =>
    drained({
      pinned: false,
      volume: { claim: 'data-nginx-sts-1', pv: 'pv-1', nodes: [] },
      probe: {
        pod: 'nginx-sts-0',
        whileAway: { pod: 'nginx-sts-0', at: '', accepted: false, message: 'Cannot evict pod' },
        after: { pod: 'nginx-sts-0', at: '', accepted: true, message: null },
      },
      moved: [
        {
          pod: 'nginx-sts-1',
          oldUid: 'a',
          uid: 'b',
          node,
          stage: 'Ready',
          scheduling: null,
          claim: 'data-nginx-sts-1',
          pv,
          evictedToReadyMs: 4000,
        },
      ],
    });
  assert.equal(drainVerdict(moving('n3', 'pv-1')).result, 'PASS');
  assert.equal(drainVerdict(moving('n2', 'pv-1')).result, 'FAIL');
  assert.equal(drainVerdict(moving('n3', 'pv-other')).result, 'FAIL');
});

const failed = (over: Partial<FailureFacts> = {}): FailureFacts => ({
  pod: 'nginx-sts-1',
  node: 'n2',
  recovery: 'out-of-service',
  tolerationSeconds: 10,
  volume: { claim: 'data-nginx-sts-1', pv: 'pv-1', nodes: [] },
  pinned: false,
  failedAt: '2026-12-02T10:00:00Z',
  detected: { ready: 'Unknown', afterMs: 52_000, taints: ['node.kubernetes.io/unreachable:NoExecute'] },
  notReady: { afterMs: 53_000, endpointReady: false, dns: 'nxdomain' },
  eviction: { afterTaintMs: 10_400, reason: 'DisruptionTarget DeletionByTaintManager' },
  hold: { ms: 15_000, secondPod: null, oldStillThere: true },
  recovered: { how: 'out-of-service', oldGoneAfterMs: 12_000 },
  replacement: {
    uid: 'b',
    node: 'n3',
    stage: 'Ready',
    scheduling: null,
    createdAfterOldGone: true,
    pv: 'pv-1',
    failoverMs: 95_000,
  },
  secondCopy: null,
  back: { ready: true, unreachableTaintsGone: true, labTaintGone: true, oldIpSilent: null, podReady: true },
  persistence: null,
  ...over,
});

test('a node failure passes when every row held: detected, evicted after the toleration, one pod, moved, back', () => {
  const v = failureVerdict(failed());
  assert.equal(v.result, 'PASS', v.why.join('\n'));
});

test('a node failure fails on a second pod during the hold, an early eviction, or a lab taint left behind', () => {
  assert.equal(
    failureVerdict(failed({ hold: { ms: 15_000, secondPod: 'nginx-sts-1 uid b', oldStillThere: true } })).result,
    'FAIL',
  );
  assert.equal(failureVerdict(failed({ eviction: { afterTaintMs: 2_000, reason: null } })).result, 'FAIL');
  const left = failed();
  left.back = { ...left.back, labTaintGone: false };
  assert.equal(failureVerdict(left).result, 'FAIL');
  const early = failed();
  early.replacement = { ...early.replacement, createdAfterOldGone: false };
  assert.equal(failureVerdict(early).result, 'FAIL');
});

test('after a force delete an old IP that still answers is shown as two copies; silence is N/A, not a pass', () => {
  const answered = failureVerdict(
    failed({ recovery: 'force', secondCopy: { oldIp: '10.244.1.5', answered: true, detail: 'answered' } }),
  );
  assert.equal(answered.checks.find((c) => c.check === 'two copies after force')?.result, 'PASS');
  const silent = failureVerdict(
    failed({ recovery: 'force', secondCopy: { oldIp: '10.244.1.5', answered: false, detail: 'no answer' } }),
  );
  assert.equal(silent.checks.find((c) => c.check === 'two copies after force')?.result, 'N/A');
});
