// orphan: delete the StatefulSet with propagationPolicy Orphan and show, from the pod objects,
// that its pods run on with the same UIDs and no owner; --delete-pod N shows that nothing
// re-creates an orphan. `setup` then makes a StatefulSet that adopts them.
import type { Argv } from 'yargs';
import { CliError, UsageError } from '../../errors.ts';
import { phaseChart } from '../../ui/phases.ts';
import { formatDuration } from '../../lab/duration.ts';
import { podName, type LabNames } from '../../lab/names.ts';
import { isOrphan, orphanRows, orphanVerdict } from './judge.ts';
import { isGoing, isReady, uidOf } from '../../lab/pods.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks, type Task } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { perform, podWatched } from '../../command-support/hands-on.ts';
import { deleteStatefulSet } from '../../command-support/delete-statefulset.ts';
import { checkOrdinals, connectLab, ownStatefulSet, parseOrdinals } from '../../command-support/target.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { waitOut } from '../../command-support/wait-ready.ts';

/** How long a deleted orphan is watched for a re-creation that must not come. */
const NOT_RECREATED_WINDOW_MS = 10_000;

interface OrphanOptions {
  names: LabNames;
  deletePod?: number | undefined;
}

export default defineCommand({
  command: 'orphan',
  examples: [
    ['kubectl sts-lab orphan', 'Delete the StatefulSet, keep its pods, and prove they run on unowned'],
    ['kubectl sts-lab orphan --delete-pod 2', 'Then delete nginx-sts-2 and watch that nothing re-creates it'],
    ['kubectl sts-lab setup', 'Afterwards: the new StatefulSet adopts the orphans'],
  ],
  settlesFirst: true,
  describe:
    'Delete the StatefulSet but not its pods (propagationPolicy Orphan) and prove they run on, unowned; setup adopts them again',
  builder: (y: Argv) =>
    y.option('delete-pod', {
      type: 'string',
      describe: 'Then delete this orphan and watch that nothing re-creates it',
    }),
  options(a, g): OrphanOptions {
    const [ordinal] = parseOrdinals(a['delete-pod']);
    if (a['delete-pod'] !== undefined && ordinal === undefined) throw new UsageError('--delete-pod needs an ordinal');
    return { names: g.names, deletePod: ordinal };
  },
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await ownStatefulSet(lab);
    if (o.deletePod !== undefined) checkOrdinals([o.deletePod], sts, n);
    const timeoutMs = ctx.globals.timeoutMs;
    const victim = o.deletePod === undefined ? undefined : { ordinal: o.deletePod, pod: podName(n, o.deletePod) };
    return withPodWatch(lab, async (watch) => {
      const before = new Map([...watch.byOrdinal().values()].map((p) => [p.metadata?.name ?? '', p]));
      let recreated = false;
      await runTasks(
        [
          {
            title: `Delete statefulset.apps/${n.statefulSet} with propagationPolicy Orphan`,
            task: async (_c, t) => {
              const notReady = [...before.values()].filter((p) => !isReady(p)).map((p) => p.metadata?.name);
              if (notReady.length)
                throw new CliError(
                  `${notReady.join(', ')} not Ready: orphan a lab whose pods are all Ready, so the proof is about the delete`,
                  'kubectl sts-lab status',
                );
              await deleteStatefulSet(lab, ctx, t, 'Orphan');
              await lab.statefulSetGone(timeoutMs);
              t.title = `statefulset.apps/${n.statefulSet} deleted, its pods orphaned`;
            },
          },
          {
            title: 'The garbage collector removes the ownerReferences from the pods',
            task: async (_c, t) => {
              await watch.until(
                (pods) => [...pods.values()].every(isOrphan),
                'the garbage collector to orphan the pods (is kube-controller-manager running?)',
                timeoutMs,
              );
              t.title = `${before.size} pods orphaned: no ownerReference left`;
            },
          },
          ...(victim
            ? [
                {
                  title: `Delete the orphan ${victim.pod} and watch ${formatDuration(NOT_RECREATED_WINDOW_MS)} for a re-creation`,
                  task: async (_c, t) => {
                    const gone = uidOf(before.get(victim.pod) ?? {});
                    await perform(ctx, t, {
                      kubectl: `kubectl -n ${n.namespace} delete pod ${victim.pod}`,
                      awaiting: `${victim.pod} deleted`,
                      byLab: () => lab.deletePod(victim.pod, false),
                      watch: podWatched(watch),
                      seen: () => isGoing(watch.byOrdinal().get(victim.ordinal), gone),
                    });
                    await watch.until(
                      (pods) => uidOf(pods.get(victim.ordinal) ?? {}) !== gone,
                      `${victim.pod} to be gone`,
                      timeoutMs,
                    );
                    await waitOut(NOT_RECREATED_WINDOW_MS, ctx.interrupt);
                    recreated = watch.byOrdinal().has(victim.ordinal);
                    t.title = recreated
                      ? `${victim.pod} was re-created`
                      : `${victim.pod} not re-created in ${formatDuration(NOT_RECREATED_WINDOW_MS)}`;
                  },
                } satisfies Task,
              ]
            : []),
        ],
        { progress: ctx.globals.progress },
      );
      const after = new Map([...watch.byOrdinal().values()].map((p) => [p.metadata?.name ?? '', p]));
      const rows = orphanRows(before, after);
      const deleted = victim ? { pod: victim.pod, recreated, windowMs: NOT_RECREATED_WINDOW_MS } : null;
      const verdict = orphanVerdict(rows, deleted);
      return {
        ok: verdict.result !== 'FAIL',
        data: { namespace: n.namespace, statefulSet: n.statefulSet, pods: rows, deletedPod: deleted, verdict },
        chart: phaseChart(
          'The pods while their StatefulSet was deleted (propagationPolicy Orphan)',
          watch.history,
          (i) => podName(n, i),
        ),
      };
    });
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['pod', 'uid before', 'uid now', 'owner before', 'owner now', 'ready'],
        rows: d.pods.map((r) => [
          r.pod,
          r.uidBefore.slice(0, 8),
          r.uidAfter?.slice(0, 8) ?? '<gone>',
          r.ownerBefore ?? '<none>',
          r.ownerAfter ?? '<none>',
          String(r.ready),
        ]),
      },
    ],
    notes: verdictLines(d.verdict, verdictText),
  }),
});
