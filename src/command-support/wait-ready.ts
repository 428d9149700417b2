// listr2 tasks that follow pods to Ready (or away), one per ordinal, driven by the pod watch.
// Each says live which pod holds it up and why, and fails as soon as waiting cannot help.
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError } from '../errors.ts';
import type { PodWatch, V1Pod } from '../k8s/index.ts';
import { stallSentence, type Stall } from '../lab/diagnosis.ts';
import { formatDuration } from '../lab/duration.ts';
import { podName } from '../lab/names.ts';
import { range } from '../lab/ordinals.ts';
import { isReady, stageOf, type PodLike } from '../lab/pods.ts';
import type { Task } from '../ui/tasks.ts';
import type { PodManagementPolicy } from '../lab/manifests.ts';

export interface ReadyWait {
  timeoutMs: number;
  /** podManagementPolicy: under OrderedReady the lowest pod that is not Ready blocks the rest. */
  policy: PodManagementPolicy;
  /** The StatefulSet's first ordinal (spec.ordinals.start): no pod below it blocks. */
  start: number;
  /** When a pod counts as arrived (default: Ready; watch-order --restart wants a new one). */
  accept?: (ordinal: number, pod: PodLike) => boolean;
}

const TITLE_DETAIL = 90;

export function readyTasks<C>(w: PodWatch, ordinals: number[], o: ReadyWait): Task<C>[] {
  const start = Date.now();
  const accept = o.accept ?? ((_i: number, pod: PodLike) => isReady(pod));
  return ordinals.map((i) => {
    const name = podName(w.names, i);
    const query = { policy: o.policy, start: o.start, wanted: [i], arrived: accept };
    const state = (stall: Stall | undefined) => {
      const pod = w.byOrdinal().get(i);
      const stage = pod ? stageOf(pod) : 'not created yet';
      if (!stall) return stage;
      if (stall.ordinal !== i) return `${stage}, waiting for ${stall.pod} (${stall.reason})`;
      // Go-style error chains put the root cause last: keep the end.
      const detail = stall.detail.length > TITLE_DETAIL ? `…${stall.detail.slice(-(TITLE_DETAIL - 1))}` : stall.detail;
      return stall.reason === stage ? stage : `${stage}: ${stall.reason}${detail ? ` (${detail})` : ''}`;
    };
    return {
      title: `${name}: waiting`,
      // The live renderer shows the title; output lines are for plain progress only.
      rendererOptions: { outputBar: false },
      task: async (_ctx, task) => {
        let shown = '';
        const show = () => {
          const now = state(w.stalls.stall(query));
          task.title = `${name}: ${now} after ${formatDuration(Date.now() - start)}`;
          // Plain progress prints output lines, not title changes: one line per state change.
          if (now !== shown) task.output = `${name}: ${now} at +${((Date.now() - start) / 1000).toFixed(1)}s`;
          shown = now;
        };
        const unsubscribe = w.changes.subscribe(show);
        show();
        try {
          await w.until(
            (pods) => {
              const pod = pods.get(i);
              if (pod && accept(i, pod)) return true;
              // One task reports a hopeless stall: the stalled pod's own task, or, when no task
              // still awaits that pod (scale-up behind an unready lower pod), the first pending one.
              const stall = w.stalls.stall(query);
              const pending = ordinals.filter((o) => !(pods.get(o) && accept(o, pods.get(o)!)));
              if (stall && (stall.ordinal === i || (!pending.includes(stall.ordinal) && i === pending[0])))
                w.stalls.check(stall);
              return false;
            },
            () => {
              const stall = w.stalls.stall(query);
              return `${name} to be Ready${stall ? `: ${stallSentence(stall)}` : ''}`;
            },
            Math.max(1, start + o.timeoutMs - Date.now()),
          );
        } finally {
          unsubscribe();
        }
        task.title = `${name}: Ready after ${formatDuration(Date.now() - start)}`;
      },
    };
  });
}

/** Follows pods until they are gone (scale-down, teardown); a timeout says what the pod was doing. */
export function goneTasks<C>(
  w: PodWatch,
  ordinals: number[],
  timeoutMs: number,
  o: Omit<ReadyWait, 'timeoutMs' | 'accept'>,
): Task<C>[] {
  const start = Date.now();
  const { policy } = o;
  // OrderedReady removes a pod only while the pods that stay are Running and Ready.
  const kept = range(o.start, Math.min(...ordinals));
  // One query for every task, so that the stall watch answers it once per change.
  const keptQuery = { policy, start: o.start, wanted: kept };
  const blocker = () => (policy === 'OrderedReady' && kept.length ? w.stalls.stall(keptQuery) : undefined);
  return ordinals.map((i) => {
    const name = podName(w.names, i);
    const why = () => {
      const pod: V1Pod | undefined = w.byOrdinal().get(i);
      if (!pod) return 'gone';
      if (pod.metadata?.deletionTimestamp) return 'it is still Terminating';
      const lower = blocker();
      return `it is ${stageOf(pod)}, not deleted yet${lower ? `; the controller waits for ${stallSentence(lower)}` : ''}`;
    };
    return {
      title: `${name}: terminating`,
      task: async (_ctx, task) => {
        await w.until(
          (pods) => {
            const pod = pods.get(i);
            if (!pod) return true;
            // A pod not even asked to go, held back by a kept pod that will not get Ready: waiting cannot help.
            if (!pod.metadata?.deletionTimestamp) w.stalls.check(blocker());
            return false;
          },
          () => `pod ${name} to be deleted (${why()})`,
          Math.max(1, start + timeoutMs - Date.now()),
        );
        task.title = `${name}: gone after ${formatDuration(Date.now() - start)}`;
      },
    };
  });
}

/** Waits out an observation window (nothing may happen in it); Ctrl-C ends it with exit 130. */
export async function waitOut(ms: number, interrupt: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal: interrupt }).catch(() => {
    throw new InterruptedError();
  });
}
