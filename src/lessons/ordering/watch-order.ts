// watch-order: follow the StatefulSet's pods as the controller creates them (even when
// started before setup), then prove from the watch stream that OrderedReady held.
import type { Argv } from 'yargs';
import { phaseChart } from '../../ui/phases.ts';
import { appSelector, podName, type LabNames } from '../../lab/names.ts';
import { perform, podWatched } from '../../command-support/hands-on.ts';
import { analyseOrdering } from './judge.ts';
import { isGoing, isReady } from '../../lab/pods.ts';
import { buildTimeline, timelineJson } from '../../lab/timeline.ts';
import { timelineSection } from '../../ui/cells.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { orderingVerdict } from './judge.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { connectLab, refuseForeign } from '../../command-support/target.ts';
import { resolveNames } from '../../lab/foreign.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { labOrdinals, ordinalsText, startOrdinal } from '../../lab/ordinals.ts';
import { readyTasks } from '../../command-support/wait-ready.ts';
import { policyOf, type PodManagementPolicy } from '../../lab/manifests.ts';

interface WatchOrderOptions {
  names: LabNames;
  restart: boolean;
}

interface State {
  replicas: number;
  /** The StatefulSet's first ordinal, and the ordinals it wants. */
  start: number;
  ordinals: number[];
  policy: PodManagementPolicy;
  /** UIDs of the pods --restart deleted: their successors are what is awaited. */
  replaced: Map<number, string>;
}

export default defineCommand({
  command: 'watch-order',
  examples: [
    ['kubectl sts-lab watch-order', 'Follow the pods while you create them (kubectl apply), and judge the order'],
    ['kubectl sts-lab watch-order --restart', 'Delete the pods, follow their re-creation and judge its order'],
  ],
  describe: 'Follow the pods as the controller creates them, then prove they came up in order (0, 1, 2…)',
  builder: (y: Argv) =>
    y.option('restart', {
      type: 'boolean',
      default: false,
      describe: 'Delete the pods first, so the ordered re-creation is recorded from scratch',
    }),
  options: (a, g): WatchOrderOptions => ({ names: g.names, restart: a.restart === true }),
  async run(o, ctx) {
    const first = await connectLab(ctx, o.names);
    const timeoutMs = ctx.globals.timeoutMs;
    const state: State = { replicas: 0, start: 0, ordinals: [], policy: 'OrderedReady', replaced: new Map() };
    const sts = await first.watchStatefulSet();
    try {
      // A StatefulSet sts-lab did not make is watched by its own selector; --restart would change it.
      const existing = sts.list.current()[0];
      if (existing && o.restart) refuseForeign(o.names, existing);
      const lab = existing ? await connectLab(ctx, resolveNames(o.names, existing)) : first;
      const n = lab.names;
      // Pods are watched before anything else, so no creation is missed.
      return await withPodWatch(lab, async (pods) => {
        await runTasks<State>(
          [
            {
              title: `Wait for statefulset.apps/${n.statefulSet} in namespace ${n.namespace}`,
              task: async (_c, t) => {
                await sts.list.until(
                  () => sts.list.current().length > 0,
                  `statefulset.apps/${n.statefulSet} to exist (run kubectl sts-lab setup)`,
                  timeoutMs,
                );
                const live = sts.list.objects()[0]!;
                state.replicas = live.spec?.replicas ?? 1;
                state.start = startOrdinal(live);
                state.ordinals = labOrdinals(live);
                state.policy = policyOf(live.spec);
                t.title = `statefulset.apps/${n.statefulSet}: ${state.replicas} replicas${state.start ? ` (${ordinalsText(state.ordinals)})` : ''}, podManagementPolicy ${state.policy}`;
              },
            },
            {
              title: 'Delete the pods so the controller re-creates them',
              enabled: () => o.restart,
              task: async (_c, t) => {
                for (const [ordinal, pod] of pods.byOrdinal()) state.replaced.set(ordinal, pod.metadata?.uid ?? '');
                const gone = () => [...state.replaced].filter(([i, uid]) => isGoing(pods.byOrdinal().get(i), uid));
                await perform(ctx, t, {
                  kubectl: `kubectl -n ${n.namespace} delete pods -l ${appSelector(n)}`,
                  awaiting: `all ${state.replaced.size} pods deleted`,
                  byLab: () => lab.deletePods(),
                  watch: podWatched(pods),
                  seen: () => gone().length === state.replaced.size,
                  // A pod already re-created while others were never deleted: not a delete still going through.
                  wrong: () => {
                    const back = gone().filter(([i]) => isReady(pods.byOrdinal().get(i) ?? {}));
                    return back.length
                      ? `only ${back.map(([i]) => podName(n, i)).join(', ')} deleted: delete every pod of the StatefulSet`
                      : undefined;
                  },
                });
                t.title = `${ctx.handsOn ? t.title : `Deleted ${state.replaced.size} pods`}; the controller re-creates them`;
              },
            },
            {
              title: 'Follow each ordinal to Ready',
              task: (_c, t) =>
                t.newListr(
                  readyTasks(pods, state.ordinals, {
                    timeoutMs,
                    policy: state.policy,
                    start: state.start,
                    accept: (ordinal, pod) => isReady(pod) && pod.metadata?.uid !== state.replaced.get(ordinal),
                  }),
                  { concurrent: true },
                ),
            },
          ],
          { progress: ctx.globals.progress },
          state,
        );
        const podNameOf = (i: number) => podName(n, i);
        const result = analyseOrdering(pods.history, {
          policy: state.policy,
          start: state.start,
          podName: podNameOf,
          terminations: false,
        });
        const timeline = buildTimeline(pods.history, podNameOf).filter((r) => state.ordinals.includes(r.ordinal));
        return {
          ok: result.verdict !== 'FAIL',
          data: {
            namespace: n.namespace,
            statefulSet: n.statefulSet,
            podManagementPolicy: state.policy,
            replicas: state.replicas,
            restarted: o.restart,
            timeline: timeline.map(timelineJson),
            verdict: orderingVerdict(result),
          },
          timeline,
          chart: phaseChart(
            o.restart ? 'The pods deleted and re-created by the controller' : 'The pods as the controller created them',
            pods.history,
            podNameOf,
          ),
        };
      });
    } finally {
      sts.release();
    }
  },
  present: ({ data, timeline = [] }) => ({
    sections: [timelineSection(timeline)],
    notes: verdictLines(data.verdict, verdictText),
  }),
});
