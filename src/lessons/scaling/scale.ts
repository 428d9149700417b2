// scale N: change the replica count through the scale subresource and follow the controller:
// up creates ordinals ascending, each after its predecessor is Ready; down removes the highest
// first, each gone before the next starts. Then the claims: retained or deleted per policy.
import type { Argv } from 'yargs';
import { asUsage, StallError } from '../../errors.ts';
import { phaseChart } from '../../ui/phases.ts';
import type { Stall } from '../../lab/diagnosis.ts';
import { analyseHalted } from './halted.ts';
import { claimCells, CLAIM_HEADERS, claimRows, claimsVerdict, type ClaimRow } from './claims.ts';
import { podName, type LabNames } from '../../lab/names.ts';
import { isReady } from '../../lab/pods.ts';
import { analyseOrdering } from '../ordering/judge.ts';
import { buildTimeline, timelineJson } from '../../lab/timeline.ts';
import { timelineSection } from '../../ui/cells.ts';
import { replicaCount } from '../../lab/validate.ts';
import { verdict, verdictLines, type Verdict } from '../../lab/verdict.ts';
import { orderingVerdict, type CheckJson } from '../ordering/judge.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks } from '../../ui/tasks.ts';
import { defineCommand, type Outcome, type RunContext } from '../../command-support/command.ts';
import type { Lab, PodWatch } from '../../k8s/index.ts';
import { connectLab, ownStatefulSet } from '../../command-support/target.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { perform, type TaskLine } from '../../command-support/hands-on.ts';
import { range, startOrdinal } from '../../lab/ordinals.ts';
import { goneTasks, readyTasks } from '../../command-support/wait-ready.ts';
import { policyOf, type PodManagementPolicy } from '../../lab/manifests.ts';

type TimelineJson = ReturnType<typeof timelineJson>;

type Direction = 'up' | 'down' | 'none';

/** scale's -o json. */
export interface ScaleData {
  namespace: string;
  statefulSet: string;
  from: number;
  to: number;
  changed: boolean;
  direction: Direction;
  podManagementPolicy: PodManagementPolicy;
  whenScaled: string;
  timeline: TimelineJson[];
  deletionOrder: string[];
  deletions: { pod: string; at: string }[];
  halted: { pod: string; reason: string; detail: string; hint: string | null } | null;
  /** The ordering checks, or a halted scale's. */
  verdict: Verdict<{ ok: boolean | null }>;
  claims: ClaimRow[];
  claimsVerdict: Verdict<unknown>;
}

interface ScaleOptions {
  names: LabNames;
  replicas: number;
}

export default defineCommand({
  command: 'scale <replicas>',
  examples: [
    ['kubectl sts-lab scale 5', 'Scale up to 5 and prove nginx-sts-3 is Ready before nginx-sts-4 starts'],
    ['kubectl sts-lab scale 2', 'Scale down and prove the highest ordinal goes first'],
    ['kubectl sts-lab scale 0', 'Remove every pod, highest first; the claims stay'],
  ],
  settlesFirst: true,
  describe: 'Scale the StatefulSet and prove the order: up 0→N one by one, down from the highest ordinal',
  builder: (y: Argv) => y.positional('replicas', { type: 'string', describe: 'New number of pods (0-100)' }),
  options: (a, g): ScaleOptions => ({
    names: g.names,
    replicas: asUsage(() => replicaCount('replica count', a.replicas)),
  }),
  async run(o, ctx): Promise<Outcome<ScaleData>> {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await ownStatefulSet(lab);
    const from = sts.spec?.replicas ?? 0;
    const to = o.replicas;
    const whenScaled = sts.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain';
    const policy = policyOf(sts.spec);
    const start = startOrdinal(sts);
    if (from === to) {
      const unchanged = verdict<CheckJson>(
        'N/A',
        `statefulset.apps/${n.statefulSet} already has ${to} replicas: no change`,
      );
      return {
        ok: true,
        data: {
          namespace: n.namespace,
          statefulSet: n.statefulSet,
          from,
          to,
          changed: false,
          direction: 'none',
          podManagementPolicy: policy,
          whenScaled,
          timeline: [],
          deletionOrder: [],
          deletions: [],
          halted: null,
          verdict: unchanged,
          claims: [],
          claimsVerdict: verdict('N/A', unchanged.headline),
        },
      };
    }
    const up = to > from;
    // The ordinals the controller creates (lowest first) or removes (highest first).
    const moving = up ? range(start + from, start + to) : range(start + to, start + from).reverse();
    const claimsBefore = await lab.listClaims();
    const started = Date.now();
    return withPodWatch(lab, async (pods) => {
      const unreadyAtStart = [...pods.byOrdinal()]
        .filter(([i, p]) => i < start + Math.min(from, to) && !isReady(p))
        .map(([i]) => i);
      const halted = await follow(lab, pods, o, ctx, { up, moving, start, policy, whenScaled, from, to });
      const podNameOf = (i: number) => podName(n, i);
      const history = pods.history;
      const ordering = analyseOrdering(history, { policy, start, podName: podNameOf, terminations: !up });
      const timeline = buildTimeline(history, podNameOf).filter((r) => (up ? moving.includes(r.ordinal) : true));
      const claims = claimRows(n, { start, from, to, whenScaled }, claimsBefore, await lab.listClaims());
      // Parallel promises no order, and does not wait: say so when it went on past an unready pod.
      const pastUnready =
        policy === 'Parallel' && unreadyAtStart.length
          ? [
              `Parallel does not halt: ${up ? 'created' : 'removed'} ${moving.map(podNameOf).join(', ')} while ${unreadyAtStart.map(podNameOf).join(', ')} was not Ready.`,
            ]
          : [];
      const halt =
        halted &&
        analyseHalted({
          history,
          direction: up ? 'up' : 'down',
          waiting: moving,
          stall: halted,
          policy,
          watchedMs: Date.now() - started,
          podName: podNameOf,
        });
      const ordered = orderingVerdict(
        ordering,
        up
          ? 'OrderedReady held: each new pod was created only after its predecessor was Ready'
          : 'OrderedReady held: pods terminated from the highest ordinal down, each gone before the next began',
      );
      const order = halt ?? { ...ordered, why: [...ordered.why, ...pastUnready] };
      const claimsJudged = claimsVerdict(claims, up, whenScaled, Boolean(halted));
      const gone = pods.deletions();
      return {
        ok: !halt && ordering.verdict !== 'FAIL' && claims.every((c) => c.ok),
        data: {
          namespace: n.namespace,
          statefulSet: n.statefulSet,
          from,
          to,
          changed: true,
          direction: up ? 'up' : 'down',
          podManagementPolicy: policy,
          whenScaled,
          timeline: timeline.map(timelineJson),
          deletionOrder: gone.map((c) => c.name),
          deletions: gone.map((c) => ({ pod: c.name, at: new Date(c.at).toISOString() })),
          halted: halted
            ? { pod: halted.pod, reason: halted.reason, detail: halted.detail, hint: halted.hint ?? null }
            : null,
          verdict: order,
          claims,
          claimsVerdict: claimsJudged,
        },
        timeline,
        chart: phaseChart(`Scale ${from} → ${to}${halted ? ` (halted at ${halted.pod})` : ''}`, history, podNameOf),
      };
    });
  },
  present: ({ data: d, timeline = [] }) => {
    if (!d.changed) return { sections: [], notes: [d.verdict.headline] };
    const up = d.direction === 'up';
    return {
      sections: [
        timelineSection(up ? timeline : []),
        {
          headers: ['order', 'pod', 'gone at'],
          rows: up ? [] : d.deletions.map((c, i) => [String(i + 1), c.pod, c.at]),
        },
        { headers: CLAIM_HEADERS, rows: d.halted ? [] : d.claims.map(claimCells), wide: ['pv'] },
      ],
      notes: [
        ...verdictLines(d.verdict, verdictText),
        ...(d.halted?.hint ? [`      hint: ${d.halted.hint}`] : []),
        ...verdictLines(d.claimsVerdict, verdictText),
      ],
    };
  },
});

