// The lab report rows of the tour's updates part, made of nothing but the -o json data of
// the update, kill-pod, rollback and check-persistence steps.
import type { PersistenceRow } from '../storage/judge.ts';
import { podName } from '../../lab/names.ts';
import { combine, passIf, type Verdict } from '../../lab/verdict.ts';
import type { Judged, RowSpec } from '../lesson.ts';
import type { RolloutCheck } from './rollout.ts';
import type { UpdatesLessonEvidence } from './steps.ts';

type Check = Pick<RolloutCheck, 'kind' | 'ok' | 'detail'>;

export interface Rolled {
  verdict: Verdict<Check>;
  pods: { pod: string; newUid: string | null; created: string | null }[];
  stalled: { pod: string; reason: string } | null;
}

export interface Killed {
  pod: string;
  verdict: Verdict<unknown>;
  comparison: { field: string; after: string; expected: string; ok: boolean }[];
}

export interface UpdatesEvidence {
  canary?: Rolled;
  belowPartitionKill?: Killed;
  phased?: Rolled;
  full?: Rolled;
  broken?: Rolled;
  rollback?: { verdict: Verdict<unknown>; stuck: string[]; deleted: string[]; updateRevision: string };
  onDelete?: Rolled;
  onDeleteKill?: Killed;
  persist?: { verdict: Verdict<unknown>; pods: PersistenceRow[] };
}

/** Pods the roll-out replaced, in the order their replacements appeared. */
export const replacedInOrder = (r: Rolled): string[] =>
  r.pods
    .filter((p) => p.newUid && p.created)
    .sort((a, b) => Date.parse(a.created!) - Date.parse(b.created!))
    .map((p) => p.pod);

const revisionOf = (k: Killed) => k.comparison.find((c) => c.field.startsWith('revision'));

/** A kill-pod whose pod came back on the revision its ordinal is due, and said so. */
const killedOnto = (k: Killed, due: 'current revision' | 'update revision'): Judged => {
  const row = revisionOf(k);
  return {
    result: combine(k.verdict.result, passIf(row?.expected === due && row.ok)),
    evidence: `${k.pod} re-created on ${row?.after ?? 'no revision'} (${row?.expected ?? 'no revision row'})`,
  };
};

const list = (pods: string[]) => pods.join(', ') || 'none';

export function orderedRollingUpdate(u: UpdatesEvidence): Judged | undefined {
  if (!u.full) return undefined;
  return {
    result: u.full.verdict.result,
    evidence: `replaced ${list(replacedInOrder(u.full))}; ${u.full.verdict.checks.filter((c) => c.ok && c.kind === 'waited for the pod above').length} waits for the pod above to be Ready`,
  };
}

export function partitionedRollout(u: UpdatesEvidence): Judged | undefined {
  if (!u.canary || !u.belowPartitionKill || !u.phased) return undefined;
  const kill = killedOnto(u.belowPartitionKill, 'current revision');
  return {
    result: combine(u.canary.verdict.result, kill.result, u.phased.verdict.result),
    evidence: `partition 2 replaced ${list(replacedInOrder(u.canary))}; ${kill.evidence}; partition 0 then replaced ${list(replacedInOrder(u.phased))}`,
  };
}

export function onDeleteHeld(u: UpdatesEvidence): Judged | undefined {
  if (!u.onDelete || !u.onDeleteKill) return undefined;
  const kill = killedOnto(u.onDeleteKill, 'update revision');
  return {
    result: combine(u.onDelete.verdict.result, kill.result),
    evidence: `${u.onDelete.verdict.headline}; ${kill.evidence}`,
  };
}

/** The broken update must stall with every piece of evidence holding; the rollback must then complete. */
export function forcedRollback(u: UpdatesEvidence): Judged | undefined {
  if (!u.broken || !u.rollback) return undefined;
  const stalledRight = Boolean(u.broken.stalled) && u.broken.verdict.checks.every((c) => c.ok);
  const freed = u.rollback.deleted.length
    ? `; ${list(u.rollback.deleted)} stuck, deleted, back on ${u.rollback.updateRevision}`
    : `; the controller rolled back by itself to ${u.rollback.updateRevision}`;
  return {
    result: combine(passIf(stalledRight), u.rollback.verdict.result),
    evidence: `${u.broken.stalled ? `stalled at ${u.broken.stalled.pod} (${u.broken.stalled.reason})` : 'did not stall'}; ${u.broken.verdict.checks.filter((c) => c.ok && c.kind === 'untouched below the stall').length} lower pods untouched${freed}`,
  };
}

export function dataSurvivesUpdates(u: UpdatesEvidence): Judged | undefined {
  if (!u.persist) return undefined;
  const recreated = u.persist.pods.every((p) => p.podRecreated);
  return {
    result: combine(u.persist.verdict.result, passIf(recreated)),
    evidence: u.persist.pods
      .map(
        (p) =>
          `${p.pod}${p.podRecreated ? ' (new pod)' : ' (never replaced)'}: ${p.contentMatch ? 'same bytes' : p.reason}`,
      )
      .join('; '),
  };
}

const updatesRow = (
  concept: string,
  outcome: RowSpec<UpdatesLessonEvidence>['outcome'],
  judge: (u: UpdatesEvidence) => Judged | undefined,
): RowSpec<UpdatesLessonEvidence> => ({
  part: 'updates',
  concept,
  outcome,
  judge: (e) => judge(e.updates ?? {}),
});

export const rows: RowSpec<UpdatesLessonEvidence>[] = [
  updatesRow(
    'Ordered rolling update',
    (n) =>
      `A template change replaces ${podName(n, 2)}, then ${podName(n, 1)}, then ${podName(n, 0)}, each after the one above is Ready`,
    orderedRollingUpdate,
  ),
  updatesRow(
    'Partitioned roll-out',
    () =>
      'A canary (partition 2) moves only the top pod; a pod below keeps the old revision when re-created; partition 0 moves the rest',
    partitionedRollout,
  ),
  updatesRow(
    'Forced rollback',
    () => 'A template that never gets Ready stalls at the top pod, lower pods untouched; rollback restores every pod',
    forcedRollback,
  ),
  updatesRow(
    'OnDelete',
    () => 'A template change moves no pod; a deleted pod comes back on the new revision',
    onDeleteHeld,
  ),
  updatesRow(
    'Data survives updates',
    () => 'Same claims, volumes and bytes after every update and the rollback',
    dataSurvivesUpdates,
  ),
];
