// The pod watch a command follows: opened for the command's body and always closed after it.
import type { Lab, PodWatch } from '../k8s/index.ts';

export async function withPodWatch<T>(lab: Lab, body: (watch: PodWatch) => Promise<T>): Promise<T> {
  const watch = await lab.watchPods();
  try {
    return await body(watch);
  } finally {
    watch.stop();
  }
}
