// The tour's report rows and the pure judgements behind the lab's verdicts, on recorded data,
// each with a case that fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Changes } from '../../../src/k8s/wait.ts';
import { reportPassed, reportRows } from '../../../src/report/lab-report.ts';
import type { TourEvidence } from '../../../src/lessons/registry.ts';
import { tourClaimsHeld as claimsHeld } from '../../../src/lessons/storage/steps.ts';
import { cleanupHeld } from '../../../src/lessons/cleanup/steps.ts';
import type { Observation } from '../../../src/lab/observation.ts';
import { judge, sha256, type JournalEntry } from '../../../src/lessons/storage/judge.ts';
import type { PodRow } from '../../../src/lab/pod-rows.ts';
import { buildTimeline } from '../../../src/lab/timeline.ts';
import { verdict } from '../../../src/lab/verdict.ts';
import { SEED_CONCEPTS } from '../../support/concepts.ts';

const n = { namespace: 'scenarios', statefulSet: 'nginx-sts', service: 'nginx-headless' };
const pass = verdict('PASS', 'held');
const podRow = (i: number, over: Partial<PodRow> = {}): PodRow => ({
  ordinal: i,
  pod: `nginx-sts-${i}`,
  uid: `u${i}`,
  phase: 'Ready',
  ready: true,
  ip: `10.0.0.${i}`,
  node: 'vm',
  dns: '',
  pvc: `data-nginx-sts-${i}`,
  pvcStatus: 'Bound',
  pv: `pv-${i}`,
  volumeNodes: [],
  ...over,
});
const scaled = {
  verdict: pass,
  claimsVerdict: pass,
  timeline: [{ pod: 'nginx-sts-3' }, { pod: 'nginx-sts-4' }],
  deletionOrder: ['nginx-sts-4', 'nginx-sts-3', 'nginx-sts-2'],
  claims: [],
};
const full = (): TourEvidence => ({
  setupPods: [0, 1, 2].map((i) => podRow(i)),
  order: {
    verdict: pass,
    timeline: [
      { pod: 'nginx-sts-0', ordinal: 0, afterPreviousReadyMs: null },
      { pod: 'nginx-sts-1', ordinal: 1, afterPreviousReadyMs: 12 },
    ],
  },
  hostnames: [0, 1, 2].map((i) => ({ pod: `nginx-sts-${i}`, hostname: `nginx-sts-${i}` })),
  dns: {
    verdict: pass,
    lookups: [
      { name: 'nginx-sts-0.nginx-headless.scenarios.svc.cluster.local', answer: ['10.0.0.0'], outcome: 'answer' },
    ],
  },
  kill: {
    pod: 'nginx-sts-1',
    verdict: pass,
    before: { uid: 'aaaaaaaa-1', ip: '10.0.0.1' },
    after: { uid: 'bbbbbbbb-2', hostname: 'nginx-sts-1', ip: '10.0.0.9' },
  },
  persist: { verdict: pass, pods: [] },
  up: scaled,
  down: scaled,
  teardown: {
    removals: [{ resource: 'statefulset.apps/nginx-sts', action: 'deleted', detail: '', createdBySts: true }],
    deletionOrder: ['nginx-sts-1', 'nginx-sts-0'],
  },
});

test('report rows: seven concepts, all PASS on a good run, with their evidence', () => {
  const rows = reportRows(n, full(), { parts: ['seed'], keep: false });
  assert.deepEqual(
    rows.map((r) => r.concept),
    SEED_CONCEPTS,
  );
  assert.ok(reportPassed(rows), JSON.stringify(rows));
  assert.equal(rows[0]!.evidence, 'nginx-sts-1 created 12ms after nginx-sts-0 was Ready');
  assert.match(rows[1]!.evidence, /uid aaaaaaaa → bbbbbbbb, hostname nginx-sts-1, ip 10\.0\.0\.1 → 10\.0\.0\.9/);
  assert.equal(reportRows(n, full(), { parts: ['seed'], keep: true }).length, 6, '--keep: no cleanup row');
});

test('report rows fail on the evidence: a wrong hostname, a shared volume, a kept claim, a step not reached', () => {
  const wrongHost = { ...full(), hostnames: [{ pod: 'nginx-sts-0', hostname: 'web-0' }] };
  assert.equal(reportRows(n, wrongHost, { parts: ['seed'], keep: false })[1]!.result, 'FAIL');
  const sharedVolume = { ...full(), setupPods: [podRow(0), podRow(1, { pv: 'pv-0' }), podRow(2)] };
  assert.equal(reportRows(n, sharedVolume, { parts: ['seed'], keep: false })[3]!.result, 'FAIL');
  const kept = {
    ...full(),
    teardown: {
      removals: [
        {
          resource: 'persistentvolumeclaim/data-nginx-sts-0',
          action: 'kept' as const,
          detail: 'holds data',
          createdBySts: true,
        },
      ],
      deletionOrder: [],
    },
  };
  assert.equal(reportRows(n, kept, { parts: ['seed'], keep: false })[6]!.result, 'FAIL');
  const { dns: _dns, ...noDns } = full();
  const row = reportRows(n, noDns, { parts: ['seed'], keep: false })[2]!;
  assert.deepEqual([row.result, row.evidence], ['FAIL', 'not reached']);
  assert.equal(reportPassed(reportRows(n, noDns, { parts: ['seed'], keep: false })), false);
  assert.equal(
    reportPassed([{ part: 'seed', concept: 'c', outcome: 'o', result: 'N/A', evidence: '' }]),
    false,
    'N/A is no pass',
  );
});

