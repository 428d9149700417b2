// A rollback, from evidence: which revision to go back to, and what happened to each pod once
// the old template was restored: left alone, replaced by the controller, or stuck on the
// broken revision until it was deleted (the "forced rollback" of the StatefulSet docs).
import { formatDuration } from './duration.ts';
import type { RevisionLike } from './history.ts';
import { isReady, uidOf, type PodLike } from './pods.ts';
import { revisionOf } from './rollout.ts';
import { passIf, verdict, type Verdict } from './verdict.ts';

export interface RevisionStatus {
  currentRevision?: string | undefined;
  updateRevision?: string | undefined;
}

/**
 * The revision to restore: the one asked for; else, during a roll-out, the current revision
 * (what the untouched pods run); else, when pods still lag behind an already restored
 * template, that template; else the revision before the update revision (kubectl rollout undo).
 */
export function rollbackTarget(revisions: RevisionLike[], status: RevisionStatus, podRevisions: (string | null)[], toRevision?: number): RevisionLike {
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  const listed = sorted.map((r) => r.revision).join(', ');
  const byName = (name: string | undefined) => sorted.find((r) => r.name === name);
  if (toRevision !== undefined) {
    const asked = sorted.find((r) => r.revision === toRevision);
    if (!asked) throw new Error(`revision ${toRevision} not found: this StatefulSet has revisions ${listed} (kubectl sts-lab history)`);
    return asked;
  }
  const update = byName(status.updateRevision);
  const current = byName(status.currentRevision);
  if (current && update && current !== update) return current;
  if (update && podRevisions.some((r) => r !== update.name)) return update;
  const previous = update && sorted.filter((r) => r.revision < update.revision).at(-1);
  if (!previous) throw new Error(`nothing to roll back to: this StatefulSet has ${sorted.length === 1 ? 'one revision' : `revisions ${listed}`} and every pod runs the update revision`);
  return previous;
}

export type RollbackAction = 'untouched' | 'replaced by the controller' | 'deleted by sts-lab';

export interface RollbackRow {
  ordinal: number;
  pod: string;
  revisionBefore: string | null;
  readyBefore: boolean;
  action: RollbackAction;
  revisionNow: string | null;
  readyNow: boolean;
}

export interface RollbackInput {
  /** The StatefulSet's ordinals. */
  ordinals: number[];
  before: ReadonlyMap<number, PodLike>;
  after: ReadonlyMap<number, PodLike>;
  /** The revision the restored template is (the controller's update revision after the patch). */
  target: string;
  policy: string;
  /** Ordinals sts-lab deleted (--delete-stuck), and those still off target once nothing moved for windowMs. */
  deleted: number[];
  stuck: number[];
  windowMs: number;
  podName: (ordinal: number) => string;
}

export interface RollbackCheck {
  ordinal: number;
  ok: boolean;
  detail: string;
}

const labels = (p: PodLike | undefined) => (p ? revisionOf(p as PodLike & { metadata?: { labels?: Record<string, string> } }) : null);

export function analyseRollback(r: RollbackInput): { rows: RollbackRow[]; verdict: Verdict<RollbackCheck> } {
  const rows = r.ordinals.map((ordinal): RollbackRow => {
    const was = r.before.get(ordinal);
    const now = r.after.get(ordinal);
    const replaced = Boolean(was && now && uidOf(was) !== uidOf(now)) || (!was && Boolean(now));
    return {
      ordinal,
      pod: r.podName(ordinal),
      revisionBefore: labels(was),
      readyBefore: Boolean(was && isReady(was)),
      action: r.deleted.includes(ordinal) ? 'deleted by sts-lab' : replaced ? 'replaced by the controller' : 'untouched',
      revisionNow: labels(now),
      readyNow: Boolean(now && isReady(now)),
    };
  });
  const checks = rows.map((row) => {
    const ok = row.revisionNow === r.target && row.readyNow;
    return {
      ordinal: row.ordinal,
      ok,
      detail: ok
        ? `${row.pod} runs ${r.target} and is Ready (${row.action})`
        : `${row.pod} runs ${row.revisionNow ?? 'nothing'}${row.readyNow ? '' : ' and is not Ready'}: still not rolled back`,
    };
  });
  const failed = checks.filter((c) => !c.ok);
  const window = formatDuration(r.windowMs);
  const names = (os: number[]) => os.map(r.podName).join(', ');
  const byController = rows.filter((x) => x.action === 'replaced by the controller').map((x) => x.ordinal);
  const headline = failed.length
    ? `Rollback not complete: ${names(failed.map((c) => c.ordinal))} still off revision ${r.target}${r.stuck.length && !r.deleted.length ? `; nothing moved for ${window} after the template was restored` : ''}`
    : r.deleted.length
      ? `Rolled back to ${r.target}: ${names(r.deleted)} ${r.deleted.length === 1 ? "was" : "were"} stuck (nothing moved for ${window}); deleted, the controller re-created ${r.deleted.length === 1 ? 'it' : 'them'} from the restored template`
      : byController.length
        ? `Rolled back to ${r.target}: the controller replaced ${names(byController)} by itself`
        : `Rolled back to ${r.target}: every pod already ran it`;
  const stuckWhy =
    r.policy === 'OrderedReady'
      ? [
          'Under OrderedReady the controller replaces no pod while one is not Running and Ready, not even the broken one it',
          'made itself: restoring the template is not enough, the stuck pod must be deleted (the docs\' "forced rollback").',
        ]
      : [
          'The pod that is not Ready counts as unavailable: with the roll-out\'s budget (maxUnavailable) used up, the controller',
          'replaces nothing, not even that pod. Restoring the template is not enough: the stuck pod must be deleted.',
        ];
  const why = [
    ...(r.stuck.length ? stuckWhy : ['The restored template has the old revision\'s hash, so the controller rolls towards that revision again and', 'replaces, from the highest ordinal down, every pod that runs another one.']),
    ...(failed.length && !r.deleted.length ? ['Delete the stuck pods and the controller re-creates them from the restored template: kubectl sts-lab rollback --delete-stuck'] : []),
    ...failed.map((c) => c.detail),
  ];
  return { rows, verdict: verdict(passIf(!failed.length), headline, why, checks) };
}
