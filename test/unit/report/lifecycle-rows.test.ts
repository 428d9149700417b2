import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportRows } from '../../../src/report/lab-report.ts';
import type { TourEvidence } from '../../../src/lessons/registry.ts';

type LifecycleEvidence = NonNullable<TourEvidence['lifecycle']>;
import { verdict } from '../../../src/lab/verdict.ts';

const n = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const pass = verdict('PASS', 'ok');
const lookups = (outcome: string, expect: string) => [
  { name: 'nginx-sts-1.nginx-headless.scenarios.svc.cluster.local', expect, outcome, ok: true },
];
const full = (): LifecycleEvidence => ({
  unreadyPod: 'nginx-sts-1',
  dnsWhileUnready: { verdict: pass, lookups: lookups('nxdomain', 'nxdomain') },
  dnsAfterReady: { verdict: pass, lookups: lookups('answer', 'answer') },
  halted: { halted: { pod: 'nginx-sts-1' }, verdict: verdict('FAIL', 'halted', [], [{ ok: true }, { ok: true }]) },
  resumed: { resumed: ['nginx-sts-3', 'nginx-sts-4'], verdict: pass },
  orphan: {
    verdict: pass,
    pods: [
      { pod: 'nginx-sts-0', uidBefore: 'a' },
      { pod: 'nginx-sts-2', uidBefore: 'c' },
    ],
    deletedPod: { pod: 'nginx-sts-2' },
  },
  adopted: [{ pod: 'nginx-sts-0', uid: 'a', owner: 'StatefulSet/nginx-sts' }],
  persist: { verdict: pass },
  shift: {
    before: [0, 1, 2].map((o) => ({ pod: `nginx-sts-${o}`, uid: `u${o}` })),
    after: [1, 2, 3].map((o) => ({ ordinal: o, pod: `nginx-sts-${o}`, uid: `u${o}` })),
    verdict: pass,
  },
  reordered: {
    verdict: verdict(
      'PASS',
      'in order',
      [],
      [
        { kind: 'create', ordinal: 0, evidence: 'timestamps' },
        { kind: 'create', ordinal: 1, evidence: 'watch' },
        { kind: 'create', ordinal: 2, evidence: 'watch' },
      ],
    ),
  },
});
const teardown = {
  removals: [],
  deletionOrder: [],
  cascade: { verdict: pass },
  claimsByController: { verdict: pass, claims: [] },
};
const rows = (l: LifecycleEvidence, t = teardown) =>
  reportRows(n, { lifecycle: l, teardown: t }, { parts: ['lifecycle'], keep: false });

test('the lifecycle rows pass from their evidence; --keep drops the two the teardown proves', () => {
  assert.ok(
    rows(full()).every((r) => r.result === 'PASS'),
    JSON.stringify(rows(full()), null, 2),
  );
  assert.deepEqual(
    reportRows(n, { lifecycle: full() }, { parts: ['lifecycle'], keep: true }).map((r) => r.concept),
    ['Scaling halts on an unhealthy pod', 'DNS follows readiness', 'Orphan and adopt', 'Start ordinal'],
  );
  assert.equal(
    rows(full())[3]!.evidence,
    'nginx-sts-1, nginx-sts-2 kept their UIDs, nginx-sts-3 created, nginx-sts-0 removed; re-created in order, first nginx-sts-1',
  );
});

test('each lifecycle row can fail', () => {
  assert.equal(
    rows({ ...full(), halted: { halted: null, verdict: pass } })[0]!.result,
    'FAIL',
    'a scale-up that did not halt',
  );
  assert.equal(
    rows({ ...full(), dnsWhileUnready: { verdict: pass, lookups: lookups('answer', 'answer') } })[1]!.result,
    'FAIL',
    'a record while not Ready',
  );
  assert.equal(
    rows({ ...full(), adopted: [{ pod: 'nginx-sts-0', uid: 'z', owner: 'StatefulSet/nginx-sts' }] })[2]!.result,
    'FAIL',
    'a replaced pod is no adoption',
  );
  const shift = full().shift!;
  assert.equal(
    rows({ ...full(), shift: { ...shift, after: shift.after.map((p) => ({ ...p, uid: `new-${p.uid}` })) } })[3]!.result,
    'FAIL',
    'the pods in both ranges were replaced',
  );
  assert.equal(
    rows({
      ...full(),
      reordered: { verdict: verdict('PASS', 'x', [], [{ kind: 'create', ordinal: 2, evidence: 'watch' }]) },
    })[3]!.result,
    'FAIL',
    'the first pod created was not the start',
  );
  assert.equal(
    rows({ ...full(), shift: { ...shift, verdict: verdict('N/A', 'dropped') } })[3]!.result,
    'N/A',
    'a server that dropped spec.ordinals',
  );
  assert.equal(rows(full(), { ...teardown, cascade: { verdict: verdict('N/A', 'one by one') } })[4]!.result, 'N/A');
  assert.equal(rows(full(), { ...teardown, claimsByController: null as never })[5]!.result, 'FAIL', 'not reached');
});
