// A rollback, from evidence: which revision to go back to, and what happened to each pod once
// the old template was restored: left alone, replaced by the controller, or stuck on the
// broken revision until it was deleted (the "forced rollback" of the StatefulSet docs).
import { formatDuration } from '../../lab/duration.ts';
import type { RevisionLike } from './revisions.ts';
import { isReady, uidOf, type PodLike } from '../../lab/pods.ts';
import { revisionOf } from './rollout.ts';
import { maxUnavailableGate, minorOf, REPLACES_UNAVAILABLE_MINOR } from '../../lab/server-version.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import type { PodManagementPolicy } from '../../lab/manifests.ts';

export interface RevisionStatus {
  currentRevision?: string | undefined;
  updateRevision?: string | undefined;
}

/**
 * The revision to restore: the one asked for; else, during a roll-out, the current revision
 * (what the untouched pods run); else, when pods still lag behind an already restored
 * template, that template; else the revision before the update revision (kubectl rollout undo).
 * A current revision no pod runs is no roll-out: under OnDelete, Kubernetes before 1.37 never
 * moves currentRevision off the first revision, so after later updates it names a stale one.
 */
export function rollbackTarget(
  revisions: RevisionLike[],
  status: RevisionStatus,
  podRevisions: (string | null)[],
  toRevision?: number,
): RevisionLike {
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  const listed = sorted.map((r) => r.revision).join(', ');
  const byName = (name: string | undefined) => sorted.find((r) => r.name === name);
  if (toRevision !== undefined) {
    const asked = sorted.find((r) => r.revision === toRevision);
    if (!asked)
      throw new Error(
        `revision ${toRevision} not found: this StatefulSet has revisions ${listed} (kubectl sts-lab history)`,
      );
    return asked;
  }
  const update = byName(status.updateRevision);
  const current = byName(status.currentRevision);
  if (current && update && current !== update && podRevisions.includes(current.name)) return current;
  if (update && (!current || current === update) && podRevisions.some((r) => r !== update.name)) return update;
  const previous = update && sorted.filter((r) => r.revision < update.revision).at(-1);
  if (!previous)
    throw new Error(
      `nothing to roll back to: this StatefulSet has ${sorted.length === 1 ? 'one revision' : `revisions ${listed}`} and every pod runs the update revision`,
    );
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
  policy: PodManagementPolicy;
  /** Ordinals sts-lab deleted (--delete-stuck), and those still off target once nothing moved for windowMs. */
  deleted: number[];
  stuck: number[];
  windowMs: number;
  podName: (ordinal: number) => string;
  /** The API server's gitVersion (null: it did not say) and spec.updateStrategy.type, named in the verdict. */
  serverVersion: string | null;
  strategy: string;
  /**
   * MaxUnavailableStatefulSet as the API server shows it: maxUnavailable kept (on) or dropped (off); undefined without
   * a rollingUpdate.
   */
  gateOn: boolean | undefined;
}

export interface RollbackCheck {
  ordinal: number;
  ok: boolean;
  detail: string;
}

const labels = (p: PodLike | undefined) => (p ? revisionOf(p) : null);

