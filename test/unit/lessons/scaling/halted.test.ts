import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Stall } from '../../../../src/lab/diagnosis.ts';
import { analyseHalted } from '../../../../src/lessons/scaling/halted.ts';
import type { Observation } from '../../../../src/lab/observation.ts';

const stall: Stall = {
  pod: 'web-1',
  ordinal: 1,
  state: 'is not Ready',
  reason: 'Running, not Ready',
  detail: 'Readiness probe failed',
  key: 'k',
};
const pod = (uid: string, deleting = false) => ({
  metadata: { uid, ...(deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}) },
});
const base = { stall, policy: 'OrderedReady' as const, watchedMs: 30_000, podName: (i: number) => `web-${i}` };

test('a halted scale-up: FAIL (it did not happen), every check holding when nothing above was created', () => {
  const v = analyseHalted({ ...base, history: [], direction: 'up', waiting: [3, 4] });
  assert.equal(v.result, 'FAIL');
  assert.ok(v.checks.every((c) => c.ok));
  assert.match(v.headline, /^Scale-up halted: nothing created for 30\.0s, the controller waits for web-1/);
});

test('a pod created above the blocker, or removed below the new count, fails the evidence', () => {
  const created: Observation[] = [{ at: 1, type: 'add', ordinal: 3, pod: pod('x') }];
  const up = analyseHalted({ ...base, history: created, direction: 'up', waiting: [3, 4] });
  assert.match(up.headline, /went on past web-1/);
  assert.match(up.why.join('\n'), /web-3 was created although web-1 was not Ready/);
  const removed: Observation[] = [{ at: 1, type: 'update', ordinal: 4, pod: pod('y', true) }];
  const down = analyseHalted({ ...base, history: removed, direction: 'down', waiting: [4, 3, 2] });
  assert.deepEqual(
    down.checks.map((c) => [c.ordinal, c.ok]),
    [
      [4, false],
      [3, true],
      [2, true],
    ],
  );
});

test('ordinals from 5: the waiting pods are the shifted ones', () => {
  const v = analyseHalted({
    ...base,
    stall: { ...stall, pod: 'web-6', ordinal: 6 },
    history: [{ at: 1, type: 'add', ordinal: 8, pod: pod('z') }],
    direction: 'up',
    waiting: [8, 9],
  });
  assert.deepEqual(
    v.checks.map((c) => [c.ordinal, c.ok]),
    [
      [8, false],
      [9, true],
    ],
  );
});
