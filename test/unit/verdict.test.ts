import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timelineJson } from '../../src/lab/timeline.ts';
import { combine, verdict, verdictLines } from '../../src/lab/verdict.ts';
import { orderingVerdict } from '../../src/lessons/ordering/judge.ts';

test('one verdict shape: result, headline, why, checks; ordering checks carry ISO instants', () => {
  const v = orderingVerdict({
    verdict: 'PASS',
    policy: 'OrderedReady',
    why: ['w'],
    checks: [{ kind: 'create', ordinal: 1, at: Date.UTC(2026, 11, 1, 10), ok: true, detail: 'd', evidence: 'watch' }],
  });
  assert.deepEqual(Object.keys(v), ['result', 'headline', 'why', 'checks']);
  assert.equal(v.checks[0]!.at, '2026-12-01T10:00:00.000Z');
  assert.match(v.headline, /^OrderedReady held/);
  const failed = orderingVerdict(
    { verdict: 'FAIL', policy: 'OrderedReady', why: [], checks: [] },
    'never shown on FAIL',
  );
  assert.equal(failed.headline, 'OrderedReady violated');
  assert.deepEqual(Object.keys(verdict('N/A', 'h')), ['result', 'headline', 'why', 'checks']);
  assert.deepEqual(
    verdictLines(verdict('FAIL', 'broken', ['a', 'b']), (r) => r),
    ['FAIL  broken', '      a', '      b'],
  );
});

test('combine: FAIL wins, then N/A', () => {
  assert.equal(combine('PASS', 'PASS'), 'PASS');
  assert.equal(combine('PASS', 'N/A'), 'N/A');
  assert.equal(combine('N/A', 'FAIL', 'PASS'), 'FAIL');
});

test('timeline rows in JSON: instants ISO 8601, the gap in a field ending Ms', () => {
  const row = timelineJson({
    ordinal: 1,
    pod: 'p-1',
    uid: 'u',
    created: 0,
    scheduled: 5,
    running: null,
    ready: 1000,
    afterPreviousReadyMs: 12,
    source: 'watch',
  });
  assert.equal(row.created, '1970-01-01T00:00:00.000Z');
  assert.equal(row.running, null);
  assert.equal(row.afterPreviousReadyMs, 12);
});
