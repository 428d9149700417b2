import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimRows } from '../../../../src/lessons/scaling/claims.ts';

const n = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const claim = (o: number, pv: string, phase = 'Bound') => ({
  metadata: { name: `data-nginx-sts-${o}` },
  spec: { volumeName: pv },
  status: { phase },
});
const five = [0, 1, 2, 3, 4].map((o) => claim(o, `pv-${o}`));

test('scale down with Retain: the removed ordinals keep Bound claims on the same volumes', () => {
  const rows = claimRows(n, { start: 0, from: 5, to: 2, whenScaled: 'Retain' }, five, five);
  assert.deepEqual(
    rows.map((r) => [r.ordinal, r.expected, r.ok]),
    [
      [0, 'in use', true],
      [1, 'in use', true],
      [2, 'retained', true],
      [3, 'retained', true],
      [4, 'retained', true],
    ],
  );
});

test('a retained claim that lost its volume or vanished fails', () => {
  const after = [...five.slice(0, 3), claim(3, 'pv-other'), claim(4, 'pv-4', 'Lost')];
  const rows = claimRows(n, { start: 0, from: 5, to: 2, whenScaled: 'Retain' }, five, after);
  assert.match(rows[3]!.detail, /volume changed from pv-3 to pv-other/);
  assert.equal(rows[4]!.ok, false);
  const gone = claimRows(n, { start: 0, from: 5, to: 2, whenScaled: 'Retain' }, five, five.slice(0, 4));
  assert.equal(gone[4]!.ok, false);
  assert.equal(gone[4]!.detail, 'missing');
});

test('scale down with whenScaled Delete: removed claims must be gone', () => {
  const ok = claimRows(n, { start: 0, from: 5, to: 3, whenScaled: 'Delete' }, five, five.slice(0, 3));
  assert.ok(ok.every((r) => r.ok));
  assert.deepEqual(
    ok.slice(3).map((r) => r.expected),
    ['deleted', 'deleted'],
  );
  const notDeleted = claimRows(n, { start: 0, from: 5, to: 3, whenScaled: 'Delete' }, five, five);
  assert.equal(notDeleted[4]!.ok, false);
});

test('scale up: new claims bound, reused claims keep their volume', () => {
  const rows = claimRows(n, { start: 0, from: 2, to: 4, whenScaled: 'Retain' }, five.slice(0, 3), five.slice(0, 4));
  assert.equal(rows.length, 4);
  assert.equal(rows[2]!.detail, 'same volume as before');
  assert.equal(rows[3]!.detail, 'new claim, bound');
  assert.ok(rows.every((r) => r.ok));
});

test('ordinals from 5 (spec.ordinals.start): the claims are counted from the first ordinal', () => {
  const shifted = [5, 6, 7].map((o) => claim(o, `pv-${o}`));
  const rows = claimRows(n, { start: 5, from: 3, to: 1, whenScaled: 'Retain' }, shifted, shifted);
  assert.deepEqual(
    rows.map((r) => [r.pvc, r.expected, r.ok]),
    [
      ['data-nginx-sts-5', 'in use', true],
      ['data-nginx-sts-6', 'retained', true],
      ['data-nginx-sts-7', 'retained', true],
    ],
  );
});
