// rollback: put an earlier revision's pod template back (from the StatefulSet's
// ControllerRevisions), watch what the controller does by itself, and with --delete-stuck
// delete the pods stuck on the broken revision so they come back on the restored one.
import type { Argv } from 'yargs';
import { asUsage, CliError } from '../../errors.ts';
import { phaseChart } from '../../ui/phases.ts';
import { formatDuration } from '../../lab/duration.ts';
import { podName, type LabNames } from '../../lab/names.ts';
import { isGoing, isReady, uidOf, type PodLike } from '../../lab/pods.ts';
import { analyseRollback, rollbackTarget } from './rollback-judge.ts';
import { revisionOf } from './rollout.ts';
import { replicaCount } from '../../lab/validate.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand, type RunContext } from '../../command-support/command.ts';
import { perform, podWatched, type Action, type TaskLine } from '../../command-support/hands-on.ts';
import type { Lab, PodWatch, V1StatefulSet } from '../../k8s/index.ts';
import { connectLab, ownStatefulSet } from '../../command-support/target.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { labOrdinals, startOrdinal } from '../../lab/ordinals.ts';
import { readyTasks } from '../../command-support/wait-ready.ts';
import { policyOf } from '../../lab/manifests.ts';
import { shortRevision } from '../../ui/table.ts';

/** How long nothing may move before a pod off the restored revision counts as stuck. */
const SELF_HEAL_WINDOW_MS = 15_000;

interface RollbackOptions {
  names: LabNames;
  toRevision?: number | undefined;
  deleteStuck: boolean;
}

export default defineCommand({
  command: 'rollback',
  examples: [
    ['kubectl sts-lab rollback', 'Restore the previous template and show what the controller does by itself'],
    ['kubectl sts-lab rollback --delete-stuck', 'Then delete the pods stuck on the broken revision (forced rollback)'],
    ['kubectl sts-lab rollback --to-revision 1', 'Restore revision 1 (kubectl sts-lab history lists them)'],
  ],
  describe:
    "Restore the previous revision's pod template, show what the controller does by itself, and (--delete-stuck) free the pods stuck on the broken revision",
  builder: (y: Argv) =>
    y
      .option('to-revision', {
        type: 'string',
        describe: 'The revision number to restore (kubectl sts-lab history); default: the one before the roll-out',
      })
      .option('delete-stuck', {
        type: 'boolean',
        default: false,
        describe: 'Delete pods still on another revision once the controller has had its chance (forced rollback)',
      }),
  options: (a, g): RollbackOptions =>
    asUsage(() => ({
      names: g.names,
      toRevision: a['to-revision'] === undefined ? undefined : replicaCount('--to-revision', a['to-revision']),
      deleteStuck: a['delete-stuck'] === true,
    })),
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await ownStatefulSet(lab);
    const ordinals = labOrdinals(sts);
    const policy = policyOf(sts.spec);
    const timeoutMs = ctx.globals.timeoutMs;
    const strategy = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
    // A server with MaxUnavailableStatefulSet on defaults maxUnavailable (to 1); one without drops it.
    const gateOn =
      strategy === 'RollingUpdate' ? sts.spec?.updateStrategy?.rollingUpdate?.maxUnavailable !== undefined : undefined;
    // The version only names the server in the verdict: a server that does not tell it still rolls back.
    const [revisions, pods, serverVersion] = await Promise.all([
      lab.controllerRevisions(sts.metadata?.uid ?? ''),
      lab.listPods(),
      lab.serverVersion().catch(() => null),
    ]);
    const target = (() => {
      try {
        return rollbackTarget(revisions, sts.status ?? {}, pods.map(revisionOf), o.toRevision);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
    })();
    const template = revisions.find((r) => r.name === target.name)?.template;
    if (!template) throw new CliError(`controllerrevision "${target.name}" records no pod template`);
    const restore = target.name !== sts.status?.updateRevision;
    return withPodWatch(lab, async (watch) => {
      const before = new Map<number, PodLike>(watch.byOrdinal());
      let targetRevision = target.name;
      let stuck: number[] = [];
      const offTarget = (pods: ReadonlyMap<number, PodLike>) =>
        ordinals.filter((i) => {
          const p = pods.get(i);
          return !(p && isReady(p) && revisionOf(p) === targetRevision);
        });
      await runTasks(
        [
          {
            title: `Restore the pod template of revision ${target.revision} (${target.name})`,
            task: async (_c, t) => {
              if (!restore)
                return t.skip(
                  `the template already is revision ${target.revision} (${target.name}): only pods lag behind`,
                );
              targetRevision = await restoring(lab, ctx, t, sts, template, target);
              t.title = `statefulset.apps/${n.statefulSet}: template of revision ${target.revision} restored, update revision ${targetRevision}`;
            },
          },
          {
            title: `Does the controller roll back by itself? (watched until done, or until nothing moves for ${formatDuration(SELF_HEAL_WINDOW_MS)})`,
            task: async (_c, t) => {
              const healed = await watch.untilDoneOrQuiet(
                (pods) => !offTarget(pods).length,
                SELF_HEAL_WINDOW_MS,
                timeoutMs,
              );
              stuck = healed ? [] : offTarget(watch.byOrdinal());
              t.title = healed
                ? 'The controller rolled every pod back by itself'
                : `Nothing moved for ${formatDuration(SELF_HEAL_WINDOW_MS)}: ${stuck.map((i) => podName(n, i)).join(', ')} still off revision ${targetRevision}`;
            },
          },
          {
            title: 'Delete the stuck pods: the controller re-creates them from the restored template',
            enabled: () => o.deleteStuck && stuck.length > 0,
            task: async (_c, t) => {
              await perform(ctx, t, deletingStuck(lab, watch, n, [...stuck].reverse()));
              const accept = (_i: number, pod: PodLike) => isReady(pod) && revisionOf(pod) === targetRevision;
              return t.newListr(readyTasks(watch, stuck, { timeoutMs, policy, start: startOrdinal(sts), accept }), {
                concurrent: true,
              });
            },
          },
        ],
        { progress: ctx.globals.progress },
      );
      const deleted = o.deleteStuck ? stuck : [];
      const { rows, expectedSelfHeal, verdict } = analyseRollback({
        ordinals,
        before,
        after: watch.byOrdinal(),
        target: targetRevision,
        policy,
        deleted,
        stuck,
        windowMs: SELF_HEAL_WINDOW_MS,
        podName: (i) => podName(n, i),
        serverVersion,
        strategy,
        gateOn,
      });
      return {
        ok: verdict.result !== 'FAIL',
        data: {
          namespace: n.namespace,
          statefulSet: n.statefulSet,
          target: { revision: target.revision, name: target.name },
          restored: restore,
          updateRevision: targetRevision,
          windowMs: SELF_HEAL_WINDOW_MS,
          stuck: stuck.map((i) => podName(n, i)),
          deleted: deleted.map((i) => podName(n, i)),
          pods: rows,
          serverVersion,
          podManagementPolicy: policy,
          expectedSelfHeal,
          verdict,
        },
        chart: phaseChart(`Rollback to revision ${target.revision} (${targetRevision})`, watch.history, (i) =>
          podName(n, i),
        ),
      };
    });
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['ordinal', 'pod', 'rev before', 'ready before', 'what happened', 'rev now', 'ready now'],
        wide: ['ordinal', 'ready before'],
        short: { 'rev before': shortRevision, 'rev now': shortRevision },
        rows: d.pods.map((r) => [
          String(r.ordinal),
          r.pod,
          r.revisionBefore ?? '<none>',
          String(r.readyBefore),
          r.action,
          r.revisionNow ?? '<none>',
          String(r.readyNow),
        ]),
      },
    ],
    notes: verdictLines(d.verdict, verdictText),
  }),
});

