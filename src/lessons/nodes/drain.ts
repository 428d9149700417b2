// drain N: what `kubectl drain` does to the lab, proved. Cordon the node of pod N, evict the
// lab's pods there through a budget the lab owns (maxUnavailable 1), and follow each to where
// it can go: Pending on a volume pinned to the node, or Ready elsewhere with its claim and bytes.
// Other workloads' pods on the node are named and left alone. uncordon ends it.
import type { Argv } from 'yargs';
import { CliError, InterruptedError } from '../../errors.ts';
import type { EvictionAnswer, Lab, PodWatch, V1Pod } from '../../k8s/index.ts';
import { formatDuration } from '../../lab/duration.ts';
import { appSelector, budgetName, podName, type LabNames } from '../../lab/names.ts';
import { labOrdinals } from '../../lab/ordinals.ts';
import { BUDGET_PERMISSIONS, NODE_READ_PERMISSIONS, NODE_WRITE_PERMISSIONS } from '../../lab/permissions.ts';
import { isReady, stageOf, uidOf } from '../../lab/pods.ts';
import { verdictLines, type Verdict } from '../../lab/verdict.ts';
import { defineCommand, type RunContext } from '../../command-support/command.ts';
import { followUnfinished } from '../../command-support/follow-unfinished.ts';
import { pause } from '../../command-support/pause.ts';
import { withPodWatch } from '../../command-support/pod-watch.ts';
import { connectToPod, requiredOrdinal } from '../../command-support/target.ts';
import { verdictText } from '../../ui/color.ts';
import { phaseChart } from '../../ui/phases.ts';
import { runTasks } from '../../ui/tasks.ts';
import checkPersistence from '../storage/check-persistence.ts';
import { followReplacement, requireRights, volumeOf, volumeText, type VolumeFacts } from './follow.ts';
import {
  check,
  heldByVolume,
  judged,
  mostUnavailable,
  pinnedTo,
  schedulingProblem,
  statesOf,
  type Check,
} from './judge.ts';

/** kubectl drain's pause between evictions the budget refused. */
const RETRY_MS = 5000;

export interface DrainOptions {
  names: LabNames;
  ordinal: number;
  /** No cordon, no node rights: the budget's evictions alone. */
  simulate: boolean;
}

export interface Eviction {
  pod: string;
  at: string;
  accepted: boolean;
  /** The server's refusal, when there was one (429: the budget). */
  message: string | null;
}

export interface Moved {
  pod: string;
  oldUid: string;
  uid: string;
  node: string | null;
  stage: string;
  /** The scheduler's reason when it cannot place the pod. */
  scheduling: string | null;
  claim: string;
  pv: string | null;
  evictedToReadyMs: number | null;
}

export interface DrainData {
  namespace: string;
  pod: string;
  node: string;
  simulate: boolean;
  /** false: the node was cordoned already, by someone else: left as it was. */
  cordoned: boolean;
  budget: string;
  volume: VolumeFacts;
  pinned: boolean | null;
  /** Pods of other workloads on the node, left alone; null when they cannot be listed. */
  othersOnNode: string[] | null;
  evictions: Eviction[];
  /** Lab pods the budget kept on the node because an evicted one cannot be placed: kubectl drain would block. */
  heldBack: { pod: string; reason: string }[];
  /** A dry-run eviction of another lab pod: while the evicted one is not back (refused), and after. */
  probe: { pod: string; whileAway: Eviction; after: Eviction | null } | null;
  moved: Moved[];
  mostUnavailable: number;
  persistence: Verdict<never> | null;
  /** What an earlier drain (interrupted, or not undone by uncordon) left and this one removed before it began. */
  undoneFirst?: string[];
  verdict: Verdict<Check>;
}

