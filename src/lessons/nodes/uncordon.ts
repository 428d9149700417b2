// uncordon: ends a drain (or a node-failure run cut short). Puts back every node the lab
// cordoned or tainted, removes its budget and any hold finalizer, waits for the lab's pods to be
// Ready (a pod held by its pinned volume starts on its node again) and proves nothing of the
// lab's is left on the cluster.
import { formatDuration } from '../../lab/duration.ts';
import { CORDONED_FOR_ANNOTATION, labMark, podName, TAINTED_FOR_ANNOTATION, type LabNames } from '../../lab/names.ts';
import { labOrdinals } from '../../lab/ordinals.ts';
import { isReady } from '../../lab/pods.ts';
import { verdictLines, type Verdict } from '../../lab/verdict.ts';
import { defineCommand } from '../../command-support/command.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { connectLab, ownStatefulSet } from '../../command-support/target.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import checkPersistence from '../storage/check-persistence.ts';
import { check, judged, type Check } from './judge.ts';

export interface UncordonData {
  namespace: string;
  /** What was found of the lab's and removed, in kubectl's words. */
  undone: string[];
  /** Nodes that still carry the lab's mark afterwards (null: nodes cannot be listed). */
  leftOnNodes: string[] | null;
  pods: { pod: string; node: string | null; ready: boolean }[];
  readyAfterMs: number;
  persistence: Verdict<never> | null;
  verdict: Verdict<Check>;
}

export default defineCommand({
  command: 'uncordon',
  examples: [
    ['kubectl sts-lab uncordon', 'Uncordon and untaint what the lab changed, and see the pods come back'],
    ['kubectl sts-lab uncordon -o json', 'The same, for a script'],
  ],
  describe: 'End a drain: uncordon and untaint what the lab changed, remove its budget, and see the pods come back',
  options: (_a, g): { names: LabNames } => ({ names: g.names }),
  async run(o, ctx) {
    const n = o.names;
    const lab = await connectLab(ctx, n);
    const sts = await ownStatefulSet(lab);
    const ordinals = labOrdinals(sts);
    const t0 = Date.now();
    let undone: string[] = [];
    return withPodWatch(lab, async (watch) => {
      await runTasks(
        [
          {
            title: "Remove the lab's cordons, taints, budget and finalizers",
            task: async (_c, t) => {
              undone = await lab.undoDisruptions();
              t.title = undone.length ? undone.join('; ') : "nothing of the lab's to undo";
            },
          },
          {
            title: `Wait for ${ordinals.map((i) => podName(n, i)).join(', ')} to be Ready`,
            task: async (_c, t) => {
              await watch.until(
                (pods) => ordinals.every((i) => isReady(pods.get(i) ?? {})),
                () =>
                  `the lab's pods to be Ready (not yet: ${ordinals
                    .filter((i) => !isReady(watch.byOrdinal().get(i) ?? {}))
                    .map((i) => podName(n, i))
                    .join(', ')})`,
                ctx.globals.timeoutMs,
              );
              t.title = `every lab pod Ready after ${formatDuration(Date.now() - t0)}`;
            },
          },
        ],
        { progress: ctx.globals.progress },
      );
      const nodes = await lab.listNodes();
      const marks = [CORDONED_FOR_ANNOTATION, TAINTED_FOR_ANNOTATION];
      const leftOnNodes =
        nodes === undefined
          ? null
          : nodes
              .filter((x) => marks.some((m) => x.metadata?.annotations?.[m] === labMark(n)))
              .map((x) => x.metadata?.name ?? '');
      const pods = ordinals.map((i) => {
        const p = watch.byOrdinal().get(i);
        return { pod: podName(n, i), node: p?.spec?.nodeName ?? null, ready: isReady(p ?? {}) };
      });
      const journaled = (await lab.readJournal()).map((e) => e.ordinal).filter((i) => ordinals.includes(i));
      const persistence = journaled.length
        ? (await checkPersistence.run({ names: n, ordinals: journaled }, ctx)).data.verdict
        : null;
      const checks = [
        check(
          'nothing of the lab left on nodes',
          'no cordon or taint of the lab',
          leftOnNodes === null ? 'nodes cannot be listed' : leftOnNodes.join(', ') || 'none',
          leftOnNodes === null ? null : leftOnNodes.length === 0,
        ),
        check(
          'pods Ready',
          'every lab pod Ready',
          pods
            .filter((p) => !p.ready)
            .map((p) => p.pod)
            .join(', ') || 'all Ready',
          pods.every((p) => p.ready),
        ),
        ...(persistence
          ? [check('data holds', 'what write-data wrote', persistence.headline, persistence.result === 'PASS')]
          : []),
      ];
      const verdict = judged(
        {
          pass: 'The lab is whole again: nodes put back, budget removed, every pod Ready',
          fail: 'The lab is not whole again',
        },
        [
          'A pod held by a volume pinned to a cordoned node starts there again once it is schedulable, on the same claim.',
        ],
        checks,
      );
      const data: UncordonData = {
        namespace: n.namespace,
        undone,
        leftOnNodes,
        pods,
        readyAfterMs: Date.now() - t0,
        persistence,
        verdict,
      };
      return { ok: verdict.result !== 'FAIL', data };
    });
  },
  present: ({ data: d }) => ({
    sections: [
      { headers: ['pod', 'node', 'ready'], rows: d.pods.map((p) => [p.pod, p.node ?? '-', String(p.ready)]) },
      {
        headers: ['check', 'expected', 'observed', 'result'],
        rows: d.verdict.checks.map((c) => [c.check, c.expected, c.observed, c.result]),
      },
    ],
    notes: verdictLines(d.verdict, verdictText),
  }),
});
