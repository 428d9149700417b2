import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportRows } from '../../src/lab/lab-report.ts';
import type { LifecycleEvidence } from '../../src/lab/lifecycle-report.ts';
import { verdict } from '../../src/lab/verdict.ts';

const n = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const pass = verdict('PASS', 'ok');
const lookups = (outcome: string, expect: string) => [{ name: 'nginx-sts-1.nginx-headless.scenarios.svc.cluster.local', expect, outcome, ok: true }];
const full = (): LifecycleEvidence => ({
  unreadyPod: 'nginx-sts-1',
  dnsWhileUnready: { verdict: pass, lookups: lookups('nxdomain', 'nxdomain') },
  dnsAfterReady: { verdict: pass, lookups: lookups('answer', 'answer') },
  halted: { halted: { pod: 'nginx-sts-1' }, verdict: verdict('FAIL', 'halted', [], [{ ok: true }, { ok: true }]) },
  resumed: { resumed: ['nginx-sts-3', 'nginx-sts-4'], verdict: pass },
  orphan: { verdict: pass, pods: [{ pod: 'nginx-sts-0', uidBefore: 'a' }, { pod: 'nginx-sts-2', uidBefore: 'c' }], deletedPod: { pod: 'nginx-sts-2' } },
  adopted: [{ pod: 'nginx-sts-0', uid: 'a', owner: 'StatefulSet/nginx-sts' }],
  persist: { verdict: pass },
});
const teardown = { removals: [], deletionOrder: [], cascade: { verdict: pass }, claimsByController: { verdict: pass, claims: [] } };
const rows = (l: LifecycleEvidence, t = teardown) => reportRows(n, { lifecycle: l, teardown: t }, { parts: ['lifecycle'], keep: false });

test('the lifecycle rows pass from their evidence; --keep drops the two the teardown proves', () => {
  assert.ok(rows(full()).every((r) => r.result === 'PASS'), JSON.stringify(rows(full()), null, 2));
  assert.deepEqual(reportRows(n, { lifecycle: full() }, { parts: ['lifecycle'], keep: true }).map((r) => r.concept), ['Scaling halts on an unhealthy pod', 'DNS follows readiness', 'Orphan and adopt']);
});

test('each lifecycle row can fail', () => {
  assert.equal(rows({ ...full(), halted: { halted: null, verdict: pass as never } })[0]!.result, 'FAIL', 'a scale-up that did not halt');
  assert.equal(rows({ ...full(), dnsWhileUnready: { verdict: pass, lookups: lookups('answer', 'answer') } })[1]!.result, 'FAIL', 'a record while not Ready');
  assert.equal(rows({ ...full(), adopted: [{ pod: 'nginx-sts-0', uid: 'z', owner: 'StatefulSet/nginx-sts' }] })[2]!.result, 'FAIL', 'a replaced pod is no adoption');
  assert.equal(rows(full(), { ...teardown, cascade: { verdict: verdict('N/A', 'one by one') } })[3]!.result, 'N/A');
  assert.equal(rows(full(), { ...teardown, claimsByController: null as never })[4]!.result, 'FAIL', 'not reached');
});
