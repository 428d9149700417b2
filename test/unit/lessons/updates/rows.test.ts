import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportRows } from '../../../../src/report/lab-report.ts';
import type { Killed, Rolled, UpdatesEvidence } from '../../../../src/lessons/updates/rows.ts';
import { verdict } from '../../../../src/lab/verdict.ts';

const n = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const rolled = (pods: string[], extra: Partial<Rolled> = {}): Rolled => ({
  verdict: verdict(
    'PASS',
    'ok',
    [],
    pods.slice(1).map((p) => ({
      kind: 'waited for the pod above' as const,
      ok: true,
      detail: `${p} was touched only after the new pod above was Ready`,
    })),
  ),
  pods: pods.map((pod, i) => ({
    pod,
    newUid: `u${i}`,
    created: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
  })),
  stalled: null,
  ...extra,
});
const killed = (pod: string, expected: string, ok = true): Killed => ({
  pod,
  verdict: verdict(ok ? 'PASS' : 'FAIL', 'x'),
  comparison: [{ field: 'revision (controller-revision-hash)', after: 'rev-a', expected, ok }],
});
const full = (): UpdatesEvidence => ({
  canary: rolled(['nginx-sts-2']),
  belowPartitionKill: killed('nginx-sts-1', 'current revision'),
  phased: rolled(['nginx-sts-1', 'nginx-sts-0']),
  full: rolled(['nginx-sts-2', 'nginx-sts-1', 'nginx-sts-0']),
  broken: {
    ...rolled(['nginx-sts-2']),
    verdict: verdict(
      'FAIL',
      'stalled',
      [],
      [
        { kind: 'stalled first' as const, ok: true, detail: 'nginx-sts-2 was replaced first' },
        { kind: 'untouched below the stall' as const, ok: true, detail: 'nginx-sts-0 untouched for 30s' },
        { kind: 'untouched below the stall' as const, ok: true, detail: 'nginx-sts-1 untouched for 30s' },
      ],
    ),
    stalled: { pod: 'nginx-sts-2', reason: 'Running, not Ready' },
  },
  rollback: {
    verdict: verdict('PASS', 'rolled back'),
    stuck: ['nginx-sts-2'],
    deleted: ['nginx-sts-2'],
    updateRevision: 'rev-a',
  },
  onDelete: rolled([]),
  onDeleteKill: killed('nginx-sts-2', 'update revision'),
  persist: {
    verdict: verdict('PASS', 'same'),
    pods: [0, 1, 2].map((i) => ({
      ordinal: i,
      pod: `nginx-sts-${i}`,
      uidAtWrite: 'a',
      uidNow: 'b',
      podRecreated: true,
      pvcSame: true,
      pvSame: true,
      contentMatch: true,
      ok: true,
      reason: '',
    })),
  },
});
const rows = (u: UpdatesEvidence) => reportRows(n, { updates: u }, { parts: ['updates'], keep: true });

test('the updates rows pass from their evidence, and say what it was', () => {
  const r = rows(full());
  assert.deepEqual(
    r.map((x) => [x.concept, x.result]),
    [
      ['Ordered rolling update', 'PASS'],
      ['Partitioned roll-out', 'PASS'],
      ['Forced rollback', 'PASS'],
      ['OnDelete', 'PASS'],
      ['Data survives updates', 'PASS'],
    ],
  );
  assert.equal(r[0]!.evidence, 'replaced nginx-sts-2, nginx-sts-1, nginx-sts-0; 2 waits for the pod above to be Ready');
  assert.equal(
    r[2]!.evidence,
    'stalled at nginx-sts-2 (Running, not Ready); 2 lower pods untouched; nginx-sts-2 stuck, deleted, back on rev-a',
  );
});

test('each updates row can fail', () => {
  const belowOnNew = { ...full(), belowPartitionKill: killed('nginx-sts-1', 'update revision') };
  assert.equal(rows(belowOnNew)[1]!.result, 'FAIL', 'a pod below the partition judged against the wrong revision');
  const noStall = { ...full(), broken: { ...full().broken!, stalled: null } };
  assert.equal(rows(noStall)[2]!.result, 'FAIL', 'a broken update that did not stall');
  const touched = full();
  touched.broken!.verdict.checks[1]!.ok = false;
  assert.equal(rows(touched)[2]!.result, 'FAIL', 'a lower pod touched during the stall');
  assert.equal(
    rows({ ...full(), rollback: { ...full().rollback!, verdict: verdict('FAIL', 'stuck') } })[2]!.result,
    'FAIL',
  );
  assert.equal(rows({ ...full(), onDeleteKill: killed('nginx-sts-2', 'update revision', false) })[3]!.result, 'FAIL');
  const neverReplaced = full();
  neverReplaced.persist!.pods[0]!.podRecreated = false;
  assert.equal(rows(neverReplaced)[4]!.result, 'FAIL', 'data "survived" an update that never replaced the pod');
  assert.ok(rows({}).every((x) => x.result === 'FAIL' && x.evidence === 'not reached'));
});
