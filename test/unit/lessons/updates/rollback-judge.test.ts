import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyseRollback,
  rollbackExpectation,
  rollbackTarget,
} from '../../../../src/lessons/updates/rollback-judge.ts';
import type { PodManagementPolicy } from '../../../../src/lab/manifests.ts';

const revs = [1, 2, 3].map((revision) => ({
  name: `r${revision}`,
  revision,
  template: { metadata: { annotations: { n: String(revision) } } },
}));

test('rollback target: the asked revision; the current one mid roll-out; the restored one while pods lag; else the one before', () => {
  assert.equal(rollbackTarget(revs, { currentRevision: 'r3', updateRevision: 'r3' }, ['r3'], 1).name, 'r1');
  assert.throws(() => rollbackTarget(revs, {}, [], 9), /revision 9 not found: this StatefulSet has revisions 1, 2, 3/);
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r2', updateRevision: 'r3' }, ['r2', 'r3'], undefined).name,
    'r2',
    'a stalled roll-out goes back to what the untouched pods run',
  );
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r2', updateRevision: 'r2' }, ['r2', 'r3'], undefined).name,
    'r2',
    'template restored, a pod still stuck: finish that rollback, do not toggle',
  );
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r3', updateRevision: 'r3' }, ['r3', 'r3'], undefined).name,
    'r2',
    'a finished update: undo it',
  );
  assert.throws(
    () => rollbackTarget(revs.slice(0, 1), { currentRevision: 'r1', updateRevision: 'r1' }, ['r1'], undefined),
    /nothing to roll back to: this StatefulSet has one revision/,
  );
});

test('rollback target under OnDelete: right whether currentRevision stays put (before 1.37) or follows the pods (1.37 and later)', () => {
  // Two updates (r2, then r3), every pod deleted onto each; before 1.37 currentRevision still names r1.
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r1', updateRevision: 'r3' }, ['r3', 'r3', 'r3'], undefined).name,
    'r2',
    'before 1.37: a finished update, undone, not the stale r1',
  );
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r3', updateRevision: 'r3' }, ['r3', 'r3', 'r3'], undefined).name,
    'r2',
    '1.37: the same',
  );
  // Pods 0 and 1 still on r2, pod 2 deleted onto r3.
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r1', updateRevision: 'r3' }, ['r2', 'r2', 'r3'], undefined).name,
    'r2',
    'before 1.37: what the untouched pods run',
  );
  assert.equal(
    rollbackTarget(revs, { currentRevision: 'r2', updateRevision: 'r3' }, ['r2', 'r2', 'r3'], undefined).name,
    'r2',
    '1.37: the same',
  );
  // The first update, half done: the current revision is what the untouched pods run on either version.
  assert.equal(
    rollbackTarget(revs.slice(0, 2), { currentRevision: 'r1', updateRevision: 'r2' }, ['r1', 'r2'], undefined).name,
    'r1',
  );
});

