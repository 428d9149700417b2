// A rolling update, proved from the watch: the StatefulSet controller replaces pods at or
// above the partition from the highest ordinal down, each old pod gone and its replacement
// Ready before the next one is touched; pods below the partition are not touched at all.
import { peakUnavailable, type PeakUnavailable } from './availability.ts';
import type { Observation } from '../../lab/observation.ts';
import { range } from '../../lab/ordinals.ts';
import { GATE_ON_MINOR, maxUnavailableGateText, ON_DELETE_COMPLETES_MINOR } from '../../lab/server-version.ts';
import { isReady, REVISION_LABEL, revisionOf, uidOf, type PodLike } from '../../lab/pods.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

// Where the update lessons have always found them.
export { REVISION_LABEL, revisionOf };

export interface RolloutRow {
  ordinal: number;
  pod: string;
  oldUid: string | null;
  oldRevision: string | null;
  /** ms since the epoch (the watch's clock), null where not seen. */
  terminating: number | null;
  gone: number | null;
  created: number | null;
  ready: number | null;
  newUid: string | null;
  newRevision: string | null;
  /** Expected to move: at or above the partition and not on the new revision before. */
  moves: boolean;
}

/** What a roll-out check is about: the report counts checks by kind, never by their words. */
export type RolloutCheckKind =
  | 'below partition'
  | 'already updated'
  | 'replaced'
  | 'waited for the pod above'
  | 'terminated after the pod above'
  | 'max unavailable'
  | 'untouched'
  | 'stalled first'
  | 'untouched below the stall'
  | 'above the stall';

export interface RolloutCheck {
  kind: RolloutCheckKind;
  ordinal: number;
  ok: boolean;
  detail: string;
}

export interface RolloutInput {
  history: Observation[];
  /** Pods by ordinal before the change, and at the end. */
  before: ReadonlyMap<number, PodLike>;
  after: ReadonlyMap<number, PodLike>;
  /** The StatefulSet's first ordinal and pod count: the partition counts from that start. */
  start: number;
  replicas: number;
  partition: number;
  updateRevision: string;
  podName: (ordinal: number) => string;
  /** The controller's effective maxUnavailable (1 unless the server kept a larger one). */
  maxUnavailable?: number;
}

const labelled = (p: PodLike) => p as PodLike & { metadata?: { labels?: Record<string, string> } };

/** The lowest ordinal a partition lets move: the controller indexes pods from spec.ordinals.start. */
export const firstMoving = (r: Pick<RolloutInput, 'start' | 'partition'>): number => r.start + r.partition;

/** "partition 2", or "partition 2 (ordinals below 7)" where the ordinals do not start at 0. */
const partitionText = (r: Pick<RolloutInput, 'start' | 'partition'>): string =>
  `partition ${r.partition}${r.start ? ` (ordinals below ${firstMoving(r)})` : ''}`;

export const rolloutOrdinals = (r: Pick<RolloutInput, 'start' | 'replicas'>): number[] =>
  range(r.start, r.start + r.replicas);

export function rolloutRows(r: RolloutInput): RolloutRow[] {
  return rolloutOrdinals(r).map((ordinal) => {
    const old = r.before.get(ordinal);
    const oldUid = old ? uidOf(old) : null;
    const now = r.after.get(ordinal);
    const mine = r.history.filter((c) => c.ordinal === ordinal && !c.initial);
    const first = (pick: (c: Observation) => boolean) => mine.find(pick)?.at ?? null;
    const newUid = now && uidOf(now) !== oldUid ? uidOf(now) : null;
    return {
      ordinal,
      pod: r.podName(ordinal),
      oldUid,
      oldRevision: old ? revisionOf(labelled(old)) : null,
      terminating: first((c) => uidOf(c.pod) === oldUid && Boolean(c.pod.metadata?.deletionTimestamp)),
      gone: first((c) => uidOf(c.pod) === oldUid && c.type === 'delete'),
      created: newUid ? first((c) => uidOf(c.pod) === newUid) : null,
      ready: newUid ? first((c) => uidOf(c.pod) === newUid && isReady(c.pod)) : null,
      newUid,
      newRevision: now ? revisionOf(labelled(now)) : null,
      moves: ordinal >= firstMoving(r) && (old ? revisionOf(labelled(old)) !== r.updateRevision : true),
    };
  });
}

/** Index in the watch stream (commit order) of the first change that satisfies pick. */
const indexOf = (h: Observation[], pick: (c: Observation) => boolean): number =>
  h.findIndex((c) => !c.initial && pick(c));

export interface RolloutAnalysis {
  rows: RolloutRow[];
  verdict: Verdict<RolloutCheck>;
  peak: PeakUnavailable;
}

