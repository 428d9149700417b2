// A watched list with bounded, Ctrl-C-aware waits on it; any number of listeners may follow
// its changes (a shared list serves every command of a tour).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Cluster } from './cluster.ts';
import type { ChangeType, Watched, WatchSpec } from './cluster.ts';
import { Changes } from './wait.ts';

type Listener<T> = (type: ChangeType, obj: T) => void;

export class LiveList<T extends KubernetesObject> {
  readonly changes = new Changes();
  private handle!: Watched<T>;
  private readonly kube: Cluster;
  private readonly listeners = new Set<Listener<T>>();
  private changeCount = 0;
  private snapshot: { version: number; objects: readonly T[] } | undefined;

  private constructor(kube: Cluster) {
    this.kube = kube;
  }

  static async start<T extends KubernetesObject>(kube: Cluster, spec: WatchSpec): Promise<LiveList<T>> {
    const l = new LiveList<T>(kube);
    l.handle = await kube.watch<T>(spec, (type, obj) => {
      l.changeCount++;
      for (const listener of [...l.listeners]) listener(type, obj);
      l.changes.notify();
    });
    return l;
  }

  /** Calls cb with every change from now on, until the returned function is called. */
  onChange(cb: Listener<T>): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Counts the changes seen: what is computed from objects() holds while it stays the same. */
  get version(): number {
    return this.changeCount;
  }

  /** A copy of the objects, the caller's to keep or change; waits read current(). */
  objects(): T[] {
    return this.handle.objects();
  }

  /** The objects as of the last change, one array shared by every reader until the next: not to be changed. */
  current(): readonly T[] {
    if (this.snapshot?.version !== this.changeCount)
      this.snapshot = { version: this.changeCount, objects: this.handle.objects() };
    return this.snapshot.objects;
  }

  /** Rejects once the watch gave up (RBAC, a deleted namespace…). */
  get failed(): Promise<never> {
    return this.handle.failed;
  }

  until(cond: () => boolean, what: string | (() => string), timeoutMs: number): Promise<void> {
    return this.changes.until(cond, { timeoutMs, interrupt: this.kube.interrupt, what, failed: this.handle.failed });
  }

  stop(): void {
    this.handle.stop();
  }
}
