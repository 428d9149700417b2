// The ordering analysis on recorded event sequences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseOrdering } from '../../../../src/lessons/ordering/judge.ts';
import type { Observation } from '../../../../src/lab/observation.ts';
import type { PodLike } from '../../../../src/lab/pods.ts';

const name = (o: number) => `web-${o}`;
const ordered = { policy: 'OrderedReady' as const, start: 0, podName: name, terminations: true };
const creations = { ...ordered, terminations: false };
const T0 = Date.parse('2026-11-23T10:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

/** A pod snapshot: created at second `c`, Ready since second `r` (if given), terminating if `gone`. */
function pod(o: number, uid: string, c: number, r?: number, dying?: number): PodLike {
  return {
    metadata: {
      name: name(o),
      uid,
      creationTimestamp: iso(c),
      ...(dying !== undefined ? { deletionTimestamp: iso(dying) } : {}),
    },
    status: {
      phase: r === undefined ? 'Pending' : 'Running',
      conditions: r === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: iso(r) }],
    },
  };
}

const ev = (type: Observation['type'], o: number, p: PodLike, at: number, initial = false): Observation => ({
  type,
  ordinal: o,
  pod: p,
  at: T0 + at * 1000,
  initial,
});

/** 0, 1, 2 each created after its predecessor is Ready. */
const inOrder: Observation[] = [
  ev('add', 0, pod(0, 'a', 0), 0),
  ev('update', 0, pod(0, 'a', 0, 4), 4),
  ev('add', 1, pod(1, 'b', 4), 4.1),
  ev('update', 1, pod(1, 'b', 4, 8), 8),
  ev('add', 2, pod(2, 'c', 8), 8.1),
  ev('update', 2, pod(2, 'c', 8, 12), 12),
];

test('in order: PASS, one check per created pod', () => {
  const r = analyseOrdering(inOrder, ordered);
  assert.equal(r.verdict, 'PASS');
  assert.deepEqual(
    r.checks.map((c) => [c.kind, c.ordinal, c.ok]),
    [
      ['create', 0, true],
      ['create', 1, true],
      ['create', 2, true],
    ],
  );
  assert.match(r.checks[2]!.detail, /web-2 created after web-1 was Ready/);
  assert.equal(r.why.length, 1);
});

test('out of order: pod 2 created while pod 1 is still starting is a FAIL naming both', () => {
  const events = [...inOrder.slice(0, 3), ev('add', 2, pod(2, 'c', 5), 5), ev('update', 1, pod(1, 'b', 4, 8), 8)];
  const r = analyseOrdering(events, ordered);
  assert.equal(r.verdict, 'FAIL');
  assert.match(r.why.at(-1)!, /web-2 was created while web-1 was not Ready/);
});

test('Parallel: no order promised, verdict N/A whatever happened', () => {
  const events = [
    ev('add', 0, pod(0, 'a', 0), 0),
    ev('add', 1, pod(1, 'b', 0), 0.1),
    ev('add', 2, pod(2, 'c', 0), 0.2),
  ];
  const r = analyseOrdering(events, { ...ordered, policy: 'Parallel' });
  assert.equal(r.verdict, 'N/A');
  assert.match(r.why.join(' '), /No order is promised/);
});

test('a pod that restarts mid-way: successor waits, and its creation after recovery passes', () => {
  const notReady: PodLike = {
    ...pod(0, 'a', 0, 4),
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
  };
  const events = [
    ev('add', 0, pod(0, 'a', 0), 0),
    ev('update', 0, pod(0, 'a', 0, 4), 4),
    ev('update', 0, notReady, 5),
    ev('update', 0, pod(0, 'a', 0, 9), 9),
    ev('add', 1, pod(1, 'b', 9), 9.2),
  ];
  assert.equal(analyseOrdering(events, ordered).verdict, 'PASS');
  const early = [...events.slice(0, 3), ev('add', 1, pod(1, 'b', 6), 6)];
  assert.equal(analyseOrdering(early, ordered).verdict, 'FAIL', 'created while its predecessor was down');
});

test("missing events: a lost Ready update is recovered from the pod's own Ready timestamp", () => {
  // The watch missed web-0's Ready update (reconnect); a later snapshot says Ready since second 4.
  const events = [
    ev('add', 0, pod(0, 'a', 0), 0),
    ev('add', 1, pod(1, 'b', 4), 4.1),
    ev('update', 0, pod(0, 'a', 0, 4), 20),
  ];
  assert.equal(analyseOrdering(events, ordered).verdict, 'PASS');
  // …but not when that timestamp is later than the successor's creation.
  const late = [
    ev('add', 0, pod(0, 'a', 0), 0),
    ev('add', 1, pod(1, 'b', 4), 4.1),
    ev('update', 0, pod(0, 'a', 0, 7), 20),
  ];
  assert.equal(analyseOrdering(late, ordered).verdict, 'FAIL');
});