export function analyseRollout(r: RolloutInput): RolloutAnalysis {
  const rows = rolloutRows(r);
  const h = r.history;
  const checks: RolloutCheck[] = [];
  for (const row of rows) {
    if (row.ordinal < firstMoving(r)) {
      const untouched = row.newUid === null && row.newRevision === row.oldRevision;
      checks.push({
        kind: 'below partition',
        ordinal: row.ordinal,
        ok: untouched,
        detail: untouched
          ? `${row.pod} below the partition: untouched (same UID, revision ${row.oldRevision})`
          : `${row.pod} is below the ${partitionText(r)} but was replaced or changed revision`,
      });
      continue;
    }
    const onNew = row.newRevision === r.updateRevision;
    if (!row.moves) {
      checks.push({
        kind: 'already updated',
        ordinal: row.ordinal,
        ok: onNew,
        detail: `${row.pod} was already on revision ${r.updateRevision}${row.newUid ? ' but was replaced anyway' : ''}`,
      });
      continue;
    }
    const goneAt = indexOf(h, (c) => uidOf(c.pod) === row.oldUid && c.type === 'delete');
    const createdAt = indexOf(h, (c) => uidOf(c.pod) === row.newUid);
    const atMostOne = goneAt >= 0 && createdAt > goneAt;
    checks.push({
      kind: 'replaced',
      ordinal: row.ordinal,
      ok: onNew && atMostOne,
      detail: !onNew
        ? `${row.pod} is on revision ${row.newRevision ?? 'none'}, not ${r.updateRevision}`
        : atMostOne
          ? `${row.pod} replaced: the old pod was gone before the new one (revision ${r.updateRevision}) appeared`
          : `${row.pod}: the new pod appeared before the old one was gone`,
    });
  }
  const moved = rows.filter((x) => x.moves && x.newUid).sort((a, b) => b.ordinal - a.ordinal);
  const max = r.maxUnavailable ?? 1;
  const peak = peakUnavailable(h, rolloutOrdinals(r));
  checks.push(...(max > 1 ? windowChecks(r, moved, max, peak) : oneAtATimeChecks(h, moved)));
  const failed = checks.filter((c) => !c.ok);
  const order = moved.map((m) => m.pod);
  const headline = failed.length
    ? 'The rolling update did not go as a StatefulSet promises'
    : order.length
      ? `Rolling update held: ${order.join(', ')} replaced from the highest ordinal down, ${max > 1 ? `never more than ${peak.count} unavailable at once (maxUnavailable ${max})` : 'one at a time'}${r.partition ? `; below ${partitionText(r)} untouched` : ''}`
      : `Nothing to roll: every pod at or above ${partitionText(r)} was already on revision ${r.updateRevision}`;
  const why = [
    max > 1
      ? `The StatefulSet controller updates pods in reverse ordinal order, deleting the highest ones while fewer than maxUnavailable (${max}) are unavailable;`
      : 'The StatefulSet controller updates pods in reverse ordinal order, deleting one and waiting for its replacement to be',
    `${max > 1 ? 'pods' : 'Running and Ready before the next; pods'} below spec.updateStrategy.rollingUpdate.partition (counted from the first ordinal) keep the old template.`,
    // Kept by the API server but not acted on: the controller manager lacks the feature gate.
    ...(max > 1 && moved.length > 1 && peak.count === 1
      ? [
          `The server kept maxUnavailable ${max}, yet the controller replaced one pod at a time: is the MaxUnavailableStatefulSet feature gate on in kube-controller-manager? (on by default from 1.${GATE_ON_MINOR}, --feature-gates before)`,
        ]
      : []),
    ...failed.map((c) => c.detail),
  ];
  return {
    rows,
    peak,
    verdict: verdict(order.length || failed.length ? passIf(!failed.length) : 'N/A', headline, why, checks),
  };
}

type Moved = Pick<RolloutRow, 'ordinal' | 'pod' | 'oldUid' | 'newUid'>;

/** Index in the watch stream of the moment the old pod began terminating (or vanished). */
const terminatingAt = (h: Observation[], m: Moved): number =>
  indexOf(h, (c) => uidOf(c.pod) === m.oldUid && Boolean(c.pod.metadata?.deletionTimestamp || c.type === 'delete'));

/** maxUnavailable 1: the next lower ordinal begins terminating only after the higher one's replacement is Ready. */
function oneAtATimeChecks(h: Observation[], moved: Moved[]): RolloutCheck[] {
  return moved.slice(1).map((lower, i): RolloutCheck => {
    const higher = moved[i]!;
    const higherReady = indexOf(h, (c) => uidOf(c.pod) === higher.newUid && isReady(c.pod));
    const lowerTerminating = terminatingAt(h, lower);
    const ok = higherReady >= 0 && lowerTerminating > higherReady;
    return {
      kind: 'waited for the pod above',
      ordinal: lower.ordinal,
      ok,
      detail: ok
        ? `${lower.pod} was touched only after the new ${higher.pod} was Ready`
        : `${lower.pod} began terminating before the new ${higher.pod} was Ready`,
    };
  });
}