/**
 * Puts the recorded template back, as the lab does or as the learner types it (kubectl rollout
 * undo): the StatefulSet's watch shows the controller on the target revision. Returns the
 * revision the controller now rolls towards.
 */
async function restoring(
  lab: Lab,
  ctx: RunContext,
  t: TaskLine,
  sts: V1StatefulSet,
  template: Parameters<Lab['restoreTemplate']>[0],
  target: { revision: number; name: string },
): Promise<string> {
  const timeoutMs = ctx.globals.timeoutMs;
  const byLab = async () => (await lab.restoreTemplate(template)).metadata?.generation ?? 0;
  if (!ctx.handsOn) return lab.updateRevision(await byLab(), timeoutMs);
  const n = lab.names;
  const w = await lab.watchStatefulSet();
  // The revision the controller rolls towards, once it has seen a generation after the one read.
  const observed = () => {
    const s = w.list.current()[0];
    const gen = s?.metadata?.generation ?? 0;
    return gen > (sts.metadata?.generation ?? 0) && (s?.status?.observedGeneration ?? 0) >= gen
      ? s?.status?.updateRevision
      : undefined;
  };
  let generation = 0;
  try {
    const by = await perform(ctx, t, {
      kubectl: `kubectl -n ${n.namespace} rollout undo statefulset/${n.statefulSet} --to-revision=${target.revision}`,
      awaiting: `the controller on revision ${target.revision} (${target.name})`,
      byLab: async () => void (generation = await byLab()),
      watch: w.list,
      seen: () => observed() === target.name,
      wrong: () => {
        const now = observed();
        return now && now !== target.name && now !== sts.status?.updateRevision
          ? `the template is now revision ${now}, not revision ${target.revision} (${target.name})`
          : undefined;
      },
    });
    return by === 'lab' ? await lab.updateRevision(generation, timeoutMs) : target.name;
  } finally {
    w.release();
  }
}

/** Deleting the pods stuck off the restored revision, highest first: one kubectl command for all. */
function deletingStuck(lab: Lab, watch: PodWatch, n: LabNames, ordinals: number[]): Action {
  const pods = watch.byOrdinal();
  const uids = new Map(ordinals.map((i) => [i, uidOf(pods.get(i) ?? {})]));
  const names = ordinals.map((i) => podName(n, i));
  const gone = () => ordinals.filter((i) => isGoing(watch.byOrdinal().get(i), uids.get(i)!)).map((i) => podName(n, i));
  return {
    kubectl: `kubectl -n ${n.namespace} delete pod ${names.join(' ')}`,
    awaiting: `${names.join(', ')} deleted`,
    byLab: async () => {
      for (const name of names) await lab.deletePod(name, false);
    },
    watch: podWatched(watch),
    seen: () => gone().length === names.length,
    wrong: () => {
      const done = gone();
      const left = names.filter((name) => !done.includes(name));
      return done.length ? `${done.join(', ')} deleted; still to delete: ${left.join(', ')}` : undefined;
    },
  };
}
