import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveMaxUnavailable, peakUnavailable } from '../../../../src/lessons/updates/availability.ts';
import type { Observation } from '../../../../src/lab/observation.ts';
import { maxUnavailable } from '../../../../src/lab/validate.ts';

const pod = (uid: string, ready: boolean, deleting = false) => ({
  metadata: { uid, ...(deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}) },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const at = (
  n: number,
  type: Observation['type'],
  ordinal: number,
  p: ReturnType<typeof pod>,
  initial = false,
): Observation => ({ at: n, type, ordinal, pod: p, ...(initial ? { initial } : {}) });

test('peakUnavailable replays the stream: terminating, absent and unready pods count, the initial list does not', () => {
  const h = [
    at(0, 'add', 0, pod('a', true), true),
    at(0, 'add', 1, pod('b', true), true),
    at(1, 'update', 1, pod('b', true, true)),
    at(2, 'delete', 1, pod('b', true, true)),
    at(3, 'update', 0, pod('a', false)),
    at(4, 'add', 1, pod('c', false)),
    at(5, 'update', 1, pod('c', true)),
    at(6, 'update', 0, pod('a', true)),
  ];
  assert.deepEqual(peakUnavailable(h, [0, 1]), { count: 2, at: 3, ordinals: [0, 1] });
  assert.deepEqual(
    peakUnavailable(h.slice(0, 2), [0, 1]),
    { count: 0, at: null, ordinals: [] },
    'a quiet watch: nothing was down',
  );
  assert.deepEqual(
    peakUnavailable(h, [1]),
    { count: 1, at: 1, ordinals: [1] },
    'only the ordinals the StatefulSet wants count',
  );
});

test('the controller reads maxUnavailable as a count, or a percentage rounded down, never below 1', () => {
  assert.equal(effectiveMaxUnavailable(undefined, 3), 1);
  assert.equal(effectiveMaxUnavailable(2, 3), 2);
  assert.equal(effectiveMaxUnavailable('50%', 3), 1);
  assert.equal(effectiveMaxUnavailable('67%', 3), 2);
  assert.equal(effectiveMaxUnavailable('10%', 3), 1);
});

test('--max-unavailable takes 1..100 or a percentage', () => {
  assert.equal(maxUnavailable('2'), 2);
  assert.equal(maxUnavailable('50%'), '50%');
  for (const bad of ['0', '-1', 'x', '0%', '101%', '1.5', ''])
    assert.throws(() => maxUnavailable(bad), /invalid --max-unavailable/);
});