export default defineCommand({
  command: 'drain <ordinal>',
  examples: [
    ['kubectl sts-lab drain 1', "Drain the node of nginx-sts-1 and see where the lab's pods go"],
    ['kubectl sts-lab drain 1 --simulate', 'With namespace rights only: evict nginx-sts-1 through the budget'],
    ['kubectl sts-lab uncordon', 'Afterwards: undo what the drain changed'],
  ],
  settlesFirst: true,
  describe: "Cordon the node of pod N and evict the lab's pods there through a disruption budget; see where they go",
  builder: (y: Argv) =>
    y
      .positional('ordinal', { type: 'string', describe: 'Ordinal of the pod whose node is drained' })
      .option('simulate', {
        type: 'boolean',
        default: false,
        describe: 'Namespace rights only: evict pod N through the budget, with no cordon (a simulation)',
      }),
  args: 'ordinals',
  options: (a, g): DrainOptions => ({
    names: g.names,
    ordinal: requiredOrdinal(a.ordinal),
    simulate: a.simulate === true,
  }),
  async run(o, ctx) {
    const n = o.names;
    const { lab, sts, name } = await connectToPod(ctx, n, o.ordinal);
    const undoneFirst = await undoEarlierDrain(ctx, lab, name);
    const pod = await lab.findPod(name);
    const node = pod?.spec?.nodeName;
    if (!pod || !isReady(pod) || !node)
      throw new CliError(`pod ${name} is not Ready now`, 'wait until it is (kubectl sts-lab status), then drain');
    await requireRights(lab, BUDGET_PERMISSIONS, 'evict through a disruption budget', 'ask for the edit role');
    if (!o.simulate)
      await requireRights(
        lab,
        [...NODE_READ_PERMISSIONS, ...NODE_WRITE_PERMISSIONS],
        `cordon node "${node}"`,
        `run \`kubectl sts-lab drain ${o.ordinal} --simulate\`: the budget's evictions, with no cordon`,
      );
    const [{ MANIFESTS }, { renderBudget }] = await Promise.all([
      import('../../lab/manifest-sources.ts'),
      import('../../lab/manifests.ts'),
    ]);
    const volume = await volumeOf(lab, n, o.ordinal);
    const othersOnNode = o.simulate ? [] : await others(lab, n, node);
    const timeoutMs = ctx.globals.timeoutMs;

    return withPodWatch(lab, async (watch) => {
      const targets = o.simulate
        ? [pod]
        : [...watch.byOrdinal().values()].filter((p) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp);
      const evictions: Eviction[] = [];
      const heldBack: DrainData['heldBack'] = [];
      const moved: Moved[] = [];
      let probe: DrainData['probe'] = null;
      let cordoned = false;
      const from = watch.history.length;
      try {
        await runTasks(
          [
            {
              title: `Create poddisruptionbudget.policy/${budgetName(n)} (maxUnavailable 1)`,
              task: async (_c, t) => {
                await lab.ensureBudget(renderBudget(MANIFESTS, n));
                await budgetComputed(lab, timeoutMs);
                t.title = `poddisruptionbudget.policy/${budgetName(n)}: at most 1 lab pod unavailable`;
              },
            },
            {
              title: `Cordon node ${node}`,
              skip: () => o.simulate && 'simulation: no node is touched',
              task: async (_c, t) => {
                cordoned = await lab.cordon(node);
                t.title = cordoned ? `node/${node} cordoned` : `node/${node} was cordoned already (left as it was)`;
              },
            },
            {
              title: `Evict ${targets.map((p) => p.metadata?.name).join(', ')} through the Eviction API`,
              task: async (_c, t) => {
                await Promise.all(
                  targets.map(async (p) => {
                    const evicted = await evictUntilAccepted(
                      lab,
                      p,
                      evictions,
                      {
                        timeoutMs,
                        interrupt: ctx.interrupt,
                        stuck: () => heldByScheduler(watch, p),
                        blockers: () => notReadyOthers(watch, p),
                      },
                      (e) => {
                        t.output = `${e.pod}: refused (${notReadyOthers(watch, p)}), retrying every ${RETRY_MS / 1000}s: ${e.message}`;
                      },
                    );
                    if (!evicted.accepted) heldBack.push({ pod: evicted.pod, reason: heldByScheduler(watch, p) ?? '' });
                    probe ??= await probeAnother(lab, watch, node, p, evicted);
                  }),
                );
              },
            },
            ...targets.map((p) => ({
              title: `${p.metadata?.name}: evicted → re-created → Ready, or held by the scheduler`,
              skip: () => {
                const held = heldBack.find((h) => h.pod === p.metadata?.name);
                return held ? `${held.pod} stays on ${node}: the budget refuses it while ${held.reason}` : false;
              },
              task: async (_c: unknown, t: { title: string }) => {
                const m = await follow(watch, n, p, evictions, timeoutMs);
                const { claim, pv } = await volumeOf(lab, n, ordinalOfPod(watch, p));
                moved.push({ ...m, claim, pv });
                t.title = movedTitle(m);
              },
            })),
            {
              title: 'Ask the budget again (dry run) now that the evicted pods are settled',
              skip: () => !probe && 'no other lab pod to ask about',
              task: async (_c, t) => {
                if (!probe) return;
                const ready = [...watch.byOrdinal().values()].filter((p) => isReady(p)).length;
                await budgetCounts(lab, ready, Math.min(timeoutMs, BUDGET_LAG_MS));
                probe.after = await dryRun(lab, probe.pod);
                t.title = `eviction of ${probe.pod} (dry run) ${probe.after.accepted ? 'allowed' : `refused: ${probe.after.message}`}`;
              },
            },
          ],
          { progress: ctx.globals.progress },
        );
      } catch (err) {
        // A drain that stops half-way leaves no cordon or budget behind (Ctrl-C included).
        const undone = await lab.undoDisruptions(err instanceof InterruptedError).catch(() => []);
        if (err instanceof CliError && !(err instanceof InterruptedError) && undone.length)
          throw new CliError(err.message, `${err.hint ? `${err.hint}; ` : ''}undone: ${undone.join(', ')}`);
        throw err;
      }
      const persistence = await bytesHeld(lab, ctx, n, o.ordinal, moved);
      const ordinals = labOrdinals(sts);
      // The whole stream builds the state (pods seen before the drain count as they were); the drain's part is judged.
      const most = mostUnavailable(statesOf(watch.history).slice(from), ordinals);
      const pinned = volume.nodes === null ? null : pinnedTo(volume.nodes, node);
      const facts: Omit<DrainData, 'verdict'> = {
        namespace: n.namespace,
        pod: name,
        node,
        simulate: o.simulate,
        cordoned,
        budget: budgetName(n),
        volume,
        pinned,
        othersOnNode,
        evictions,
        heldBack,
        probe,
        moved,
        mostUnavailable: most,
        persistence,
      };
      const data: DrainData = {
        ...facts,
        ...(undoneFirst.length ? { undoneFirst } : {}),
        verdict: drainVerdict(facts),
      };
      return {
        ok: data.verdict.result !== 'FAIL',
        data,
        chart: phaseChart(`${name}: node ${node} drained`, watch.history, (i) => podName(n, i)),
        remarks: [
          ...(undoneFirst.length ? [`Undone first what an earlier drain left: ${undoneFirst.join(', ')}.`] : []),
          ...(o.simulate
            ? []
            : [`node/${node} stays cordoned: \`kubectl sts-lab uncordon\` puts it back and removes the budget.`]),
        ],
      };
    });
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['pod', 'old uid', 'new uid', 'node', 'state', 'claim', 'pv', 'evicted → Ready'],
        wide: ['old uid', 'claim', 'pv'],
        // The scheduler's reason is in the verdict; -o wide shows it here too.
        short: { state: (s) => s.split(':')[0]! },
        rows: d.moved.map((m) => [
          m.pod,
          m.oldUid.slice(0, 8),
          m.uid.slice(0, 8),
          m.node ?? '-',
          m.scheduling ? `${m.stage}: ${m.scheduling}` : m.stage,
          m.claim,
          m.pv ?? '-',
          m.evictedToReadyMs === null ? '-' : formatDuration(m.evictedToReadyMs),
        ]),
      },
      ...(d.heldBack.length
        ? [{ headers: ['pod', 'left on the node because'], rows: d.heldBack.map((h) => [h.pod, h.reason]) }]
        : []),
      {
        headers: ['check', 'expected', 'observed', 'result'],
        rows: d.verdict.checks.map((c) => [c.check, c.expected, c.observed, c.result]),
      },
    ],
    notes: [
      `volume of ${d.pod}: ${volumeText(d.volume)}; other workloads on ${d.node}: ${othersText(d.othersOnNode)}`,
      ...verdictLines(d.verdict, verdictText),
    ],
  }),
});

