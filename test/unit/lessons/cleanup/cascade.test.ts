import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseCascade, cascadeRows } from '../../../../src/lessons/cleanup/cascade.ts';
import type { Observation } from '../../../../src/lab/observation.ts';

const p = (uid: string, deleting: boolean) => ({
  metadata: { uid, ...(deleting ? { deletionTimestamp: '2026-12-01T10:00:00Z' } : {}) },
});
const ev = (at: number, type: Observation['type'], ordinal: number, deleting = true): Observation => ({
  at,
  type,
  ordinal,
  pod: p(`u${ordinal}`, deleting),
});
const name = (o: number) => `web-${o}`;

test('all pods terminating before any is gone: no order, PASS', () => {
  const h = [
    ev(0, 'update', 0),
    ev(2, 'update', 1),
    ev(3, 'update', 2),
    ev(900, 'delete', 1),
    ev(1000, 'delete', 0),
    ev(1100, 'delete', 2),
  ];
  const rows = cascadeRows(h, name);
  assert.deepEqual(
    rows.map((r) => [r.pod, r.terminating, r.gone]),
    [
      ['web-0', 0, 1000],
      ['web-1', 2, 900],
      ['web-2', 3, 1100],
    ],
  );
  const v = analyseCascade(rows);
  assert.equal(v.result, 'PASS');
  assert.match(v.headline, /all 3 pods began terminating within 3ms, before any was gone/);
});

test('pods that went one after another prove nothing: N/A, never PASS', () => {
  const h = [ev(0, 'update', 2), ev(100, 'delete', 2), ev(200, 'update', 1), ev(300, 'delete', 1)];
  assert.equal(analyseCascade(cascadeRows(h, name)).result, 'N/A');
  assert.equal(analyseCascade(cascadeRows([ev(0, 'update', 0)], name)).result, 'N/A');
});