const pod = (uid: string, rev: string, ready: boolean) => ({
  metadata: { uid, labels: { 'controller-revision-hash': rev } },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const before = new Map([
  [0, pod('a', 'good', true)],
  [1, pod('b', 'good', true)],
  [2, pod('c', 'bad', false)],
]);
const base = {
  ordinals: [0, 1, 2],
  before,
  target: 'good',
  policy: 'OrderedReady' as PodManagementPolicy,
  deleted: [] as number[],
  stuck: [] as number[],
  windowMs: 15_000,
  podName: (i: number) => `web-${i}`,
  serverVersion: 'v1.37.2' as string | null,
  strategy: 'RollingUpdate',
  gateOn: true as boolean | undefined,
};

test('rollback: a pod left on the broken revision fails, naming it and the way out', () => {
  const r = analyseRollback({ ...base, after: before, stuck: [2] });
  assert.equal(r.verdict.result, 'FAIL');
  assert.match(
    r.verdict.headline,
    /Rollback not complete: web-2 still off revision good; nothing moved for 15.0s after the template was restored/,
  );
  assert.equal(
    r.verdict.why[0],
    'On this server (Kubernetes v1.37.2, podManagementPolicy OrderedReady) the controller did not replace web-2 by itself: nothing moved for 15.0s while sts-lab watched.',
  );
  assert.match(
    r.verdict.why.join('\n'),
    /under OrderedReady the controller replaces no pod while one is not Running and Ready/,
  );
  assert.match(r.verdict.why.join('\n'), /kubectl sts-lab rollback --delete-stuck/);
  assert.deepEqual(
    r.rows.map((x) => x.action),
    ['untouched', 'untouched', 'untouched'],
  );
});

test('rollback: the stuck pod deleted and back on the target passes; so does a controller that replaced it itself', () => {
  const after = new Map([
    [0, before.get(0)!],
    [1, before.get(1)!],
    [2, pod('d', 'good', true)],
  ]);
  const forced = analyseRollback({ ...base, after, stuck: [2], deleted: [2] });
  assert.equal(forced.verdict.result, 'PASS');
  assert.match(
    forced.verdict.headline,
    /web-2 was stuck \(nothing moved for 15.0s\); deleted, the controller re-created it/,
  );
  assert.equal(forced.rows[2]!.action, 'deleted by sts-lab');
  const itself = analyseRollback({ ...base, after });
  assert.match(itself.verdict.headline, /the controller replaced web-2 by itself/);
  const notReady = analyseRollback({
    ...base,
    after: new Map([...after, [2, pod('d', 'good', false)]]),
    stuck: [2],
    deleted: [2],
  });
  assert.equal(notReady.verdict.result, 'FAIL', 'on the target revision but not Ready is not rolled back');
});

// What each server did beside what to expect there. The pods decide the verdict; version, policy and gate only explain
// it.
const stuckAfter = before;
const healedAfter = new Map([
  [0, before.get(0)!],
  [1, before.get(1)!],
  [2, pod('d', 'good', true)],
]);
const cases: {
  version: string | null;
  policy: PodManagementPolicy;
  gateOn?: boolean;
  strategy?: string;
  healed: boolean;
  expect: RegExp;
}[] = [
  {
    version: 'v1.34.4',
    policy: 'OrderedReady',
    healed: false,
    expect: /^As expected there: under OrderedReady the controller replaces no pod while one is not Running and Ready/,
  },
  {
    version: 'v1.37.2',
    policy: 'OrderedReady',
    healed: false,
    expect: /^As expected there: under OrderedReady .*on any version\.$/,
  },
  {
    version: 'v1.37.2',
    policy: 'OrderedReady',
    healed: true,
    expect: /^This differs from what to expect there: under OrderedReady/,
  },
  {
    version: 'v1.34.4',
    policy: 'Parallel',
    gateOn: true,
    healed: false,
    expect:
      /^As expected there: before 1\.37, with the MaxUnavailableStatefulSet gate on \(the API server keeps maxUnavailable\), the pod that is not Ready counts as unavailable/,
  },
  {
    version: 'v1.35.4',
    policy: 'Parallel',
    gateOn: false,
    healed: true,
    expect:
      /^As expected there: with the MaxUnavailableStatefulSet gate off \(the API server drops maxUnavailable\), the controller deletes the highest pod not on the update revision/,
  },
  {
    version: 'v1.36.3',
    policy: 'Parallel',
    gateOn: true,
    healed: false,
    expect: /^As expected there: before 1\.37, with the MaxUnavailableStatefulSet gate on/,
  },
  {
    version: 'v1.36.3',
    policy: 'Parallel',
    gateOn: true,
    healed: true,
    expect: /^This differs from what to expect there: before 1\.37, with the MaxUnavailableStatefulSet gate on/,
  },
  {
    version: 'v1.36.3',
    policy: 'Parallel',
    gateOn: false,
    healed: false,
    expect: /^This differs from what to expect there: with the MaxUnavailableStatefulSet gate off/,
  },
  {
    version: 'v1.37.2',
    policy: 'Parallel',
    gateOn: true,
    healed: true,
    expect:
      /^As expected there: from 1\.37, with the MaxUnavailableStatefulSet gate on \(the API server keeps maxUnavailable\), the controller deletes an old-revision pod that is already unavailable/,
  },
  {
    version: 'v1.37.2',
    policy: 'Parallel',
    gateOn: true,
    healed: false,
    expect: /^This differs from what to expect there: from 1\.37/,
  },
  { version: 'v1.38.0', policy: 'Parallel', gateOn: true, healed: true, expect: /^As expected there: from 1\.37/ },
  {
    version: 'v1.37.2',
    policy: 'Parallel',
    strategy: 'OnDelete',
    healed: false,
    expect: /^As expected there: under OnDelete the controller replaces no pod by itself/,
  },
  {
    version: null,
    policy: 'Parallel',
    gateOn: true,
    healed: true,
    expect:
      /^What to expect there: with the MaxUnavailableStatefulSet gate on .*this server's version does not say which it is\.$/,
  },
];
for (const c of cases) {
  test(`rollback on ${c.version ?? 'a server that hides its version'}, ${c.policy}${c.gateOn === undefined ? '' : `, gate ${c.gateOn ? 'on' : 'off'}`}${c.strategy ? `, ${c.strategy}` : ''}: ${c.healed ? 'healed by the controller' : 'stuck'}`, () => {
    const r = analyseRollback({
      ...base,
      serverVersion: c.version,
      policy: c.policy,
      gateOn: c.gateOn,
      strategy: c.strategy ?? 'RollingUpdate',
      after: c.healed ? healedAfter : stuckAfter,
      stuck: c.healed ? [] : [2],
    });
    assert.equal(r.verdict.result, c.healed ? 'PASS' : 'FAIL', 'judged from the pods alone');
    const where = `Kubernetes ${c.version ?? 'version unknown'}, podManagementPolicy ${c.policy}${c.strategy ? `, updateStrategy ${c.strategy}` : ''}`;
    assert.equal(
      r.verdict.why[0],
      c.healed
        ? `On this server (${where}) the controller rolled every pod back to good by itself: it replaced web-2.`
        : `On this server (${where}) the controller did not replace web-2 by itself: nothing moved for 15.0s while sts-lab watched.`,
    );
    assert.match(r.verdict.why[1]!, c.expect);
    assert.equal(
      r.expectedSelfHeal,
      /^What to expect/.test(r.verdict.why[1]!) ? null : /^As expected/.test(r.verdict.why[1]!) === c.healed,
    );
  });
}

test("rollback expectation without a gate on the StatefulSet: the version's default; nothing to roll back says so", () => {
  const parallel = { policy: 'Parallel' as const, strategy: 'RollingUpdate', gateOn: undefined, broken: true };
  assert.match(
    rollbackExpectation({ ...parallel, serverVersion: 'v1.36.3' }).because,
    /gate off \(its default there\)/,
  );
  assert.equal(rollbackExpectation({ ...parallel, serverVersion: 'v1.37.2' }).selfHeals, true);
  assert.equal(rollbackExpectation({ ...parallel, serverVersion: null }).selfHeals, null);
  assert.equal(
    rollbackExpectation({ ...parallel, serverVersion: 'v1.34.4', broken: false }).selfHeals,
    true,
    'a healthy roll-out is undone by any controller',
  );
  const done = analyseRollback({ ...base, before: healedAfter, after: healedAfter });
  assert.deepEqual(done.verdict.why, [
    'Every pod already ran good and was Ready on this server (Kubernetes v1.37.2, podManagementPolicy OrderedReady): there was nothing to roll back.',
  ]);
});