const othersText = (o: string[] | null) =>
  o === null ? 'cannot be listed (list pods, all namespaces)' : o.length ? `${o.join(', ')} (left alone)` : 'none';

/** Pods on the node that are not this lab's: drain names them and leaves them. */
async function others(lab: Lab, n: LabNames, node: string): Promise<string[] | null> {
  const [key, value] = appSelector(n).split('=');
  const pods = await lab.podsOnNode(node);
  return pods === undefined
    ? null
    : pods
        .filter((p) => !(p.metadata?.namespace === n.namespace && p.metadata.labels?.[key!] === value))
        .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
}

/** Waits until the disruption controller has computed the budget: before that every eviction is refused. */
async function budgetComputed(lab: Lab, timeoutMs: number): Promise<void> {
  const live = await lab.watchBudget();
  try {
    await live.until(
      () =>
        live
          .current()
          .some((b) => (b.status?.observedGeneration ?? 0) >= (b.metadata?.generation ?? 1) && b.status?.expectedPods),
      'the disruption controller (kube-controller-manager) to compute the budget',
      Math.min(timeoutMs, 60_000),
    );
  } finally {
    live.stop();
  }
}

/** How long the disruption controller may take to count a pod that came back Ready (it is usually under a second). */
const BUDGET_LAG_MS = 30_000;

