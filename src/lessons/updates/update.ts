// update: change the pod template (a lab-owned annotation by default, or --image) with a
// RollingUpdate partition, follow the roll-out with a watch, and prove its order from the
// watch and the pods' controller-revision-hash labels.
import type { Argv } from 'yargs';
import { asUsage, CliError, StallError, UsageError } from '../../errors.ts';

import { phaseChart } from '../../ui/phases.ts';
import { podName, type LabNames } from '../../lab/names.ts';
import { isReady, type PodLike } from '../../lab/pods.ts';
import { effectiveMaxUnavailable } from './availability.ts';
import type { Stall } from '../../lab/diagnosis.ts';
import { labOrdinals, startOrdinal } from '../../lab/ordinals.ts';
import {
  analyseOnDelete,
  analyseRollout,
  firstMoving,
  maxUnavailableDropped,
  revisionOf,
  type RolloutRow,
} from './rollout.ts';
import { analyseStalled } from './stalled-rollout.ts';
import { iso } from '../../lab/timeline.ts';
import { instant, relative } from '../../ui/cells.ts';
import { image, maxUnavailable, replicaCount } from '../../lab/validate.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand, type RunContext } from '../../command-support/command.ts';
import { connectLab, ownStatefulSet } from '../../command-support/target.ts';
import { changeTemplate } from './template-change.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { readyTasks, waitOut } from '../../command-support/wait-ready.ts';
import { policyOf, type PodManagementPolicy } from '../../lab/manifests.ts';
import type { Lab, PodWatch, V1StatefulSet } from '../../k8s/index.ts';
import { shortRevision } from '../../ui/table.ts';

/** How long OnDelete is watched for a pod the controller replaces by itself (it never should). */
const ON_DELETE_WINDOW_MS = 10_000;

export interface UpdateOptions {
  names: LabNames;
  image?: string | undefined;
  partition: number;
  maxUnavailable?: number | string | undefined;
  breakReadiness: boolean;
}