test('claims and cleanup judgements', () => {
  assert.equal(claimsHeld([0, 1, 2].map((i) => podRow(i))), true);
  assert.equal(claimsHeld([podRow(0), podRow(1), podRow(2, { pvcStatus: 'Pending' })]), false);
  assert.equal(claimsHeld([podRow(0), podRow(1)]), false);
  assert.equal(
    cleanupHeld({
      removals: [{ resource: 'service/x', action: 'kept', detail: 'not created by sts-lab', createdBySts: false }],
    }),
    true,
  );
});

test('persistence: same bytes in a new pod pass; changed bytes, a new claim or a new volume fail', () => {
  const bytes = Buffer.from('marker');
  const entry: JournalEntry = {
    pod: 'nginx-sts-1',
    ordinal: 1,
    file: 'f',
    bytes: bytes.length,
    sha256: sha256(bytes),
    podUid: 'old',
    pvc: 'data-nginx-sts-1',
    pvcUid: 'c1',
    pv: 'pv-1',
    writtenAt: '',
  };
  const same = judge(entry, { podUid: 'new', pvcUid: 'c1', pv: 'pv-1', content: bytes });
  assert.equal(same.ok && same.podRecreated, true);
  assert.match(
    judge(entry, { podUid: 'old', pvcUid: 'c1', pv: 'pv-1', content: Buffer.from('other') }).reason,
    /content changed/,
  );
  assert.match(
    judge(entry, { podUid: 'old', pvcUid: 'c2', pv: 'pv-1', content: bytes }).reason,
    /the claim was replaced/,
  );
  assert.match(judge(entry, { podUid: 'old', pvcUid: 'c1', pv: 'pv-2', content: bytes }).reason, /the volume changed/);
  assert.equal(
    judge(entry, { podUid: 'old', pvcUid: 'c1', pv: 'pv-1', content: { error: 'cat: no such file' } }).ok,
    false,
  );
});

test("timeline: the re-created pod's milestones, and the gap after the previous Ready", () => {
  const pod = (i: number, uid: string, phase: string, ready: boolean) => ({
    metadata: { name: `nginx-sts-${i}`, uid, creationTimestamp: '2026-12-01T10:00:00Z' },
    status: {
      phase,
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
      ],
    },
  });
  const seen: Observation[] = [
    { at: 1000, type: 'add', ordinal: 0, pod: pod(0, 'a', 'Pending', false) },
    { at: 1500, type: 'update', ordinal: 0, pod: pod(0, 'a', 'Running', true) },
    { at: 1600, type: 'add', ordinal: 1, pod: pod(1, 'b', 'Pending', false) },
    { at: 2400, type: 'update', ordinal: 1, pod: pod(1, 'b', 'Running', true) },
  ];
  const rows = buildTimeline(seen, (i) => `nginx-sts-${i}`);
  assert.deepEqual(
    rows.map((r) => [r.pod, r.created, r.ready, r.afterPreviousReadyMs]),
    [
      ['nginx-sts-0', 1000, 1500, null],
      ['nginx-sts-1', 1600, 2400, 100],
    ],
  );
  // A pod 1 created before pod 0 was Ready shows a negative gap: the ordering check's evidence.
  const early = buildTimeline([seen[0]!, { ...seen[2]!, at: 1200 }, seen[1]!, seen[3]!], (i) => `nginx-sts-${i}`);
  assert.equal(early[1]!.afterPreviousReadyMs, -300);
});

test('Changes.until: resolves on a change, fails at its timeout with what it waited for, and on Ctrl-C', async () => {
  const changes = new Changes();
  let ready = false;
  const waiting = changes.until(() => ready, { timeoutMs: 1000, interrupt: new AbortController().signal, what: 'x' });
  ready = true;
  changes.notify();
  await waiting;
  await assert.rejects(
    changes.until(() => false, {
      timeoutMs: 20,
      interrupt: new AbortController().signal,
      what: () => 'pod p to be Ready: it is stuck',
    }),
    /timed out after 20ms waiting for pod p to be Ready: it is stuck/,
  );
  const ctrlC = new AbortController();
  const stopped = changes.until(() => false, { timeoutMs: 1000, interrupt: ctrlC.signal, what: 'x' });
  ctrlC.abort();
  await assert.rejects(stopped, /interrupted/);
  await assert.rejects(
    changes.until(
      () => {
        throw new Error('hopeless');
      },
      { timeoutMs: 1000, interrupt: new AbortController().signal, what: 'x' },
    ),
    /hopeless/,
  );
});

test("the rows name the pods by the lab's --name, not the default", () => {
  const rows = reportRows({ ...n, statefulSet: 'web' }, {}, { parts: ['updates', 'lifecycle'], keep: true });
  const outcomes = rows.map((r) => r.outcome).join('\n');
  assert.match(outcomes, /With web-1 not Ready/);
  assert.match(outcomes, /replaces web-2, then web-1, then web-0/);
  assert.doesNotMatch(outcomes, /nginx-sts/);
});
