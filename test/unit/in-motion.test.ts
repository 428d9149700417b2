import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  inMotion,
  isStarting,
  motionPlan,
  STARTING_MS,
  type RevisionedPod,
  type StatefulSetLike,
} from '../../src/lab/in-motion.ts';

const sts = (over: StatefulSetLike['spec'] = {}, updateRevision = 'rev-b'): StatefulSetLike => ({
  spec: { replicas: 3, ...over },
  status: { updateRevision },
});

const T0 = '2026-12-03T10:00:00Z';
const T1 = '2026-12-03T10:00:40Z';

const ready = (revision = 'rev-b'): RevisionedPod => ({
  metadata: { labels: { 'controller-revision-hash': revision } },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const running = (notReadySince: string, startedAt = T0): RevisionedPod => ({
  metadata: { labels: { 'controller-revision-hash': 'rev-b' } },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: notReadySince }],
    containerStatuses: [{ state: { running: { startedAt } } }],
  },
});
const name = (i: number) => `nginx-sts-${i}`;
const NOW = Date.parse('2026-12-03T10:00:05Z');
const doing = (pods: Map<number, RevisionedPod>, s = sts(), labCordon = false, now = NOW) =>
  inMotion(pods, motionPlan(s, labCordon, now), name).map((m) => `${m.pod}: ${m.doing}`);

test('a settled lab is not in motion: every pod Ready on the update revision', () => {
  assert.deepEqual(doing(new Map<number, RevisionedPod>([0, 1, 2].map((i) => [i, ready()]))), []);
});

test('an interrupted kill-pod: the pod Terminating, missing, or not started yet', () => {
  const terminating: RevisionedPod = { ...ready(), metadata: { ...ready().metadata, deletionTimestamp: T1 } };
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [1, terminating],
        [2, ready()],
      ]),
    ),
    ['nginx-sts-1: Terminating'],
  );
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [2, ready()],
      ]),
    ),
    ['nginx-sts-1: not created yet'],
  );
  const pending: RevisionedPod = {
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [1, pending],
        [2, ready()],
      ]),
    ),
    ['nginx-sts-1: ContainerCreating'],
  );
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [1, running(T0)],
        [2, ready()],
      ]),
    ),
    ['nginx-sts-1: Running'],
  );
});

test('an interrupted roll-out: pods from the partition up left on the older revision', () => {
  const pods = new Map<number, RevisionedPod>([
    [0, ready('rev-a')],
    [1, ready('rev-a')],
    [2, ready('rev-b')],
  ]);
  assert.deepEqual(doing(pods), [
    'nginx-sts-0: on revision rev-a, not yet rev-b',
    'nginx-sts-1: on revision rev-a, not yet rev-b',
  ]);
  // Below the partition, and under OnDelete, the older revision is where a pod stays.
  assert.deepEqual(doing(pods, sts({ updateStrategy: { rollingUpdate: { partition: 1 } } })), [
    'nginx-sts-1: on revision rev-a, not yet rev-b',
  ]);
  assert.deepEqual(doing(pods, sts({ updateStrategy: { type: 'OnDelete' } })), []);
});

test('an interrupted scale-down: a pod above the replica count still there', () => {
  const pods = new Map<number, RevisionedPod>([0, 1, 2, 3].map((i) => [i, ready()]));
  assert.deepEqual(doing(pods), ['nginx-sts-3: not deleted yet (above the replica count)']);
});

test('pods that stay as they are on purpose are not waited for', () => {
  // NotReady after its start: the readiness switch, not a pod on its way up.
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [1, running(T1)],
        [2, ready()],
      ]),
    ),
    [],
  );
  const unschedulable: RevisionedPod = {
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
  const pods = new Map<number, RevisionedPod>([
    [0, ready()],
    [1, unschedulable],
    [2, ready()],
  ]);
  assert.deepEqual(doing(pods, sts(), true), [], 'held by a node the lab cordoned');
  assert.deepEqual(doing(pods, sts(), false), ['nginx-sts-1: Pending'], 'no cordon of the lab: still to be placed');
});

test('isStarting: not Ready since its container started a moment ago, or not known to have been', () => {
  assert.equal(isStarting(running(T0, T0), NOW), true);
  assert.equal(isStarting(running('2026-12-03T10:00:01Z', T0), NOW), true, 'same second, rounded');
  assert.equal(isStarting(running(T1, T0), NOW), false, 'NotReady after its start');
  assert.equal(isStarting(running(T0, T0), NOW + STARTING_MS), false, 'never Ready, long after its start: stuck');
  assert.equal(isStarting({ status: { phase: 'Running' } }, NOW), true);
});

test('a broken roll-out left stalled is not waited for: its pod never Ready, the rest held behind it', () => {
  const pods = new Map<number, RevisionedPod>([
    [0, ready('rev-a')],
    [1, ready('rev-a')],
    [2, running(T0)],
  ]);
  assert.deepEqual(
    doing(pods),
    [
      'nginx-sts-0: on revision rev-a, not yet rev-b',
      'nginx-sts-1: on revision rev-a, not yet rev-b',
      'nginx-sts-2: Running',
    ],
    'just started: on its way, and the roll-out goes on after it',
  );
  assert.deepEqual(doing(pods, sts(), false, Date.parse(T0) + STARTING_MS), [], 'long after: stuck');
});

test('behind a pod held NotReady, what the controller will not do is not waited for', () => {
  const unready = running(T1);
  // The readiness lesson: scaled to 5 while nginx-sts-1 is NotReady; OrderedReady creates nothing above it.
  const five = sts({ replicas: 5 });
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [1, unready],
        [2, ready()],
      ]),
      five,
    ),
    [],
  );
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready()],
        [1, unready],
        [2, ready()],
      ]),
      sts({ replicas: 5, podManagementPolicy: 'Parallel' }),
    ),
    ['nginx-sts-3: not created yet', 'nginx-sts-4: not created yet'],
  );
  // A roll-out waits for every pod to be Ready.
  assert.deepEqual(
    doing(
      new Map<number, RevisionedPod>([
        [0, ready('rev-a')],
        [1, unready],
        [2, ready()],
      ]),
    ),
    [],
  );
});
