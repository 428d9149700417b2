import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Stall } from '../../../../src/lab/diagnosis.ts';
import type { Observation } from '../../../../src/lab/observation.ts';
import { analyseStalled } from '../../../../src/lessons/updates/stalled-rollout.ts';

const pod = (uid: string, rev: string, ready: boolean, deleting = false) => ({
  metadata: {
    uid,
    labels: { 'controller-revision-hash': rev },
    ...(deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}),
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const before = new Map([0, 1, 2].map((i) => [i, pod(`old${i}`, 'old', true)]));
const stall = (ordinal: number): Stall => ({
  pod: `web-${ordinal}`,
  ordinal,
  state: 'is not Ready',
  reason: 'Running, not Ready',
  detail: 'Readiness probe failed: connection refused',
  key: 'k',
});
const history = (i: number): Observation[] => [
  { at: 1000, type: 'update', ordinal: i, pod: pod(`old${i}`, 'old', true, true) },
  { at: 2000, type: 'delete', ordinal: i, pod: pod(`old${i}`, 'old', true, true) },
  { at: 3000, type: 'add', ordinal: i, pod: pod(`new${i}`, 'new', false) },
];
const input = (after: Map<number, ReturnType<typeof pod>>, h: Observation[]) => ({
  history: h,
  before,
  after,
  start: 0,
  replicas: 3,
  partition: 0,
  updateRevision: 'new',
  podName: (i: number) => `web-${i}`,
});

test('a roll-out stalled at the top ordinal with the lower pods untouched: FAIL, with every piece of evidence holding', () => {
  const after = new Map([...before, [2, pod('new2', 'new', false)]]);
  const r = analyseStalled(input(after, history(2)), stall(2), 33_000);
  assert.equal(r.verdict.result, 'FAIL');
  assert.ok(
    r.verdict.checks.every((c) => c.ok),
    JSON.stringify(r.verdict.checks),
  );
  assert.match(
    r.verdict.headline,
    /Roll-out stalled at web-2 \(Running, not Ready\); web-0, web-1 untouched for 30\.0s/,
  );
  assert.match(r.verdict.why.join('\n'), /web-2 is not Ready: Running, not Ready: Readiness probe failed/);
});

test('a lower pod touched during the stall, or a stall below the top, is evidence that fails', () => {
  const touched = new Map([...before, [1, pod('new1', 'new', false)], [2, pod('new2', 'new', false)]]);
  const r = analyseStalled(input(touched, [...history(2), ...history(1)]), stall(2), 33_000);
  assert.match(r.verdict.headline, /not as a StatefulSet promises/);
  assert.match(r.verdict.why.join('\n'), /web-1 was replaced or changed revision while web-2 was not Ready/);
  const low = analyseStalled(input(new Map([...before, [1, pod('new1', 'new', false)]]), history(1)), stall(1), 33_000);
  assert.match(low.verdict.why.join('\n'), /stalled at web-1, not at the first pod it replaces \(web-2\)/);
});
