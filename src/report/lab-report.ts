// The tour's lab report: one row per Key Concept / Expected Outcome of the scenario, each
// PASS or FAIL with the evidence, as a table and as Markdown a learner can keep.

import type { ClaimRow } from '../lessons/scaling/claims.ts';
import { formatDuration } from '../lab/duration.ts';
import { podName, type LabNames } from '../lab/names.ts';
import type { PersistenceRow } from '../lessons/storage/judge.ts';
import type { PodRow } from '../lab/pod-rows.ts';
import { cascadingDelete, claimsByController, dnsFollowsReadiness, orphanAndAdopt, scalingHalts, startOrdinalShift, type LifecycleEvidence, type TeardownEvidence } from './lifecycle-rows.ts';
import { dataSurvivesUpdates, forcedRollback, onDeleteHeld, orderedRollingUpdate, partitionedRollout, type UpdatesEvidence } from '../lessons/updates/rows.ts';
import { combine, type Result, type Verdict } from '../lab/verdict.ts';

export type RowResult = Result;

export interface ReportRow {
  concept: string;
  outcome: string;
  result: RowResult;
  evidence: string;
}

export interface LabReport {
  namespace: string;
  statefulSet: string;
  startedAt: string;
  finishedAt: string;
  /** The kubeconfig context and API server the tour ran against. */
  context: string | null;
  server: string | null;
  serverVersion: string | null;
  parts: TourPart[];
  rows: ReportRow[];
  steps: { step: string; result: RowResult; durationMs: number; notes: string[] }[];
  passed: boolean;
}

/** Every row passes; a row that could not be judged (N/A) does not count as a pass. */
export const reportPassed = (rows: ReportRow[]): boolean => rows.length > 0 && rows.every((r) => r.result === 'PASS');

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(r: LabReport): string {
  const lines = [
    `# StatefulSet lab report: ${r.passed ? 'PASS' : 'FAIL'}`,
    '',
    `StatefulSet \`${r.statefulSet}\` in namespace \`${r.namespace}\`, ${r.server ? `API server ${r.server}, ` : ''}Kubernetes ${r.serverVersion ?? "unknown"}, ${r.startedAt} – ${r.finishedAt}; tour parts: ${r.parts.join(", ")}.`,
    '',
    '| Key concept | Expected outcome | Result | Evidence |',
    '|---|---|---|---|',
    ...r.rows.map((x) => `| ${cell(x.concept)} | ${cell(x.outcome)} | **${x.result}** | ${cell(x.evidence)} |`),
    '',
    '## Steps',
    '',
    ...r.steps.flatMap((s, i) => [`${i + 1}. **${s.step}** (${s.result}, ${(s.durationMs / 1000).toFixed(1)} s)`, ...s.notes.map((n) => `   ${n}`)]),
    '',
  ];
  return lines.join('\n');
}

/** The scenario's pods: 0..2. */
export const TOUR_REPLICAS = 3;

interface Scaled {
  verdict: Verdict<unknown>;
  claimsVerdict: Verdict<unknown>;
  timeline: { pod: string }[];
  deletionOrder: string[];
  claims: ClaimRow[];
}

/** What each step of the tour found, as the commands' -o json data: the report is made of nothing else. */
export interface TourEvidence {
  setupPods?: PodRow[];
  order?: { verdict: Verdict<unknown>; timeline: { pod: string; ordinal: number; afterPreviousReadyMs: number | null }[] };
  hostnames?: { pod: string; hostname: string }[];
  dns?: { verdict: Verdict<unknown>; lookups: { name: string; answer: string[]; outcome: string }[] };
  kill?: { pod: string; verdict: Verdict<unknown>; before: { uid: string; ip: string | null }; after: { uid: string; hostname: string; ip: string | null } };
  persist?: { verdict: Verdict<unknown>; pods: PersistenceRow[] };
  up?: Scaled;
  down?: Scaled;
  teardown?: { removals: { resource: string; action: string; detail: string }[]; deletionOrder: string[] } & TeardownEvidence;
  updates?: UpdatesEvidence;
  lifecycle?: LifecycleEvidence;
}

/** The tour's parts: the seed scenario, and updates (rolling, partitions, OnDelete, forced rollback). */
export type TourPart = 'seed' | 'updates' | 'lifecycle';

const short = (uid: string) => uid.slice(0, 8);

/** Cleanup fails when something the lab made was kept (what sts-lab did not make is never deleted). */
export const cleanupHeld = (t: NonNullable<TourEvidence['teardown']>): boolean =>
  !t.removals.some((x) => x.action === 'kept' && x.detail !== 'not created by sts-lab');

/** Each pod Ready with a Bound claim and a volume of its own. */
export const claimsHeld = (pods: PodRow[]): boolean =>
  pods.length === TOUR_REPLICAS && pods.every((p) => p.ready && p.pvcStatus === 'Bound') && new Set(pods.map((p) => p.pv).filter(Boolean)).size === pods.length;

