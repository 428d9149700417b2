// A rolling update, proved from the watch: the StatefulSet controller replaces pods at or
// above the partition from the highest ordinal down, each old pod gone and its replacement
// Ready before the next one is touched; pods below the partition are not touched at all.
import type { Observation } from './ordering.ts';
import { isReady, uidOf, type PodLike } from './pods.ts';
import { passIf, verdict, type Verdict } from './verdict.ts';

export const REVISION_LABEL = 'controller-revision-hash';

export const revisionOf = (pod: PodLike & { metadata?: { labels?: Record<string, string> } }): string | null =>
  pod.metadata?.labels?.[REVISION_LABEL] ?? null;

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

export interface RolloutCheck {
  ordinal: number;
  ok: boolean;
  detail: string;
}

export interface RolloutInput {
  history: Observation[];
  /** Pods by ordinal before the change, and at the end. */
  before: Map<number, PodLike>;
  after: Map<number, PodLike>;
  replicas: number;
  partition: number;
  updateRevision: string;
  podName: (ordinal: number) => string;
}

const labelled = (p: PodLike) => p as PodLike & { metadata?: { labels?: Record<string, string> } };

export function rolloutRows(r: RolloutInput): RolloutRow[] {
  return Array.from({ length: r.replicas }, (_, ordinal) => {
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
      moves: ordinal >= r.partition && (old ? revisionOf(labelled(old)) !== r.updateRevision : true),
    };
  });
}

/** Index in the watch stream (commit order) of the first change that satisfies pick. */
const indexOf = (h: Observation[], pick: (c: Observation) => boolean): number => h.findIndex((c) => !c.initial && pick(c));

export function analyseRollout(r: RolloutInput): { rows: RolloutRow[]; verdict: Verdict<RolloutCheck> } {
  const rows = rolloutRows(r);
  const h = r.history;
  const checks: RolloutCheck[] = [];
  for (const row of rows) {
    if (row.ordinal < r.partition) {
      const untouched = row.newUid === null && row.newRevision === row.oldRevision;
      checks.push({ ordinal: row.ordinal, ok: untouched, detail: untouched ? `${row.pod} below the partition: untouched (same UID, revision ${row.oldRevision})` : `${row.pod} is below the partition ${r.partition} but was replaced or changed revision` });
      continue;
    }
    const onNew = row.newRevision === r.updateRevision;
    if (!row.moves) {
      checks.push({ ordinal: row.ordinal, ok: onNew, detail: `${row.pod} was already on revision ${r.updateRevision}${row.newUid ? ' but was replaced anyway' : ''}` });
      continue;
    }
    const goneAt = indexOf(h, (c) => uidOf(c.pod) === row.oldUid && c.type === 'delete');
    const createdAt = indexOf(h, (c) => uidOf(c.pod) === row.newUid);
    const atMostOne = goneAt >= 0 && createdAt > goneAt;
    checks.push({
      ordinal: row.ordinal,
      ok: onNew && atMostOne,
      detail: !onNew
        ? `${row.pod} is on revision ${row.newRevision ?? 'none'}, not ${r.updateRevision}`
        : atMostOne
          ? `${row.pod} replaced: the old pod was gone before the new one (revision ${r.updateRevision}) appeared`
          : `${row.pod}: the new pod appeared before the old one was gone`,
    });
  }
  // Top down: the next lower ordinal begins terminating only after the higher one's replacement is Ready.
  const moved = rows.filter((x) => x.moves && x.newUid).sort((a, b) => b.ordinal - a.ordinal);
  for (let i = 1; i < moved.length; i++) {
    const higher = moved[i - 1]!;
    const lower = moved[i]!;
    const higherReady = indexOf(h, (c) => uidOf(c.pod) === higher.newUid && isReady(c.pod));
    const lowerTerminating = indexOf(h, (c) => uidOf(c.pod) === lower.oldUid && Boolean(c.pod.metadata?.deletionTimestamp || c.type === 'delete'));
    const ok = higherReady >= 0 && lowerTerminating > higherReady;
    checks.push({
      ordinal: lower.ordinal,
      ok,
      detail: ok ? `${lower.pod} was touched only after the new ${higher.pod} was Ready` : `${lower.pod} began terminating before the new ${higher.pod} was Ready`,
    });
  }
  const failed = checks.filter((c) => !c.ok);
  const order = moved.map((m) => m.pod);
  const headline = failed.length
    ? 'The rolling update did not go as a StatefulSet promises'
    : order.length
      ? `Rolling update held: ${order.join(', ')} replaced from the highest ordinal down, one at a time${r.partition ? `; below partition ${r.partition} untouched` : ''}`
      : `Nothing to roll: every pod at or above partition ${r.partition} was already on revision ${r.updateRevision}`;
  const why = [
    'The StatefulSet controller updates pods in reverse ordinal order, deleting one and waiting for its replacement to be',
    `Running and Ready before the next; pods with an ordinal below spec.updateStrategy.rollingUpdate.partition keep the old template.`,
    ...failed.map((c) => c.detail),
  ];
  return { rows, verdict: verdict(order.length || failed.length ? passIf(!failed.length) : 'N/A', headline, why, checks) };
}

export interface RevisionPlan {
  strategy: string;
  partition: number;
  currentRevision: string | null;
  updateRevision: string | null;
}

export type RevisionKind = 'current revision' | 'update revision';

/** The revision the controller gives a re-created pod: below a RollingUpdate partition the current one, else the update revision. */
export function revisionFor(p: RevisionPlan, ordinal: number): { revision: string | null; which: RevisionKind } {
  return p.strategy === 'RollingUpdate' && ordinal < p.partition
    ? { revision: p.currentRevision, which: 'current revision' }
    : { revision: p.updateRevision, which: 'update revision' };
}

/** OnDelete: a new template, and for the whole window no pod replaced, every pod on its old revision. */
export function analyseOnDelete(r: RolloutInput, windowMs: number): { rows: RolloutRow[]; verdict: Verdict<RolloutCheck> } {
  const rows = rolloutRows({ ...r, partition: r.replicas });
  const checks = rows.map((row) => {
    const replaced = row.terminating !== null || row.gone !== null || row.newUid !== null;
    const ok = !replaced && row.newRevision === row.oldRevision;
    return { ordinal: row.ordinal, ok, detail: ok ? `${row.pod} untouched (same UID, revision ${row.oldRevision})` : `${row.pod} was replaced or changed revision although the strategy is OnDelete` };
  });
  const failed = checks.filter((c) => !c.ok);
  const seconds = Math.round(windowMs / 1000);
  const headline = failed.length ? 'OnDelete did not hold: the controller replaced a pod by itself' : `OnDelete held: new revision ${r.updateRevision}, and in ${seconds}s no pod was replaced`;
  const why = [
    'With updateStrategy OnDelete the controller records the new template as a revision but replaces no pod itself;',
    `a pod takes the new revision only when it is deleted: kubectl sts-lab kill-pod N brings N back on ${r.updateRevision}.`,
    ...failed.map((c) => c.detail),
  ];
  return { rows: rows.map((x) => ({ ...x, moves: false })), verdict: verdict(passIf(!failed.length), headline, why, checks) };
}