/**
 * Until the budget counts as many healthy pods as are Ready now: the disruption controller lags the pods, and a
 * dry run asked before it caught up is refused for a pod that is back. Past the bound the dry run is asked anyway,
 * and its answer judged as it is.
 */
async function budgetCounts(lab: Lab, ready: number, timeoutMs: number): Promise<void> {
  const live = await lab.watchBudget();
  try {
    await live.until(
      () => live.current().some((b) => (b.status?.currentHealthy ?? 0) >= ready),
      `the disruption controller to count the ${ready} Ready lab pods as healthy`,
      timeoutMs,
    );
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
  } finally {
    live.stop();
  }
}

const answer = (pod: string, a: EvictionAnswer): Eviction => ({
  pod,
  at: new Date().toISOString(),
  accepted: a.accepted,
  message: a.accepted ? null : a.message,
});

const dryRun = async (lab: Lab, pod: string) => answer(pod, await lab.evict(pod, true));

interface Retry {
  timeoutMs: number;
  interrupt: AbortSignal;
  /** Why retrying is pointless now (an evicted pod the scheduler cannot place), if it is. */
  stuck: () => string | undefined;
  /** The lab pods that spend the budget now, in words. */
  blockers: () => string;
}

/**
 * Evicts as kubectl drain does: a refusal (429) is retried every 5 s until the budget allows it.
 * Where kubectl drain would block until uncordon (the pod that spends the budget is pinned to
 * the cordoned node), it stops and returns the refusal.
 */
async function evictUntilAccepted(
  lab: Lab,
  pod: V1Pod,
  log: Eviction[],
  { timeoutMs, interrupt, stuck, blockers }: Retry,
  onRefused: (e: Eviction) => void,
): Promise<Eviction> {
  const name = pod.metadata?.name ?? '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = answer(name, await lab.evict(name, false));
    log.push(e);
    if (e.accepted || stuck()) return e;
    if (Date.now() + RETRY_MS > deadline)
      throw new CliError(
        `the eviction of ${name} was still refused after ${formatDuration(timeoutMs)}: ${e.message}`,
        `the budget allows one lab pod unavailable at a time, and ${blockers()} (kubectl sts-lab status)`,
      );
    onRefused(e);
    await pause(RETRY_MS, interrupt);
  }
}

