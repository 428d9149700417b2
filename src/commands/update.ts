// update: change the pod template (a lab-owned annotation by default, or --image) with a
// RollingUpdate partition, follow the roll-out with a watch, and prove its order from the
// watch and the pods' controller-revision-hash labels.
import type { Argv } from 'yargs';
import { setTimeout as sleep } from 'node:timers/promises';
import { asUsage, CliError, InterruptedError, UsageError } from '../errors.ts';
import type { PodWatch } from '../k8s/index.ts';
import { podName, type LabNames } from '../lab/names.ts';
import { isReady, type PodLike } from '../lab/pods.ts';
import { analyseOnDelete, analyseRollout, revisionOf, type RolloutRow } from '../lab/rollout.ts';
import { iso, relative } from '../lab/timeline.ts';
import { image, replicaCount } from '../lab/validate.ts';
import { verdictLines } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import { runTasks } from '../ui/tasks.ts';
import { defineCommand } from '../command-support/command.ts';
import { connectLab, ownStatefulSet } from '../command-support/target.ts';
import { readyTasks } from '../command-support/wait-ready.ts';

/** How long OnDelete is watched for a pod the controller replaces by itself (it never should). */
const ON_DELETE_WINDOW_MS = 10_000;

interface UpdateOptions {
  names: LabNames;
  image?: string | undefined;
  partition: number;
}


export default defineCommand({
  command: 'update',
  describe: 'Change the pod template and prove the roll-out: highest ordinal first, one at a time, partition respected (OnDelete: nothing moves)',
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
    const onDelete = sts.spec?.updateStrategy?.type === 'OnDelete';
    if (onDelete && o.partition) throw new UsageError('--partition is for RollingUpdate: this StatefulSet uses updateStrategy OnDelete');
    const timeoutMs = ctx.globals.timeoutMs;
    const policy = sts.spec?.podManagementPolicy ?? 'OrderedReady';
    // A staged roll-out (a canary, say) is continued by lowering its partition, not by a new template.
    const staged = !onDelete && !o.image && Boolean(sts.status?.updateRevision) && sts.status?.updateRevision !== sts.status?.currentRevision;
    let watch: PodWatch | undefined;
    let before = new Map<number, PodLike>();
    let updateRevision = '';
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
              const patched = await lab.patchTemplate(sts, { image: o.image, partition: o.partition, stamp: new Date().toISOString(), partitionOnly: staged, onDelete });
              updateRevision = await lab.updateRevision(patched.metadata?.generation ?? 0, timeoutMs);
              t.title = `statefulset.apps/${n.statefulSet}: new revision ${updateRevision}, partition ${o.partition}`;
            },
          },
          {
            title: `OnDelete: watch ${ON_DELETE_WINDOW_MS / 1000}s for any pod the controller replaces by itself`,
            enabled: () => onDelete,
            task: async (_c, t) => {
              await sleep(ON_DELETE_WINDOW_MS, undefined, { signal: ctx.interrupt }).catch(() => {
                throw new InterruptedError();
              });
              t.title = `OnDelete: watched ${ON_DELETE_WINDOW_MS / 1000}s`;
            },
          },
          {
            title: 'Follow the roll-out, highest ordinal first',
            enabled: () => !onDelete,
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
    const input = { history: watch!.history, before, after: watch!.byOrdinal(), replicas, partition: o.partition, updateRevision, podName: (i: number) => podName(n, i) };
    const { rows, verdict } = onDelete ? analyseOnDelete(input, ON_DELETE_WINDOW_MS) : analyseRollout(input);
    const t0 = Math.min(Date.now(), ...rows.flatMap((r) => [r.terminating, r.gone, r.created, r.ready]).filter((t): t is number => t !== null));
    return {
      ok: verdict.result !== 'FAIL',
      data: {
        namespace: n.namespace,
        statefulSet: n.statefulSet,
        strategy: onDelete ? 'OnDelete' : 'RollingUpdate',
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