export default defineCommand({
  command: 'update',
  examples: [
    ['kubectl sts-lab update', 'Change the template and prove the roll-out: highest ordinal first, one at a time'],
    ['kubectl sts-lab update --partition 2', 'A canary: only the pods from ordinal 2 up move'],
    ['kubectl sts-lab update --break', 'A readiness probe that never passes: watch the roll-out stall'],
  ],
  settlesFirst: true,
  describe:
    'Change the pod template and prove the roll-out: highest ordinal first, one at a time, partition respected (OnDelete: nothing moves)',
  builder: (y: Argv) =>
    y
      .option('image', {
        type: 'string',
        describe: 'New container image (default: bump the sts-lab/updated-at annotation, no pull needed)',
      })
      .option('partition', {
        type: 'string',
        default: '0',
        describe: 'Only pods from this index up move, counted from the first ordinal (replicas - 1 is a canary)',
      })
      .option('break', {
        type: 'boolean',
        default: false,
        describe: 'A template whose readiness probe never passes: watch the roll-out stall (then: rollback)',
      })
      .option('max-unavailable', {
        type: 'string',
        describe: 'Let the controller replace up to N pods (or N%) at once (feature gate MaxUnavailableStatefulSet)',
      }),
  options: (a, g): UpdateOptions =>
    asUsage(() => ({
      names: g.names,
      image: a.image === undefined ? undefined : image(String(a.image)),
      partition: replicaCount('--partition', a.partition),
      breakReadiness: a.break === true,
      maxUnavailable: a['max-unavailable'] === undefined ? undefined : maxUnavailable(a['max-unavailable']),
    })),
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await ownStatefulSet(lab);
    const replicas = sts.spec?.replicas ?? 0;
    const start = startOrdinal(sts);
    const ordinals = labOrdinals(sts);
    const onDelete = sts.spec?.updateStrategy?.type === 'OnDelete';
    if (onDelete && (o.partition || o.maxUnavailable !== undefined)) {
      throw new UsageError(
        `${o.partition ? '--partition' : '--max-unavailable'} is for RollingUpdate: this StatefulSet uses updateStrategy OnDelete`,
      );
    }
    const policy = policyOf(sts.spec);
    // A staged roll-out (a canary, say) is continued by lowering its partition, not by a new template.
    // The pods tell, not status.currentRevision: the controller updates that a moment after the last pod is Ready.
    const pending = sts.status?.updateRevision;
    const staged =
      !onDelete &&
      !o.image &&
      !o.breakReadiness &&
      Boolean(pending) &&
      (await lab.listPods()).some((p) => revisionOf(p) !== pending);
    return withPodWatch(lab, async (watch) => {
      const before = new Map<number, PodLike>(watch.byOrdinal());
      const { updateRevision, keptMaxUnavailable, stalled } = await rollOut(lab, watch, sts, o, ctx, {
        ordinals,
        start,
        policy,
        onDelete,
        staged,
        before,
      });
      const effective = effectiveMaxUnavailable(keptMaxUnavailable, replicas);
      const input = {
        history: watch.history,
        before,
        after: watch.byOrdinal(),
        start,
        replicas,
        partition: o.partition,
        updateRevision,
        maxUnavailable: effective,
        podName: (i: number) => podName(n, i),
      };
      const analysis = onDelete
        ? { ...analyseOnDelete(input, ON_DELETE_WINDOW_MS), peak: undefined }
        : stalled
          ? analyseStalled(input, stalled, Date.now())
          : analyseRollout(input);
      // Servers with the gate default the field to 1: kept means the value asked for came back.
      const dropped = o.maxUnavailable !== undefined && keptMaxUnavailable !== o.maxUnavailable;
      const verdict = dropped
        ? maxUnavailableDropped(analysis.verdict, o.maxUnavailable!, await lab.serverVersion())
        : analysis.verdict;
      return {
        ok: verdict.result !== 'FAIL',
        data: {
          namespace: n.namespace,
          statefulSet: n.statefulSet,
          strategy: onDelete ? ('OnDelete' as const) : ('RollingUpdate' as const),
          partition: o.partition,
          maxUnavailable: {
            requested: o.maxUnavailable ?? null,
            onServer: keptMaxUnavailable ?? null,
            effective,
            peakUnavailable: analysis.peak?.count ?? null,
          },
          image: o.image ?? null,
          continued: staged,
          stalled: stalled ? { pod: stalled.pod, reason: stalled.reason, detail: stalled.detail } : null,
          currentRevision: sts.status?.currentRevision ?? null,
          updateRevision,
          pods: analysis.rows.map((r: RolloutRow) => ({
            ...r,
            terminating: iso(r.terminating),
            gone: iso(r.gone),
            created: iso(r.created),
            ready: iso(r.ready),
          })),
          verdict,
        },
        chart: phaseChart(
          `${onDelete ? 'OnDelete: the template changed' : 'Rolling update'} to revision ${updateRevision}${stalled ? ` (stalled at ${stalled.pod})` : ''}`,
          watch.history,
          (i) => podName(n, i),
        ),
      };
    });
  },
  present: ({ data: d }) => {
    const t0 = Math.min(
      Date.now(),
      ...d.pods
        .flatMap((r) => [r.terminating, r.gone, r.created, r.ready].map(instant))
        .filter((t): t is number => t !== null),
    );
    return {
      sections: [
        {
          headers: ['ordinal', 'pod', 'rev before', 'terminating', 'gone', 'created', 'ready', 'rev now'],
          wide: ['ordinal'],
          short: { 'rev before': shortRevision, 'rev now': shortRevision },
          rows: d.pods.map((r) => [
            String(r.ordinal),
            r.pod,
            r.oldRevision ?? '<none>',
            relative(instant(r.terminating), t0),
            relative(instant(r.gone), t0),
            relative(instant(r.created), t0),
            relative(instant(r.ready), t0),
            r.newRevision ?? '<none>',
          ]),
        },
      ],
      notes: verdictLines(d.verdict, verdictText),
    };
  },
});

