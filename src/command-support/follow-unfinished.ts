// A command run again after an interrupted one (Ctrl-C, SIGKILL, a CI job killed) first follows
// what the cluster is still doing with the lab, to its end, and only then acts and judges: a pod
// mid-replacement is waited for, not refused. Waiting is bounded by --timeout, says live which
// pod it waits for and why, and ends early when the stall diagnosis says waiting cannot help.
import type { PodWatch } from '../k8s/index.ts';
import { stallSentence } from '../lab/diagnosis.ts';
import { formatDuration } from '../lab/duration.ts';
import { inMotion, motionPlan, type MotionPlan } from '../lab/in-motion.ts';
import { HOLD_FINALIZER, isManaged, podName } from '../lab/names.ts';
import { isReady, type PodLike } from '../lab/pods.ts';
import { runTasks } from '../ui/tasks.ts';
import type { RunContext } from './command.ts';
import { withPodWatch } from './pod-watch.ts';
import { connectLab } from './target.ts';

/** What was still in motion when the command started, and how long it took to settle. */
export interface Unfinished {
  pods: { pod: string; doing: string }[];
  settledMs: number;
}

export async function followUnfinished(ctx: RunContext): Promise<Unfinished | null> {
  const lab = await connectLab(ctx, ctx.globals.names);
  const sts = await lab.findStatefulSet();
  // No lab, or not sts-lab's: the command's own check says so.
  if (!sts || !isManaged(sts.metadata?.labels)) return null;
  return withPodWatch(lab, async (watch) => {
    const name = (i: number) => podName(lab.names, i);
    let plan = motionPlan(sts, false);
    const moving = () => inMotion(watch.byOrdinal(), { ...plan, now: Date.now() }, name);
    if (!moving().length) return null;
    // Only now, with something in motion: whether a pod that cannot be placed is held by the lab's own cordon (an
    // evicted pod may still be Terminating here, and its replacement Unschedulable on that cordon a moment later).
    plan = motionPlan(sts, (await lab.labCordons().catch(() => [])).length > 0);
    const first = moving();
    if (!first.length) return null;
    const started = Date.now();
    // A pod held by the lab's finalizer is one a killed node-failure --simulate (or hold) never let go: let it go now.
    const held = [...watch.byOrdinal().values()].filter(
      (p) => p.metadata?.deletionTimestamp && p.metadata.finalizers?.includes(HOLD_FINALIZER),
    );
    for (const pod of held) await lab.releasePod(pod);
    await follow(watch, plan, moving, ctx);
    const released = new Set(held.map((p) => p.metadata?.name));
    return {
      pods: first.map(({ pod, doing }) => ({
        pod,
        doing: released.has(pod) ? `${doing}, held by the finalizer ${HOLD_FINALIZER} (removed)` : doing,
      })),
      settledMs: Date.now() - started,
    };
  });
}

async function follow(
  watch: PodWatch,
  plan: MotionPlan,
  moving: () => ReturnType<typeof inMotion>,
  ctx: RunContext,
): Promise<void> {
  const started = Date.now();
  const query = {
    policy: plan.policy,
    start: plan.start,
    wanted: plan.ordinals,
    // A Ready pod the roll-out has yet to replace is not stalled: the controller comes to it.
    arrived: (i: number, p: PodLike) => isReady(p) || !moving().some((m) => m.ordinal === i),
  };
  // Each pod once: the stall diagnosis where there is one, what the pod is doing otherwise.
  const now = () => {
    const stall = watch.stalls.stall(query);
    const still = moving().map((m) => (stall?.ordinal === m.ordinal ? stallSentence(stall) : `${m.pod} ${m.doing}`));
    return still.join('; ');
  };
  await runTasks(
    [
      {
        title: `Follow what an earlier command left in progress: ${now()}`,
        rendererOptions: { outputBar: false },
        task: async (_c, t) => {
          let shown = '';
          const show = () => {
            const state = now();
            t.title = `Follow what an earlier command left in progress: ${state} (${formatDuration(Date.now() - started)})`;
            if (state && state !== shown) t.output = `still in progress: ${state}`;
            shown = state;
          };
          const unsubscribe = watch.changes.subscribe(show);
          // A starting pod turns stuck with time alone: look again every second.
          const tick = setInterval(() => watch.changes.notify(), 1000);
          try {
            await watch.until(
              () => {
                if (!moving().length) return true;
                watch.stalls.check(watch.stalls.stall(query)); // throws once waiting cannot help
                return false;
              },
              () => `what an earlier command left in progress to finish (${now()})`,
              ctx.globals.timeoutMs,
            );
          } finally {
            clearInterval(tick);
            unsubscribe();
          }
          t.title = `What an earlier command left in progress settled after ${formatDuration(Date.now() - started)}`;
        },
      },
    ],
    { progress: ctx.globals.progress },
  );
}