/** maxUnavailable N > 1: terminations still start from the top, and never more than N ordinals are down at once. */
function windowChecks(r: RolloutInput, moved: Moved[], max: number, peak: PeakUnavailable): RolloutCheck[] {
  const h = r.history;
  const terminating = (m: Moved) => terminatingAt(h, m);
  const order = moved.slice(1).map((lower, i): RolloutCheck => {
    const higher = moved[i]!;
    const ok = terminating(higher) >= 0 && terminating(lower) > terminating(higher);
    return {
      kind: 'terminated after the pod above',
      ordinal: lower.ordinal,
      ok,
      detail: ok
        ? `${lower.pod} began terminating after ${higher.pod} did`
        : `${lower.pod} began terminating before ${higher.pod}`,
    };
  });
  const bound: RolloutCheck = {
    kind: 'max unavailable',
    ordinal: peak.ordinals[0] ?? 0,
    ok: peak.count <= max,
    detail: `at most ${peak.count} pod${peak.count === 1 ? '' : 's'} unavailable at once (maxUnavailable ${max})${peak.count ? `: ${peak.ordinals.map(r.podName).join(', ')} together` : ''}`,
  };
  return [...order, bound];
}

export interface RevisionPlan {
  strategy: string;
  start: number;
  partition: number;
  currentRevision: string | null;
  updateRevision: string | null;
}

export type RevisionKind = 'current revision' | 'update revision';

/**
 * The revision the controller gives a re-created pod: below a RollingUpdate partition the current one, else the update
 * revision.
 */
export function revisionFor(p: RevisionPlan, ordinal: number): { revision: string | null; which: RevisionKind } {
  return p.strategy === 'RollingUpdate' && ordinal < firstMoving(p)
    ? { revision: p.currentRevision, which: 'current revision' }
    : { revision: p.updateRevision, which: 'update revision' };
}

/** OnDelete: a new template, and for the whole window no pod replaced, every pod on its old revision. */
export function analyseOnDelete(
  r: RolloutInput,
  windowMs: number,
): { rows: RolloutRow[]; verdict: Verdict<RolloutCheck> } {
  const rows = rolloutRows({ ...r, partition: r.replicas });
  const checks = rows.map((row): RolloutCheck => {
    const replaced = row.terminating !== null || row.gone !== null || row.newUid !== null;
    const ok = !replaced && row.newRevision === row.oldRevision;
    return {
      kind: 'untouched',
      ordinal: row.ordinal,
      ok,
      detail: ok
        ? `${row.pod} untouched (same UID, revision ${row.oldRevision})`
        : `${row.pod} was replaced or changed revision although the strategy is OnDelete`,
    };
  });
  const failed = checks.filter((c) => !c.ok);
  const seconds = Math.round(windowMs / 1000);
  // A template change that made no new revision (the same --image) leaves nothing to hold.
  const behind = rows.filter((row) => row.newRevision !== r.updateRevision).map((row) => row.pod);
  const unchanged = !failed.length && rows.every((row) => row.oldRevision === r.updateRevision);
  const headline = failed.length
    ? 'OnDelete did not hold: the controller replaced a pod by itself'
    : unchanged
      ? `Nothing to hold: every pod already ran revision ${r.updateRevision}, the template change made no new one`
      : `OnDelete held: new revision ${r.updateRevision}, and in ${seconds}s no pod was replaced`;
  const why = [
    'With updateStrategy OnDelete the controller records the new template as a revision but replaces no pod itself;',
    behind.length
      ? `a pod takes the new revision only when it is deleted (kubectl sts-lab kill-pod N): ${behind.join(', ')} still on an older one.`
      : `a pod takes the new revision only when it is deleted: every pod runs ${r.updateRevision} already.`,
    `Once every pod runs it and is Ready, status.currentRevision becomes ${r.updateRevision} too from Kubernetes 1.${ON_DELETE_COMPLETES_MINOR}; before, it keeps the old one.`,
    ...failed.map((c) => c.detail),
  ];
  return {
    rows: rows.map((x) => ({ ...x, moves: false })),
    verdict: verdict(unchanged ? 'N/A' : passIf(!failed.length), headline, why, checks),
  };
}

/** The server dropped maxUnavailable (no feature gate): that part is not judged, the roll-out still is. */
export function maxUnavailableDropped(
  v: Verdict<RolloutCheck>,
  requested: number | string,
  serverVersion: string,
): Verdict<RolloutCheck> {
  return verdict(
    v.result === 'FAIL' ? 'FAIL' : 'N/A',
    `maxUnavailable ${requested} not judged: the API server (${serverVersion}) dropped spec.updateStrategy.rollingUpdate.maxUnavailable`,
    [
      `The field needs the MaxUnavailableStatefulSet feature gate: ${maxUnavailableGateText(serverVersion)}.`,
      `Without it the controller replaces one pod at a time; the roll-out itself: ${v.result} ${v.headline}.`,
      ...v.why.slice(2),
    ],
    v.checks,
  );
}