export function analyseRollback(r: RollbackInput): {
  rows: RollbackRow[];
  expectedSelfHeal: boolean | null;
  verdict: Verdict<RollbackCheck>;
} {
  const rows = r.ordinals.map((ordinal): RollbackRow => {
    const was = r.before.get(ordinal);
    const now = r.after.get(ordinal);
    const replaced = Boolean(was && now && uidOf(was) !== uidOf(now)) || (!was && Boolean(now));
    return {
      ordinal,
      pod: r.podName(ordinal),
      revisionBefore: labels(was),
      readyBefore: Boolean(was && isReady(was)),
      action: r.deleted.includes(ordinal)
        ? 'deleted by sts-lab'
        : replaced
          ? 'replaced by the controller'
          : 'untouched',
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
      ? `Rolled back to ${r.target}: ${names(r.deleted)} ${r.deleted.length === 1 ? 'was' : 'were'} stuck (nothing moved for ${window}); deleted, the controller re-created ${r.deleted.length === 1 ? 'it' : 'them'} from the restored template`
      : byController.length
        ? `Rolled back to ${r.target}: the controller replaced ${names(byController)} by itself`
        : `Rolled back to ${r.target}: every pod already ran it`;
  const where = `Kubernetes ${r.serverVersion ?? 'version unknown'}, podManagementPolicy ${r.policy}${r.strategy === 'OnDelete' ? ', updateStrategy OnDelete' : ''}`;
  const offBefore = rows.filter((x) => x.revisionBefore !== r.target || !x.readyBefore);
  const healed = !r.stuck.length;
  const expected = rollbackExpectation({ ...r, broken: offBefore.some((x) => !x.readyBefore) });
  const seen = healed
    ? `On this server (${where}) the controller rolled every pod back to ${r.target} by itself${byController.length ? `: it replaced ${names(byController)}` : ''}.`
    : `On this server (${where}) the controller did not replace ${names(r.stuck)} by itself: nothing moved for ${window} while sts-lab watched.`;
  const judged =
    expected.selfHeals === null
      ? 'What to expect there'
      : expected.selfHeals === healed
        ? 'As expected there'
        : 'This differs from what to expect there';
  const why = offBefore.length
    ? [
        seen,
        `${judged}: ${expected.because}.`,
        ...(healed
          ? []
          : ['Restoring the template is not enough then: a stuck pod must be deleted (the docs\' "forced rollback").']),
        ...(failed.length && !r.deleted.length
          ? [
              'Delete the stuck pods and the controller re-creates them from the restored template: kubectl sts-lab rollback --delete-stuck',
            ]
          : []),
        ...failed.map((c) => c.detail),
      ]
    : [`Every pod already ran ${r.target} and was Ready on this server (${where}): there was nothing to roll back.`];
  return {
    rows,
    expectedSelfHeal: expected.selfHeals,
    verdict: verdict(passIf(!failed.length), headline, why, checks),
  };
}

export interface RollbackExpectation {
  /** Whether this server's controller should put every pod back by itself; null when its settings do not say. */
  selfHeals: boolean | null;
  because: string;
}

/**
 * What the controller is known to do on this version, policy and gate: context for the verdict, which is judged from
 * the pods alone.
 */
export function rollbackExpectation(
  e: Pick<RollbackInput, 'serverVersion' | 'policy' | 'strategy' | 'gateOn'> & { broken: boolean },
): RollbackExpectation {
  if (e.strategy === 'OnDelete')
    return {
      selfHeals: false,
      because:
        'under OnDelete the controller replaces no pod by itself, on any version: a pod takes the restored revision only when it is deleted',
    };
  if (!e.broken) {
    return {
      selfHeals: true,
      because:
        "the restored template has the old revision's hash, so the controller rolls towards that revision again and replaces, from the highest ordinal down, every pod that runs another one",
    };
  }
  if (e.policy !== 'Parallel') {
    return {
      selfHeals: false,
      because:
        'under OrderedReady the controller replaces no pod while one is not Running and Ready, not even the broken one it made itself, on any version',
    };
  }
  const minor = minorOf(e.serverVersion ?? undefined);
  // The API server's copy tells the gate (kept or dropped maxUnavailable); the version's default only when it cannot.
  const gateOn = e.gateOn ?? (minor === undefined ? undefined : maxUnavailableGate(minor).onByDefault);
  if (gateOn === undefined) {
    return {
      selfHeals: null,
      because: `under Parallel a stuck pod stays only before 1.${REPLACES_UNAVAILABLE_MINOR} with the MaxUnavailableStatefulSet gate on, and neither the server's version nor its StatefulSet tells whether that is so here`,
    };
  }
  const gate = `the MaxUnavailableStatefulSet gate ${gateOn ? 'on' : 'off'} (${e.gateOn === undefined ? 'its default there' : `the API server ${gateOn ? 'keeps' : 'drops'} maxUnavailable`})`;
  if (!gateOn)
    return {
      selfHeals: true,
      because: `with ${gate}, the controller deletes the highest pod not on the update revision without asking whether it is available`,
    };
  if (minor === undefined) {
    return {
      selfHeals: null,
      because: `with ${gate}, Kubernetes before 1.${REPLACES_UNAVAILABLE_MINOR} leaves a stuck pod where it is and 1.${REPLACES_UNAVAILABLE_MINOR} or later replaces it, and this server's version does not say which it is`,
    };
  }
  return minor >= REPLACES_UNAVAILABLE_MINOR
    ? {
        selfHeals: true,
        because: `from 1.${REPLACES_UNAVAILABLE_MINOR}, with ${gate}, the controller deletes an old-revision pod that is already unavailable, whatever the maxUnavailable budget`,
      }
    : {
        selfHeals: false,
        because: `before 1.${REPLACES_UNAVAILABLE_MINOR}, with ${gate}, the pod that is not Ready counts as unavailable: the budget (maxUnavailable) is used up, so the controller replaces nothing, not even that pod`,
      };
}
