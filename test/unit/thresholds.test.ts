import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachTiming, slowestAttach } from '../../src/lab/attach.ts';
import { parseLimits, thresholdVerdict } from '../../src/lab/thresholds.ts';

test('limits: durations greater than zero, each flag its own', () => {
  assert.deepEqual(parseLimits({ 'max-recovery': '2m', 'max-ready': '90' }, ['max-recovery', 'max-ready']), {
    'max-recovery': 120_000,
    'max-ready': 90_000,
  });
  assert.throws(
    () => parseLimits({ 'max-recovery': '0s' }, ['max-recovery']),
    /invalid --max-recovery "0s": must be greater than zero/,
  );
  assert.throws(() => parseLimits({ 'max-attach': 'soon' }, ['max-attach']), /invalid duration "soon"/);
  assert.deepEqual(
    parseLimits({ 'max-attach': '1s' }, ['max-ready']),
    {},
    'a flag the command does not take is ignored',
  );
});

test('a threshold verdict: within passes, over fails naming the figure and the limit, unmeasured fails', () => {
  assert.equal(thresholdVerdict({}, {}), null, 'no limit asked: no verdict');
  const within = thresholdVerdict({ 'max-recovery': 60_000 }, { 'max-recovery': { what: 'failover', ms: 59_000 } })!;
  assert.equal(within.result, 'PASS');
  assert.equal(within.headline, 'Within the limits: failover 59.0s within --max-recovery 1m0s');
  const over = thresholdVerdict({ 'max-recovery': 60_000 }, { 'max-recovery': { what: 'failover', ms: 61_000 } })!;
  assert.equal(over.result, 'FAIL');
  assert.equal(over.headline, 'Over the limit: failover 1m1s over --max-recovery 1m0s');
  assert.deepEqual(over.checks[0], {
    flag: 'max-recovery',
    what: 'failover',
    measuredMs: 61_000,
    limitMs: 60_000,
    ok: false,
  });
  const unmeasured = thresholdVerdict({ 'max-attach': 1000 }, { 'max-attach': { what: 'attach', ms: null } })!;
  assert.equal(unmeasured.result, 'FAIL');
  assert.match(unmeasured.headline, /attach: not measured/);
});

test("attach timing: from the later of the claim's and the pod's creation to bound and mounted", () => {
  const t = attachTiming(
    {
      metadata: { name: 'nginx-sts-0', creationTimestamp: '2026-12-02T10:00:01Z' },
      status: {
        conditions: [{ type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: '2026-12-02T10:00:05Z' }],
      },
    },
    { metadata: { name: 'data-nginx-sts-0', creationTimestamp: '2026-12-02T10:00:00Z' }, spec: { volumeName: 'pv-0' } },
    { metadata: { name: 'pv-0', creationTimestamp: '2026-12-02T10:00:03Z' } },
  );
  assert.deepEqual(t, { pod: 'nginx-sts-0', pvc: 'data-nginx-sts-0', boundMs: 2000, attachedMs: 4000 });
  const kept = attachTiming(
    {
      metadata: { name: 'nginx-sts-0', creationTimestamp: '2026-12-02T11:00:00Z' },
      status: { containerStatuses: [{ state: { running: { startedAt: '2026-12-02T11:00:02Z' } } }] },
    },
    { metadata: { name: 'data-nginx-sts-0', creationTimestamp: '2026-12-02T10:00:00Z' }, spec: { volumeName: 'pv-0' } },
    { metadata: { name: 'pv-0', creationTimestamp: '2026-12-02T10:00:03Z' } },
  );
  assert.deepEqual([kept.boundMs, kept.attachedMs], [0, 2000], 'a claim kept from before: timed from the new pod');
  assert.equal(slowestAttach([t, kept]), 4000);
  assert.equal(slowestAttach([t, { ...kept, attachedMs: null }]), null);
});
