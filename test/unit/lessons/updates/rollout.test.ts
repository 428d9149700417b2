import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '../../../../src/lab/observation.ts';
import { revisionRow } from '../../../../src/lessons/identity/judge.ts';
import {
  analyseOnDelete,
  analyseRollout,
  maxUnavailableDropped,
  revisionFor,
} from '../../../../src/lessons/updates/rollout.ts';

const OLD = 'rev-old';
const NEW = 'rev-new';
const pod = (i: number, uid: string, rev: string, ready: boolean, deleting = false) => ({
  metadata: {
    name: `web-${i}`,
    uid,
    labels: { 'controller-revision-hash': rev },
    ...(deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}),
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const before = new Map([0, 1, 2].map((i) => [i, pod(i, `old${i}`, OLD, true)]));
/** The watch's first list: every pod as it was before the change. */
const listed: Observation[] = [...before].map(([i, p]) => ({ at: 0, type: 'add', ordinal: i, pod: p, initial: true }));
let clock = 0;
const ev = (type: Observation['type'], i: number, p: ReturnType<typeof pod>): Observation => ({
  at: (clock += 100),
  type,
  ordinal: i,
  pod: p,
});
/** The controller replacing ordinal i: old terminating, gone, new created, Ready. */
const replace = (i: number): Observation[] => [
  ev('update', i, pod(i, `old${i}`, OLD, true, true)),
  ev('delete', i, pod(i, `old${i}`, OLD, true, true)),
  ev('add', i, pod(i, `new${i}`, NEW, false)),
  ev('update', i, pod(i, `new${i}`, NEW, true)),
];
const input = (
  history: Observation[],
  partition: number,
  after = new Map([0, 1, 2].map((i) => [i, i >= partition ? pod(i, `new${i}`, NEW, true) : before.get(i)!])),
) => ({
  history: [...listed, ...history],
  before,
  after,
  start: 0,
  replicas: 3,
  partition,
  updateRevision: NEW,
  podName: (i: number) => `web-${i}`,
});

test('a full rolling update from the top down passes, with the order in the headline', () => {
  const r = analyseRollout(input([...replace(2), ...replace(1), ...replace(0)], 0));
  assert.equal(r.verdict.result, 'PASS', r.verdict.why.join('\n'));
  assert.match(r.verdict.headline, /web-2, web-1, web-0 replaced from the highest ordinal down/);
  assert.deepEqual(
    r.rows.map((x) => x.moves),
    [true, true, true],
  );
});

test('a canary moves only the top ordinal; the pods below the partition are untouched', () => {
  const r = analyseRollout(input(replace(2), 2));
  assert.equal(r.verdict.result, 'PASS');
  assert.match(r.verdict.headline, /below partition 2 untouched/);
});

test('fails: bottom-up order, overlap of old and new, a pod below the partition replaced, a pod left on the old revision', () => {
  const bottomUp = analyseRollout(input([...replace(0), ...replace(1), ...replace(2)], 0));
  assert.equal(bottomUp.verdict.result, 'FAIL');
  assert.match(bottomUp.verdict.why.join('\n'), /web-1 began terminating before the new web-2 was Ready/);
  const overlap = replace(2);
  [overlap[1], overlap[2]] = [overlap[2]!, overlap[1]!];
  assert.match(
    analyseRollout(input(overlap, 2)).verdict.why.join('\n'),
    /the new pod appeared before the old one was gone/,
  );
  const below = analyseRollout(
    input(
      [...replace(2), ...replace(1)],
      2,
      new Map([
        [0, before.get(0)!],
        [1, pod(1, 'new1', NEW, true)],
        [2, pod(2, 'new2', NEW, true)],
      ]),
    ),
  );
  assert.match(below.verdict.why.join('\n'), /web-1 is below the partition 2 but was replaced/);
  const stale = analyseRollout(
    input(
      replace(2),
      1,
      new Map([
        [0, before.get(0)!],
        [1, before.get(1)!],
        [2, pod(2, 'new2', NEW, true)],
      ]),
    ),
  );
  assert.match(stale.verdict.why.join('\n'), /web-1 is on revision rev-old, not rev-new/);
});

test('nothing to roll is N/A, not a pass', () => {
  const done = new Map([0, 1, 2].map((i) => [i, pod(i, `new${i}`, NEW, true)]));
  const r = analyseRollout({
    history: [],
    before: done,
    after: done,
    start: 0,
    replicas: 3,
    partition: 0,
    updateRevision: NEW,
    podName: (i) => `web-${i}`,
  });
  assert.equal(r.verdict.result, 'N/A');
});

test('a re-created pod is due the current revision below a RollingUpdate partition, the update revision otherwise', () => {
  const plan = { strategy: 'RollingUpdate', start: 0, partition: 2, currentRevision: OLD, updateRevision: NEW };
  assert.deepEqual(revisionFor(plan, 1), { revision: OLD, which: 'current revision' });
  assert.deepEqual(revisionFor(plan, 2), { revision: NEW, which: 'update revision' });
  assert.deepEqual(revisionFor({ ...plan, strategy: 'OnDelete' }, 0), { revision: NEW, which: 'update revision' });
  assert.equal(revisionRow(OLD, OLD, revisionFor(plan, 1)).ok, true);
  assert.equal(
    revisionRow(OLD, NEW, revisionFor(plan, 1)).ok,
    false,
    'a pod below the partition must not come back on the new revision',
  );
  assert.equal(
    revisionRow(null, null, { revision: null, which: 'update revision' }).ok,
    false,
    'no revision proves nothing',
  );
});

test('ordinals from 5: the partition counts from the first ordinal, as the controller indexes its pods', () => {
  const was = new Map([5, 6, 7].map((i) => [i, pod(i, `old${i}`, OLD, true)]));
  const now = new Map([5, 6, 7].map((i) => [i, i >= 7 ? pod(i, `new${i}`, NEW, true) : was.get(i)!]));
  const history: Observation[] = [
    ...[...was].map(([i, p]): Observation => ({ at: 0, type: 'add', ordinal: i, pod: p, initial: true })),
    ...replace(7),
  ];
  const canary = analyseRollout({
    history,
    before: was,
    after: now,
    start: 5,
    replicas: 3,
    partition: 2,
    updateRevision: NEW,
    podName: (i) => `web-${i}`,
  });
  assert.equal(canary.verdict.result, 'PASS', canary.verdict.why.join('\n'));
  assert.deepEqual(
    canary.rows.map((x) => [x.ordinal, x.moves]),
    [
      [5, false],
      [6, false],
      [7, true],
    ],
  );
  assert.match(canary.verdict.headline, /below partition 2 \(ordinals below 7\) untouched/);
  const plan = { strategy: 'RollingUpdate', start: 5, partition: 2, currentRevision: OLD, updateRevision: NEW };
  assert.equal(revisionFor(plan, 6).which, 'current revision');
  assert.equal(revisionFor(plan, 7).which, 'update revision');
});

test('OnDelete: no pod replaced during the window passes; a pod the controller replaced fails', () => {
  const quiet = analyseOnDelete(input([], 0, before), 10_000);
  assert.equal(quiet.verdict.result, 'PASS');
  assert.match(quiet.verdict.headline, /in 10s no pod was replaced/);
  const moved = analyseOnDelete(
    input(
      replace(2),
      0,
      new Map([
        [0, before.get(0)!],
        [1, before.get(1)!],
        [2, pod(2, 'new2', NEW, true)],
      ]),
    ),
    10_000,
  );
  assert.equal(moved.verdict.result, 'FAIL');
  assert.match(
    moved.verdict.why.join('\n'),
    /web-2 was replaced or changed revision although the strategy is OnDelete/,
  );
});

test('OnDelete: the why names the pods still to delete and says how currentRevision moves before and from 1.37', () => {
  const quiet = analyseOnDelete(input([], 0, before), 10_000);
  assert.equal(
    quiet.verdict.why[1],
    'a pod takes the new revision only when it is deleted (kubectl sts-lab kill-pod N): web-0, web-1, web-2 still on an older one.',
  );
  assert.equal(
    quiet.verdict.why[2],
    `Once every pod runs it and is Ready, status.currentRevision becomes ${NEW} too from Kubernetes 1.37; before, it keeps the old one.`,
  );
  const done = new Map([0, 1, 2].map((i) => [i, pod(i, `new${i}`, NEW, true)]));
  const same = analyseOnDelete(
    {
      history: [],
      before: done,
      after: done,
      start: 0,
      replicas: 3,
      partition: 0,
      updateRevision: NEW,
      podName: (i) => `web-${i}`,
    },
    10_000,
  );
  assert.equal(
    same.verdict.result,
    'N/A',
    'every pod already on the update revision: nothing held, nothing to kill-pod onto',
  );
  assert.match(same.verdict.headline, /^Nothing to hold: every pod already ran revision rev-new/);
  assert.doesNotMatch(same.verdict.why.join('\n'), /kill-pod N\)/);
});

/** maxUnavailable 2 as the controller does it under OrderedReady: 2 and 1 go together, 1 comes back first. */
const twoAtOnce = (): Observation[] => {
  const [t2, g2, a2, r2] = replace(2);
  const [t1, g1, a1, r1] = replace(1);
  return [t2!, t1!, g2!, g1!, a1!, r1!, a2!, r2!, ...replace(0)];
};

test('maxUnavailable 2: two pods down together is within the bound, terminations still from the top', () => {
  const r = analyseRollout({ ...input(twoAtOnce(), 0), maxUnavailable: 2 });
  assert.equal(r.verdict.result, 'PASS', r.verdict.why.join('\n'));
  assert.equal(r.peak.count, 2);
  assert.deepEqual(r.peak.ordinals, [1, 2]);
  assert.match(r.verdict.headline, /never more than 2 unavailable at once \(maxUnavailable 2\)/);
  const strict = analyseRollout(input(twoAtOnce(), 0));
  assert.equal(strict.verdict.result, 'FAIL', 'with maxUnavailable 1 the same stream breaks one-at-a-time');
});

test('maxUnavailable 2: three pods down at once fails the bound; a bottom-up termination fails the order', () => {
  const all = [2, 1, 0].map(replace);
  const threeDown = analyseRollout({
    ...input([all[0]![0]!, all[1]![0]!, all[2]![0]!, ...all.flatMap((x) => x.slice(1))], 0),
    maxUnavailable: 2,
  });
  assert.equal(threeDown.verdict.result, 'FAIL');
  assert.match(
    threeDown.verdict.why.join('\n'),
    /at most 3 pods unavailable at once \(maxUnavailable 2\): web-0, web-1, web-2 together/,
  );
  const bottomUp = analyseRollout({ ...input([...replace(0), ...replace(1), ...replace(2)], 0), maxUnavailable: 2 });
  assert.match(bottomUp.verdict.why.join('\n'), /web-1 began terminating before web-2/);
});

test("maxUnavailable kept but one pod at a time: the why asks about the controller manager's feature gate", () => {
  const r = analyseRollout({ ...input([...replace(2), ...replace(1), ...replace(0)], 0), maxUnavailable: 2 });
  assert.equal(r.verdict.result, 'PASS');
  assert.match(
    r.verdict.why.join('\n'),
    /is the MaxUnavailableStatefulSet feature gate on in kube-controller-manager\? \(on by default from 1\.37/,
  );
});

test('maxUnavailable dropped by the server: N/A naming the version, unless the roll-out itself failed', () => {
  const ok = analyseRollout(input([...replace(2), ...replace(1), ...replace(0)], 0));
  const na = maxUnavailableDropped(ok.verdict, 2, 'v1.34.4');
  assert.equal(na.result, 'N/A');
  assert.match(na.headline, /API server \(v1\.34\.4\) dropped spec\.updateStrategy\.rollingUpdate\.maxUnavailable/);
  assert.match(na.why.join('\n'), /the roll-out itself: PASS Rolling update held/);
  const bad = analyseRollout(input([...replace(0), ...replace(1), ...replace(2)], 0));
  assert.equal(maxUnavailableDropped(bad.verdict, 2, 'v1.34.4').result, 'FAIL');
});

test("maxUnavailable dropped: the why gives the gate's default on the server at hand", () => {
  const ok = analyseRollout(input([...replace(2), ...replace(1), ...replace(0)], 0)).verdict;
  const gate = (v: string) => maxUnavailableDropped(ok, 2, v).why[0];
  assert.equal(
    gate('v1.34.4'),
    'The field needs the MaxUnavailableStatefulSet feature gate: on v1.34.4 it is alpha and off by default (beta from 1.35, on by default from 1.37).',
  );
  assert.equal(
    gate('v1.36.3'),
    'The field needs the MaxUnavailableStatefulSet feature gate: on v1.36.3 it is beta but off by default (on by default from 1.37).',
  );
  assert.equal(
    gate('v1.37.2'),
    'The field needs the MaxUnavailableStatefulSet feature gate: on v1.37.2 it is beta and on by default, so this API server runs with it turned off.',
  );
});
