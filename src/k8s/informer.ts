// Caches of a watched list. Where the API server serves watch-lists (1.34 and later, with an etcd
// that has RequestWatchProgress) one request lists and goes on watching (watch-list.ts); elsewhere
// client-node's ListWatch lists, then watches. Both resume from the last resourceVersion and list
// again on 410 Gone; ListWatch also reconnects after its 30 s inactivity abort. What neither does,
// restart after other errors, is added here; everything stops on Ctrl-C.
import { ListWatch, Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Kube } from './client.ts';
import type { ChangeType, WatchSpec, Watched } from './cluster.ts';
import { httpCode } from './errors.ts';
import { WatchList, WatchListRefused } from './watch-list.ts';

export type { ChangeType, WatchSpec, Watched } from './cluster.ts';

/** What follow() needs of ListWatch and of WatchList. */
interface Cache<T> {
  on(verb: 'add' | 'update' | 'delete', cb: (obj: T) => void): void;
  on(verb: 'error', cb: (err: unknown) => void): void;
  start(): Promise<void>;
  stop(): unknown;
  list(): Iterable<T>;
}

const RETRY_MS = 1000;

/**
 * Per Kube, whether its server serves watch-lists. The first watch finds out, and the ones opened
 * meanwhile wait for its answer: a server that refuses costs one request per process, not one per list.
 */
const servesWatchList = new WeakMap<Kube, Promise<boolean>>();

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
  const known = servesWatchList.get(kube);
  if (known === undefined || (await known)) {
    let learn: ((serves: boolean) => void) | undefined;
    if (known === undefined) servesWatchList.set(kube, new Promise((resolve) => (learn = resolve)));
    try {
      const stream = new WatchList<T>(kube, spec);
      const watched = await follow(kube, spec, stream, () => stream.listed, onChange);
      learn?.(true);
      return watched;
    } catch (err) {
      const refused = err instanceof WatchListRefused;
      if (refused && err.answered) servesWatchList.set(kube, Promise.resolve(false));
      else if (learn) servesWatchList.delete(kube); // no answer (the network, Ctrl-C): the next watch asks again
      learn?.(false);
      if (!refused) throw err;
    }
  }
  let listed = false;
  const list = async () => {
    const result = await kube.get<KubernetesListObject<T>>(spec.path, {
      labelSelector: spec.labelSelector,
      fieldSelector: spec.fieldSelector,
    });
    for (const item of result.items) trim(item);
    listed = true;
    return result;
  };
  const lw = new ListWatch<T>(
    spec.path,
    new Watch(kube.watchConfig),
    list,
    false,
    spec.labelSelector,
    spec.fieldSelector,
  );
  return follow(kube, spec, lw, () => listed, onChange);
}

/**
 * Starts the cache and keeps it going; a WatchListRefused comes back as it is, for the caller to list and watch
 * instead.
 */
async function follow<T extends KubernetesObject>(
  kube: Kube,
  spec: WatchSpec,
  cache: Cache<T>,
  listed: () => boolean,
  onChange: (type: ChangeType, obj: T) => void,
): Promise<Watched<T>> {
  let rejectFailed!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  let stopped = false;
  let startError: unknown;
  // Trimmed in place: the cache keeps the very object it passes on.
  cache.on('add', (o) => onChange('add', trim(o)));
  cache.on('update', (o) => onChange('update', trim(o)));
  cache.on('delete', (o) => onChange('delete', trim(o)));
  cache.on('error', (err: unknown) => {
    if (stopped) return;
    if (!listed()) {
      startError = err;
      return;
    }
    const code = httpCode(err);
    if (code === 401 || code === 403) {
      stop();
      rejectFailed(kube.fail(err));
      return;
    }
    // Network blips and apiserver restarts: watch again from the last resourceVersion.
    setTimeout(() => void (stopped || cache.start().catch(() => undefined)), RETRY_MS).unref();
  });
  const stop = () => {
    stopped = true;
    void cache.stop();
  };
  kube.interrupt.addEventListener('abort', stop, { once: true });
  try {
    await cache.start();
  } catch (err) {
    startError = err;
  }
  if (!listed()) {
    stop();
    if (startError instanceof WatchListRefused && !kube.interrupt.aborted) throw startError;
    throw kube.fail(startError ?? new Error(`cannot list ${spec.path}`));
  }
  return { objects: () => [...cache.list()], stop, failed };
}