/** One row per Key Concept / Expected Outcome; a step never reached is a FAIL row saying so. */
export function reportRows(n: LabNames, e: TourEvidence, o: { parts: TourPart[]; keep: boolean }): ReportRow[] {
  const row = (concept: string, outcome: string, judged: { result: RowResult; evidence: string } | undefined): ReportRow =>
    ({ concept, outcome, ...(judged ?? { result: 'FAIL', evidence: 'not reached' }) });
  const names = `${podName(n, 0)}..${podName(n, TOUR_REPLICAS - 1)}`;
  const pods = e.setupPods?.filter((p) => p.ordinal < TOUR_REPLICAS);
  const seed = [
    row('Ordered deployment', 'Pods created in order: 0, then 1, then 2', e.order && {
      result: e.order.verdict.result,
      evidence: e.order.timeline
        .filter((r) => r.afterPreviousReadyMs !== null)
        .map((r) => `${r.pod} created ${formatDuration(r.afterPreviousReadyMs!)} after ${podName(n, r.ordinal - 1)} was Ready`)
        .join('; '),
    }),
    row('Stable identity', `Predictable names (${names}) and hostnames, kept when a pod is re-created`, e.hostnames && e.kill && {
      result: combine(e.hostnames.every((h) => h.hostname === h.pod) ? 'PASS' : 'FAIL', e.kill.verdict.result),
      evidence: `hostnames ${e.hostnames.map((h) => h.hostname).join(', ')}; ${e.kill.pod} re-created: uid ${short(e.kill.before.uid)} → ${short(e.kill.after.uid)}, hostname ${e.kill.after.hostname}, ip ${e.kill.before.ip} → ${e.kill.after.ip}`,
    }),
    row('Headless Service DNS', `A DNS record per pod: <pod>.${n.service}.${n.namespace}.svc.cluster.local`, e.dns && {
      result: e.dns.verdict.result,
      evidence: e.dns.lookups.map((l) => `${l.name.split('.')[0]}${l.name.startsWith(n.service) ? ' (service)' : ''} → ${l.answer.join(',') || l.outcome}`).join('; '),
    }),
    row('PVC per pod', 'Each pod gets its own claim and volume', pods && {
      result: claimsHeld(pods) ? 'PASS' : 'FAIL',
      evidence: pods.map((p) => `${p.pvc} ${p.pvcStatus ?? 'missing'} → ${p.pv ?? 'no volume'}`).join('; '),
    }),
    row('Stable storage', 'Data persists after pod deletion', e.persist && {
      result: e.persist.verdict.result,
      evidence: e.persist.pods.map((p) => `${p.pod}${p.podRecreated ? ' (new pod)' : ''}: ${p.contentMatch ? 'same bytes' : p.reason}`).join('; '),
    }),
    row('Ordered scaling', 'Up 3→5 one pod at a time in order; down 5→2 from the highest ordinal; claims kept', e.up && e.down && {
      result: combine(e.up.verdict.result, e.up.claimsVerdict.result, e.down.verdict.result, e.down.claimsVerdict.result),
      evidence: `created ${e.up.timeline.map((r) => r.pod).join(', ')}; deleted ${e.down.deletionOrder.join(', ')}; ${e.down.claims.filter((c) => c.expected === 'retained' && c.ok).map((c) => c.pvc).join(', ')} still Bound`,
    }),
  ];
  const u = e.updates ?? {};
  const updates = [
    row('Ordered rolling update', `A template change replaces ${podName(n, 2)}, then ${podName(n, 1)}, then ${podName(n, 0)}, each after the one above is Ready`, orderedRollingUpdate(u)),
    row('Partitioned roll-out', 'A canary (partition 2) moves only the top pod; a pod below keeps the old revision when re-created; partition 0 moves the rest', partitionedRollout(u)),
    row('Forced rollback', 'A template that never gets Ready stalls at the top pod, lower pods untouched; rollback restores every pod', forcedRollback(u)),
    row('OnDelete', 'A template change moves no pod; a deleted pod comes back on the new revision', onDeleteHeld(u)),
    row('Data survives updates', 'Same claims, volumes and bytes after every update and the rollback', dataSurvivesUpdates(u)),
  ];
  const l = e.lifecycle ?? {};
  const lifecycle = [
    row('Scaling halts on an unhealthy pod', `With ${podName(n, 1)} not Ready a scale-up creates nothing above it; once Ready the rest follow in order`, scalingHalts(l)),
    row('DNS follows readiness', 'A pod that is not Ready has no DNS record; it has one again once Ready', dnsFollowsReadiness(l)),
    row('Orphan and adopt', 'Deleted with propagationPolicy Orphan, the pods run on unowned; a new StatefulSet adopts them, data intact', orphanAndAdopt(l)),
    row('Start ordinal', `With spec.ordinals.start 1 the pods are ${podName(n, 1)}..${TOUR_REPLICAS}: the pods in both ranges stay, and the order counts from 1`, startOrdinalShift(l)),
    // Both are proved by the teardown, which --keep skips.
    ...(o.keep
      ? []
      : [
          row('Cascading delete order', 'Deleting the StatefulSet with its pods removes them all at once, in no order', cascadingDelete(e.teardown)),
          row('Claims deleted by the controller', 'With whenDeleted: Delete the garbage collector deletes the claims through their ownerReference', claimsByController(e.teardown)),
        ]),
  ];
  const rows = [...(o.parts.includes('seed') ? seed : []), ...(o.parts.includes('updates') ? updates : []), ...(o.parts.includes('lifecycle') ? lifecycle : [])];
  if (!o.keep) {
    rows.push(row('Cleanup', 'Everything the lab created is gone, claims included', e.teardown && {
      result: cleanupHeld(e.teardown) ? 'PASS' : 'FAIL',
      evidence: `${e.teardown.removals.filter((x) => x.action === 'deleted').length} objects deleted; pods removed in order ${e.teardown.deletionOrder.join(', ')}`,
    }));
  }
  return rows;
}