/**
 * A drain run again finds the pod it asks for held Pending by the cordon of an earlier drain (killed before it could
 * undo it, or never uncordoned): that drain's cordon and budget are removed, as its Ctrl-C would have, and the pod
 * is followed back to Ready, so that this drain starts from the lab as setup left it and is judged whole.
 */
async function undoEarlierDrain(ctx: RunContext, lab: Lab, name: string): Promise<string[]> {
  const pod = await lab.findPod(name);
  if ((pod && isReady(pod)) || !(await lab.labCordons().catch(() => [])).length) return [];
  const undone = await lab.undoDisruptions();
  await followUnfinished(ctx);
  return undone;
}

/** The other lab pods that are not Ready now: what the budget counts against an eviction. */
function notReadyOthers(watch: PodWatch, p: V1Pod): string {
  const names = [...watch.byOrdinal().values()]
    .filter((x) => x.metadata?.name !== p.metadata?.name && !isReady(x))
    .map((x) => `${x.metadata?.name} is not Ready (${stageOf(x)})`);
  return names.length ? names.join(', ') : 'no other lab pod is unavailable';
}

/** Another lab pod the scheduler cannot place because its volume is pinned elsewhere, in words. */
function heldByScheduler(watch: PodWatch, p: V1Pod): string | undefined {
  for (const other of watch.byOrdinal().values()) {
    const why = schedulingProblem(other);
    if (other.metadata?.name !== p.metadata?.name && heldByVolume(why))
      return `${other.metadata?.name} cannot be placed (${why})`;
  }
  return undefined;
}

/** A dry-run eviction of another Ready lab pod right after a real one: the budget should refuse it now. */
async function probeAnother(
  lab: Lab,
  watch: PodWatch,
  node: string,
  evicted: V1Pod,
  e: Eviction,
): Promise<DrainData['probe']> {
  const other = [...watch.byOrdinal().values()].find(
    (p) => uidOf(p) !== uidOf(evicted) && p.spec?.nodeName !== node && isReady(p),
  );
  if (!other || !e.accepted) return null;
  return { pod: other.metadata?.name ?? '', whileAway: await dryRun(lab, other.metadata?.name ?? ''), after: null };
}

const ordinalOfPod = (watch: PodWatch, p: V1Pod): number =>
  [...watch.byOrdinal().entries()].find(([, x]) => x.metadata?.name === p.metadata?.name)?.[0] ??
  Number((p.metadata?.name ?? '').split('-').pop());

async function follow(
  watch: PodWatch,
  n: LabNames,
  p: V1Pod,
  evictions: Eviction[],
  timeoutMs: number,
): Promise<Omit<Moved, 'claim' | 'pv'>> {
  const ordinal = ordinalOfPod(watch, p);
  const fresh = await followReplacement(watch, n, ordinal, uidOf(p), timeoutMs);
  const evictedAt = Date.parse(evictions.find((e) => e.pod === p.metadata?.name && e.accepted)?.at ?? '');
  const readyAt = watch.history.find((c) => c.uid === uidOf(fresh) && c.stage === 'Ready')?.at;
  return {
    pod: podName(n, ordinal),
    oldUid: uidOf(p),
    uid: uidOf(fresh),
    node: fresh.spec?.nodeName ?? null,
    stage: isReady(fresh) ? 'Ready' : stageOf(fresh),
    scheduling: schedulingProblem(fresh),
    evictedToReadyMs: readyAt && evictedAt ? readyAt - evictedAt : null,
  };
}

const movedTitle = (m: Omit<Moved, 'claim' | 'pv'>) =>
  m.stage === 'Ready'
    ? `${m.pod}: Ready on ${m.node} after ${formatDuration(m.evictedToReadyMs ?? 0)}`
    : `${m.pod}: ${m.stage}: ${m.scheduling ?? 'not scheduled'}`;