/** What update decided before it changed anything. */
interface RollPlan {
  ordinals: number[];
  start: number;
  policy: PodManagementPolicy;
  onDelete: boolean;
  staged: boolean;
  /** The pods as the watch opened. */
  before: ReadonlyMap<number, PodLike>;
}

/** Changes the template (or the partition) and follows the roll-out; a stall is a finding, returned. */
async function rollOut(
  lab: Lab,
  watch: PodWatch,
  sts: V1StatefulSet,
  o: UpdateOptions,
  ctx: RunContext,
  plan: RollPlan,
) {
  const { ordinals, start, policy, onDelete, staged, before } = plan;
  const n = o.names;
  const timeoutMs = ctx.globals.timeoutMs;
  let updateRevision = '';
  let keptMaxUnavailable: number | string | undefined;
  let stalled: Stall | undefined;
  try {
    await runTasks(
      [
        {
          title: staged
            ? `Continue the staged roll-out of statefulset.apps/${n.statefulSet}: partition ${o.partition}`
            : `Change the pod template of statefulset.apps/${n.statefulSet} (${[o.image && `image ${o.image}`, o.breakReadiness && 'a readiness probe that never passes'].filter(Boolean).join(', ') || 'annotation sts-lab/updated-at'}), partition ${o.partition}`,
          task: async (_c, t) => {
            const notReady = [...before.entries()].filter(([i, p]) => ordinals.includes(i) && !isReady(p));
            if (notReady.length)
              throw new CliError(
                `${notReady.map(([i]) => podName(n, i)).join(', ')} not Ready: an update now would mix a stuck pod into the proof`,
                'after a stalled update: kubectl sts-lab rollback; otherwise kubectl sts-lab status',
              );
            const change = {
              image: o.image,
              partition: o.partition,
              maxUnavailable: o.maxUnavailable,
              stamp: new Date().toISOString(),
              breakReadiness: o.breakReadiness,
              partitionOnly: staged,
              onDelete,
            };
            const patched = await changeTemplate(lab, ctx, t, sts, change, n);
            // Read back: a server without the feature gate drops the field without a word.
            keptMaxUnavailable = patched.spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
            updateRevision = await lab.updateRevision(patched.metadata?.generation ?? 0, timeoutMs);
            t.title = `statefulset.apps/${n.statefulSet}: new revision ${updateRevision}, partition ${o.partition}`;
          },
        },
        {
          title: `OnDelete: watch ${ON_DELETE_WINDOW_MS / 1000}s for any pod the controller replaces by itself`,
          enabled: () => onDelete,
          task: async (_c, t) => {
            await waitOut(ON_DELETE_WINDOW_MS, ctx.interrupt);
            t.title = `OnDelete: watched ${ON_DELETE_WINDOW_MS / 1000}s`;
          },
        },
        {
          title: 'Follow the roll-out, highest ordinal first',
          enabled: () => !onDelete,
          task: (_c, t) => {
            const moving = ordinals
              .filter(
                (i) =>
                  i >= firstMoving({ start, partition: o.partition }) &&
                  revisionOf(before.get(i) ?? {}) !== updateRevision,
              )
              .reverse();
            if (!moving.length)
              return t.skip(`every pod at or above partition ${o.partition} already runs ${updateRevision}`);
            const accept = (_i: number, pod: PodLike) => isReady(pod) && revisionOf(pod) === updateRevision;
            return t.newListr(readyTasks(watch, moving, { timeoutMs, policy, start, accept }), {
              concurrent: true,
            });
          },
        },
      ],
      { progress: ctx.globals.progress },
    );
  } catch (e) {
    // A roll-out that cannot finish is this command's finding, not its failure.
    if (!(e instanceof StallError) || onDelete || !updateRevision) throw e;
    stalled = e.stall;
  }
  return { updateRevision, keptMaxUnavailable, stalled };
}
