// List-then-watch caches built on client-node's ListWatch, which resumes from the last
// resourceVersion, re-lists on 410 Gone and reconnects after its 30 s inactivity abort.
// What it does not do, restart after other errors, is added here; everything stops on Ctrl-C.
import { ListWatch, Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Kube } from './client.ts';
import { httpCode } from './errors.ts';

export type ChangeType = 'add' | 'update' | 'delete';

export interface WatchSpec {
  path: string;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

export interface Watched<T extends KubernetesObject> {
  objects(): T[];
  stop(): void;
  /** Rejects with the error that made the watch give up (RBAC, a deleted namespace…). */
  readonly failed: Promise<never>;
}

const RETRY_MS = 1000;

/** managedFields (who set which field) is most of a pod's size and nothing sts-lab reads: not kept. */
function trim<T extends KubernetesObject>(o: T): T {
  if (o.metadata) delete o.metadata.managedFields;
  return o;
}

export async function watch<T extends KubernetesObject>(
  kube: Kube,
  spec: WatchSpec,
  onChange: (type: ChangeType, obj: T) => void,
): Promise<Watched<T>> {
  let rejectFailed!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  let stopped = false;
  let listed = false;
  let startError: unknown;
  const list = async () => {
    const result = await kube.get<KubernetesListObject<T>>(spec.path, { labelSelector: spec.labelSelector, fieldSelector: spec.fieldSelector });
    for (const item of result.items) trim(item);
    listed = true;
    return result;
  };
  const lw = new ListWatch<T>(spec.path, new Watch(kube.watchConfig), list, false, spec.labelSelector, spec.fieldSelector);
  lw.on('add', (o) => onChange('add', trim(o)));
  lw.on('update', (o) => onChange('update', trim(o)));
  lw.on('delete', (o) => onChange('delete', trim(o)));
  lw.on('error', (err: unknown) => {
    if (stopped) return;
    if (!listed) {
      startError = err;
      return;
    }
    const code = httpCode(err);
    if (code === 401 || code === 403) {
      stop();
      rejectFailed(kube.fail(err));
      return;
    }
    // Network blips and apiserver restarts: start over with a fresh list.
    setTimeout(() => void (stopped || lw.start().catch(() => undefined)), RETRY_MS).unref();
  });
  const stop = () => {
    stopped = true;
    void lw.stop();
  };
  kube.interrupt.addEventListener('abort', stop, { once: true });
  try {
    await lw.start();
  } catch (err) {
    startError = err;
  }
  if (!listed) {
    stop();
    throw kube.fail(startError ?? new Error(`cannot list ${spec.path}`));
  }
  return { objects: () => [...lw.list()], stop, failed };
}
