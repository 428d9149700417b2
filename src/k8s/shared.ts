// The lab's watched lists, shared by every command of one process. A list opens on first use
// and closes when its last user lets go, unless the session is held (a tour holds it, so its
// steps follow one watch per kind instead of listing and watching again at every step).
import type {
  CoreV1Event,
  KubernetesObject,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { appSelector, type LabNames } from '../lab/names.ts';
import type { Cluster } from './cluster.ts';
import type { WatchSpec } from './informer.ts';
import { LiveList } from './live.ts';
import { pathOf } from './paths.ts';

/** A command's use of a shared list: release() lets go of it. */
export interface Lease<T extends KubernetesObject> {
  list: LiveList<T>;
  release: () => void;
}

export class SharedList<T extends KubernetesObject> {
  private opening: Promise<LiveList<T>> | undefined;
  private open: LiveList<T> | undefined;
  private users = 0;
  private readonly kube: Cluster;
  private readonly spec: WatchSpec;
  private readonly held: () => boolean;

  constructor(kube: Cluster, spec: WatchSpec, held: () => boolean) {
    this.kube = kube;
    this.spec = spec;
    this.held = held;
  }

  async acquire(): Promise<Lease<T>> {
    this.users++;
    try {
      const list = await (this.opening ??= this.start());
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.users--;
        this.closeIfUnused();
      };
      return { list, release };
    } catch (err) {
      this.users--;
      throw err;
    }
  }

  /** What the open watch holds now (no request), or undefined when no watch is open. */
  cached(): T[] | undefined {
    return this.open?.objects();
  }

  closeIfUnused(): void {
    if (this.users > 0 || this.held() || !this.opening) return;
    const opening = this.opening;
    this.opening = this.open = undefined;
    void opening.then(
      (l) => l.stop(),
      () => undefined,
    );
  }

  private async start(): Promise<LiveList<T>> {
    try {
      const list = await LiveList.start<T>(this.kube, this.spec);
      this.open = list;
      // A watch that gave up is not served again: the next user opens a new one (and sees why).
      list.failed.catch(() => {
        if (this.open === list) this.opening = this.open = undefined;
      });
      return list;
    } catch (err) {
      this.opening = undefined;
      throw err;
    }
  }
}

export class LabLists {
  readonly pods: SharedList<V1Pod>;
  readonly claims: SharedList<V1PersistentVolumeClaim>;
  /** Every event of the namespace: the StatefulSet's, its pods' and its claims'. */
  readonly events: SharedList<CoreV1Event>;
  readonly statefulSet: SharedList<V1StatefulSet>;
  private holds = 0;

  constructor(kube: Cluster, n: LabNames) {
    const namespace = n.namespace;
    const labelSelector = appSelector(n);
    const fieldSelector = `metadata.name=${n.statefulSet}`;
    const held = () => this.holds > 0;
    const shared = <T extends KubernetesObject>(spec: WatchSpec) => new SharedList<T>(kube, spec, held);
    this.pods = shared<V1Pod>({ path: pathOf('core', 'pods', namespace), labelSelector });
    this.claims = shared<V1PersistentVolumeClaim>({
      path: pathOf('core', 'persistentvolumeclaims', namespace),
      labelSelector,
    });
    this.events = shared<CoreV1Event>({ path: pathOf('core', 'events', namespace) });
    this.statefulSet = shared<V1StatefulSet>({ path: pathOf('apps', 'statefulsets', namespace), fieldSelector });
  }

  private get all(): SharedList<KubernetesObject>[] {
    return [this.pods, this.claims, this.events, this.statefulSet] as SharedList<KubernetesObject>[];
  }

  /** Keeps every list, once opened, open until the returned function is called. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      for (const l of this.all) l.closeIfUnused();
    };
  }
}
