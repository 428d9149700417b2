// update: change the pod template (a lab-owned annotation by default, or --image) with a
// RollingUpdate partition, follow the roll-out with a watch, and prove its order from the
// watch and the pods' controller-revision-hash labels.
import type { Argv } from 'yargs';
import { asUsage, CliError } from '../errors.ts';
import type { PodWatch, V1StatefulSet } from '../k8s/index.ts';
import { podName, type LabNames } from '../lab/names.ts';
import { isReady, type PodLike } from '../lab/pods.ts';
import { analyseRollout, revisionOf, type RolloutRow } from '../lab/rollout.ts';
import { iso, relative } from '../lab/timeline.ts';
import { image, replicaCount } from '../lab/validate.ts';
import { verdictLines } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import { runTasks } from '../ui/tasks.ts';
import { defineCommand } from '../command-support/command.ts';
import { connectLab, ownStatefulSet } from '../command-support/target.ts';
import { readyTasks } from '../command-support/wait-ready.ts';

interface UpdateOptions {
  names: LabNames;
  image?: string | undefined;
  partition: number;
}


export default defineCommand({
  command: 'update',
  describe: 'Change the pod template and prove the rolling update: highest ordinal first, one at a time, partition respected',
  builder: (y: Argv) =>
    y
      .option('image', { type: 'string', describe: 'New container image (default: bump the sts-lab/updated-at annotation, no pull needed)' })
      .option('partition', { type: 'string', default: '0', describe: 'Only ordinals at or above this move (replicas - 1 is a canary)' }),
  options: (a): UpdateOptions =>
    asUsage(() => ({
      names: a.names as LabNames,
      image: a.image === undefined ? undefined : image(String(a.image)),
      partition: replicaCount('--partition', a.partition),
    })),
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await ownStatefulSet(lab);
    const replicas = sts.spec?.replicas ?? 0;
    if (sts.spec?.updateStrategy?.type === 'OnDelete') throw new CliError(`statefulset.apps/${n.statefulSet} uses updateStrategy OnDelete: the controller replaces no pod by itself`);
    const timeoutMs = ctx.globals.timeoutMs;
    const policy = sts.spec?.podManagementPolicy ?? 'OrderedReady';
    // A staged roll-out (a canary, say) is continued by lowering its partition, not by a new template.
    const staged = !o.image && Boolean(sts.status?.updateRevision) && sts.status?.updateRevision !== sts.status?.currentRevision;
    let watch: PodWatch | undefined;
    let before = new Map<number, PodLike>();
    let updateRevision = '';
    let patched: V1StatefulSet | undefined;
    try {
      await runTasks(
        [
          {
            title: staged
              ? `Continue the staged roll-out of statefulset.apps/${n.statefulSet}: partition ${o.partition}`
              : `Change the pod template of statefulset.apps/${n.statefulSet} (${o.image ? `image ${o.image}` : 'annotation sts-lab/updated-at'}), partition ${o.partition}`,
            task: async (_c, t) => {
              watch = await lab.watchPods();
              before = new Map(watch.byOrdinal());
              const notReady = [...before.entries()].filter(([i, p]) => i < replicas && !isReady(p));
              if (notReady.length) throw new CliError(`${notReady.map(([i]) => podName(n, i)).join(', ')} not Ready: an update now would mix a stuck pod into the proof`, 'kubectl sts-lab status');
              patched = await lab.patchTemplate(sts, { image: o.image, partition: o.partition, stamp: new Date().toISOString(), partitionOnly: staged });
              updateRevision = await lab.updateRevision(patched.metadata?.generation ?? 0, timeoutMs);
              t.title = `statefulset.apps/${n.statefulSet}: new revision ${updateRevision}, partition ${o.partition}`;
            },
          },
          {
            title: 'Follow the roll-out, highest ordinal first',
            task: (_c, t) => {
              const moving = [...Array(replicas).keys()].filter((i) => i >= o.partition && revisionOf(before.get(i) ?? {}) !== updateRevision).reverse();
              if (!moving.length) return t.skip(`every pod at or above partition ${o.partition} already runs ${updateRevision}`);
              const accept = (_i: number, pod: PodLike) => isReady(pod) && revisionOf(pod) === updateRevision;
              return t.newListr(readyTasks(watch!, moving, { timeoutMs, policy, accept }), { concurrent: true });
            },
          },
        ],
        { progress: ctx.globals.progress },
      );
    } finally {
      watch?.stop();
    }
    const { rows, verdict } = analyseRollout({
      history: watch!.history, before, after: watch!.byOrdinal(), replicas, partition: o.partition, updateRevision, podName: (i) => podName(n, i),
    });
    const t0 = Math.min(...rows.flatMap((r) => [r.terminating, r.gone, r.created, r.ready]).filter((t): t is number => t !== null));
    return {
      ok: verdict.result !== 'FAIL',
      data: {
        namespace: n.namespace,
        statefulSet: n.statefulSet,
        partition: o.partition,
        image: o.image ?? null,
        continued: staged,
        currentRevision: sts.status?.currentRevision ?? null,
        updateRevision,
        pods: rows.map((r: RolloutRow) => ({ ...r, terminating: iso(r.terminating), gone: iso(r.gone), created: iso(r.created), ready: iso(r.ready) })),
        verdict,
      },
      sections: [
        {
          headers: ['ordinal', 'pod', 'old revision', 'terminating', 'gone', 'new created', 'ready', 'revision now'],
          rows: rows.map((r) => [String(r.ordinal), r.pod, r.oldRevision ?? '<none>', relative(r.terminating, t0), relative(r.gone, t0), relative(r.created, t0), relative(r.ready, t0), r.newRevision ?? '<none>']),
        },
      ],
      notes: verdictLines(verdict, verdictText),
    };
  },
});