test('duplicated events change nothing', () => {
  const doubled = inOrder.flatMap((e) => [e, { ...e, at: e.at + 1 }]);
  const r = analyseOrdering(doubled, ordered);
  assert.equal(r.verdict, 'PASS');
  assert.equal(r.checks.length, 3);
});

test('pods that existed before watching are judged by their timestamps, never failed by them', () => {
  const initial = [ev('add', 0, pod(0, 'a', 0, 4), 50, true), ev('add', 1, pod(1, 'b', 4, 8), 50, true)];
  const r = analyseOrdering(initial, ordered);
  assert.equal(r.verdict, 'PASS');
  assert.deepEqual(
    r.checks.map((c) => [c.ordinal, c.ok, c.evidence]),
    [[1, true, 'timestamps']],
  );
  // web-0 restarted later, so its Ready time is after web-1's creation: inconclusive.
  const restarted = [ev('add', 0, pod(0, 'a', 0, 30), 50, true), ev('add', 1, pod(1, 'b', 4, 8), 50, true)];
  const unsure = analyseOrdering(restarted, ordered);
  assert.equal(unsure.verdict, 'N/A');
  assert.equal(unsure.checks[0]!.ok, null);
  assert.match(unsure.why.at(-1)!, /--restart/);
});

test('scale down: highest first, each gone before the next starts terminating', () => {
  const base = [0, 1, 2, 3, 4].map((o) => ev('add', o, pod(o, `u${o}`, o * 4, o * 4 + 3), 100, true));
  const down = [
    ...base,
    ev('update', 4, pod(4, 'u4', 16, 19, 110), 110),
    ev('delete', 4, pod(4, 'u4', 16, 19, 110), 112),
    ev('update', 3, pod(3, 'u3', 12, 15, 112), 112.1),
    ev('delete', 3, pod(3, 'u3', 12, 15, 112), 114),
  ];
  const r = analyseOrdering(down, ordered);
  assert.equal(r.verdict, 'PASS');
  assert.deepEqual(
    r.checks.filter((c) => c.evidence === 'watch').map((c) => [c.kind, c.ordinal]),
    [
      ['terminate', 4],
      ['terminate', 3],
    ],
  );
  const overlapping = [
    ...base,
    ev('update', 4, pod(4, 'u4', 16, 19, 110), 110),
    ev('update', 3, pod(3, 'u3', 12, 15, 110), 110.5),
  ];
  const bad = analyseOrdering(overlapping, ordered);
  assert.equal(bad.verdict, 'FAIL');
  assert.match(bad.why.at(-1)!, /web-3 began terminating while web-4 still existed/);
});

test('kill and recreate: only the re-creation is checked, against its predecessors', () => {
  const base = [0, 1, 2].map((o) => ev('add', o, pod(o, `u${o}`, o * 4, o * 4 + 3), 100, true));
  const events = [
    ...base,
    ev('update', 1, pod(1, 'u1', 4, 7, 110), 110),
    ev('delete', 1, pod(1, 'u1', 4, 7, 110), 112),
    ev('add', 1, pod(1, 'n1', 112), 112.1),
    ev('update', 1, pod(1, 'n1', 112, 115), 115),
  ];
  const r = analyseOrdering(events, creations);
  assert.equal(r.verdict, 'PASS', 'a pod deleted by hand promises no termination order; its re-creation is checked');
  assert.deepEqual(
    r.checks.filter((c) => c.evidence === 'watch').map((c) => [c.kind, c.ordinal, c.ok]),
    [['create', 1, true]],
  );
  const early = [...events.slice(0, 4), ev('add', 1, { ...pod(1, 'n1', 112) }, 112.1)];
  early.splice(
    3,
    0,
    ev(
      'update',
      0,
      { ...pod(0, 'u0', 0), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } },
      111,
    ),
  );
  assert.equal(analyseOrdering(early, creations).verdict, 'FAIL', 're-created while web-0 was not Ready');
});

test('ordinals from 5: the pod at the start is created first, and nothing below it is awaited', () => {
  const shifted: Observation[] = [
    ev('add', 5, pod(5, 'a', 0), 0),
    ev('update', 5, pod(5, 'a', 0, 4), 4),
    ev('add', 6, pod(6, 'b', 4), 4.1),
  ];
  const r = analyseOrdering(shifted, { ...creations, start: 5 });
  assert.equal(r.verdict, 'PASS', r.why.join('\n'));
  assert.deepEqual(
    r.checks.map((c) => c.detail),
    ['web-5 created first', 'web-6 created after web-5 was Ready'],
  );
  assert.equal(analyseOrdering(shifted, creations).verdict, 'FAIL', 'counted from 0, web-0..4 would be missing');
});