/** The bytes written to the evicted pod, read back where it runs now (only once it is Ready). */
async function bytesHeld(
  lab: Lab,
  ctx: Parameters<typeof checkPersistence.run>[1],
  n: LabNames,
  ordinal: number,
  moved: Moved[],
): Promise<Verdict<never> | null> {
  const m = moved.find((x) => x.pod === podName(n, ordinal));
  if (!m || m.stage !== 'Ready') return null;
  if (!(await lab.readJournal()).some((e) => e.ordinal === ordinal)) return null;
  return (await checkPersistence.run({ names: n, ordinals: [ordinal] }, ctx)).data.verdict;
}

/** Judged from what the watch, the Eviction API and the claims said. */
export function drainVerdict(d: Omit<DrainData, 'verdict'>): Verdict<Check> {
  const { node, simulate, pinned, evictions, probe, moved, persistence } = d;
  const most = d.mostUnavailable;
  const refused = evictions.filter((e) => !e.accepted);
  const checks: Check[] = [
    check('budget held', 'at most 1 lab pod unavailable at once', `${most} at most`, most <= 1),
    check(
      'a second eviction waits',
      'refused (429) while the evicted pod is not back',
      probe ? (probe.whileAway.accepted ? 'allowed' : `refused: ${probe.whileAway.message}`) : 'no other Ready lab pod',
      probe ? !probe.whileAway.accepted : null,
    ),
  ];
  for (const m of moved) {
    const away = m.node !== node && m.stage === 'Ready';
    if (simulate)
      checks.push(check(`${m.pod} re-created`, 'Ready again', `${m.stage} on ${m.node}`, m.stage === 'Ready'));
    else if (pinned === true)
      checks.push(
        check(
          `${m.pod} kept by its volume`,
          `Pending: the volume is pinned to ${node}`,
          m.scheduling ? `${m.stage}: ${m.scheduling}` : `${m.stage} on ${m.node}`,
          m.stage !== 'Ready' && heldByVolume(m.scheduling),
        ),
      );
    else
      checks.push(
        check(
          `${m.pod} moved`,
          `Ready on a node other than ${node}`,
          m.scheduling ? `${m.stage}: ${m.scheduling}` : `${m.stage} on ${m.node}`,
          pinned === null ? (m.stage === 'Ready' ? m.node !== node : null) : away,
        ),
      );
    const volumeBefore = m.pod === d.pod ? d.volume.pv : m.pv;
    checks.push(
      check(
        `${m.pod} claim`,
        `${m.claim} → ${volumeBefore ?? 'its volume'}`,
        `${m.claim} → ${m.pv ?? '-'}`,
        m.pv !== null && m.pv === volumeBefore,
      ),
    );
  }
  if (probe?.after)
    checks.push(
      check(
        'the budget follows readiness',
        moved.every((m) => m.stage === 'Ready')
          ? 'allowed again once the pod is Ready'
          : 'still refused while it is Pending',
        probe.after.accepted ? 'allowed' : 'refused',
        probe.after.accepted === moved.every((m) => m.stage === 'Ready'),
      ),
    );
  if (persistence)
    checks.push(check('same bytes', 'what write-data wrote', persistence.headline, persistence.result === 'PASS'));
  const held = d.heldBack.map((h) => h.pod).join(', ');
  const where = simulate
    ? 'No node was touched: this is a simulation of drain’s share of the work, the budget’s evictions.'
    : pinned
      ? `The volume is pinned to ${node}: the re-created pod waits there until \`kubectl sts-lab uncordon\`${held ? `, and the budget keeps ${held} on the node (kubectl drain would block)` : ''}.`
      : 'The volume is not pinned to the node: the re-created pod took its claim to another node.';
  return judged(
    {
      pass: `${simulate ? 'Simulated drain (evictions only, no cordon)' : 'Drain'} respected the budget: ${moved.map((m) => `${m.pod} ${m.stage === 'Ready' ? `Ready on ${m.node}` : m.stage}`).join(', ')}`,
      fail: `${simulate ? 'Simulated drain' : 'Drain'} of ${node} did not keep the StatefulSet's promises`,
    },
    [
      `An eviction asks the budget first (${refused.length ? `${refused.length} refused and retried` : 'none refused'}); a plain delete would not. The controller re-creates the same name on the same claim.`,
      where,
    ],
    checks,
  );
}
