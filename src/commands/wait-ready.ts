// listr2 tasks that follow pods to Ready, one per ordinal, driven by the pod watch.
import type { PodWatch, V1Pod } from '../k8s/index.ts';
import { formatDuration } from '../lab/duration.ts';
import { podName } from '../lab/names.ts';
import { CliError } from '../errors.ts';
import { hopelessReason, isReady, problemOf, stageOf } from '../lab/pods.ts';
import type { Task } from '../ui/tasks.ts';

/** accept: when a pod counts as arrived (default: Ready; watch-order --restart wants a new one). */
export function readyTasks<C>(
  w: PodWatch,
  ordinals: number[],
  timeoutMs: number,
  accept: (ordinal: number, pod: V1Pod) => boolean = (_o, pod) => isReady(pod),
): Task<C>[] {
  const start = Date.now();
  return ordinals.map((i) => {
    const name = podName(w.names, i);
    return {
      title: `${name}: waiting`,
      task: async (_ctx, task) => {
        let shown = '';
        const state = () => {
          const pod = w.byOrdinal().get(i);
          const problem = pod && problemOf(pod);
          return `${pod ? stageOf(pod) : 'not created yet'}${problem ? ` (${problem})` : ''}`;
        };
        const show = () => {
          const now = state();
          task.title = `${name}: ${now} after ${formatDuration(Date.now() - start)}`;
          // Plain progress prints output lines, not title changes: one line per stage change.
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
              const hopeless = pod && hopelessReason(pod);
              if (hopeless) throw new CliError(`pod ${name} cannot become Ready: ${hopeless}`, `kubectl describe pod ${name} -n ${w.names.namespace}`);
              return false;
            },
            () => `pod ${name} to be Ready (it is ${state()})`,
            Math.max(1, start + timeoutMs - Date.now()),
          );
        } finally {
          unsubscribe();
        }
        show();
      },
    };
  });
}

/** Follows pods until they are gone (scale-down, teardown). */
export function goneTasks<C>(w: PodWatch, ordinals: number[], timeoutMs: number): Task<C>[] {
  const start = Date.now();
  return ordinals.map((i) => {
    const name = podName(w.names, i);
    return {
      title: `${name}: terminating`,
      task: async (_ctx, task) => {
        await w.until((pods) => !pods.has(i), `pod ${name} to be deleted`, Math.max(1, start + timeoutMs - Date.now()));
        task.title = `${name}: gone after ${formatDuration(Date.now() - start)}`;
      },
    };
  });
}