/** What scale decided before it changed anything. */
interface ScalePlan {
  up: boolean;
  /** The ordinals the controller creates (lowest first) or removes (highest first). */
  moving: number[];
  start: number;
  policy: PodManagementPolicy;
  whenScaled: string;
  from: number;
  to: number;
}

/** Scales and follows the pods; a pod the lab keeps holding the scale up is a finding, returned. */
async function follow(
  lab: Lab,
  pods: PodWatch,
  o: ScaleOptions,
  ctx: RunContext,
  plan: ScalePlan,
): Promise<Stall | undefined> {
  const { up, moving, start, policy, whenScaled, from, to } = plan;
  const n = o.names;
  try {
    await runTasks(
      [
        {
          title: `Scale statefulset.apps/${n.statefulSet} from ${from} to ${to}`,
          task: async (_c, t) => {
            await scaling(lab, ctx, t, n, from, to);
            const timeoutMs = ctx.globals.timeoutMs;
            return t.newListr(
              up
                ? readyTasks(pods, moving, { timeoutMs, policy, start })
                : goneTasks(pods, moving, timeoutMs, { policy, start }),
              {
                concurrent: true,
              },
            );
          },
        },
        {
          title: 'Wait for the controller to delete the claims of removed pods (whenScaled: Delete)',
          enabled: () => !up && whenScaled === 'Delete',
          task: () => lab.claimsGone(moving, ctx.globals.timeoutMs),
        },
      ],
      { progress: ctx.globals.progress },
    );
  } catch (e) {
    // Held up by a pod the lab keeps (below the old count going up, below the new one going
    // down): the lesson of a halted scale, not an error. A new pod that cannot start still is.
    if (!(e instanceof StallError) || e.stall.ordinal >= start + (up ? from : to)) throw e;
    return e.stall;
  }
  return undefined;
}

/** The scale, as the lab sends it or as the learner types it: the StatefulSet's watch shows it done. */
export async function scaling(
  lab: Lab,
  ctx: RunContext,
  t: TaskLine,
  n: LabNames,
  from: number,
  to: number,
): Promise<void> {
  // Only a hands-on step needs to see the scale: the lab's own needs no watch of the StatefulSet.
  if (!ctx.handsOn) return void (await lab.scaleStatefulSet(to));
  const sts = await lab.watchStatefulSet();
  const replicas = () => sts.list.current()[0]?.spec?.replicas;
  try {
    await perform(ctx, t, {
      kubectl: `kubectl -n ${n.namespace} scale statefulset ${n.statefulSet} --replicas=${to}`,
      awaiting: `spec.replicas ${to}`,
      byLab: async () => void (await lab.scaleStatefulSet(to)),
      watch: sts.list,
      seen: () => replicas() === to,
      wrong: () => {
        const r = replicas();
        return r !== undefined && r !== from ? `replicas is ${r}, and this step scales to ${to}` : undefined;
      },
    });
  } finally {
    sts.release();
  }
}
