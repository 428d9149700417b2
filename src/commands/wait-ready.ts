// listr2 tasks that follow pods to Ready, one per ordinal, driven by the pod watch.
import type { PodWatch } from '../k8s/index.ts';
import { formatDuration } from '../lab/duration.ts';
import { podName } from '../lab/names.ts';
import { isReady, problemOf, stageOf } from '../lab/pods.ts';
import type { Task } from '../ui/tasks.ts';

export function readyTasks<C>(w: PodWatch, ordinals: number[], timeoutMs: number): Task<C>[] {
  const start = Date.now();
  return ordinals.map((i) => {
    const name = podName(w.names, i);
    return {
      title: `${name}: waiting`,
      task: async (_ctx, task) => {
        const show = () => {
          const pod = w.byOrdinal().get(i);
          const stage = pod ? stageOf(pod) : 'not created yet';
          const problem = pod && problemOf(pod);
          task.title = `${name}: ${stage}${problem ? ` (${problem})` : ''} after ${formatDuration(Date.now() - start)}`;
        };
        const unsubscribe = w.changes.subscribe(show);
        show();
        try {
          await w.until(
            (pods) => Boolean(pods.get(i) && isReady(pods.get(i)!)),
            `pod ${name} to be Ready`,
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
