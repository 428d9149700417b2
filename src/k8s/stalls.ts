// The evidence behind a stall diagnosis, kept current for the waits: the namespace's events
// (the StatefulSet's, its pods' and claims') and the claims, from the lab's shared watches;
// a crashing container's log tail is read once per restart.
import type { CoreV1Event, KubernetesObject, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { StallError } from '../errors.ts';
import { findStall, stallSentence, StallClock, type Stall } from '../lab/diagnosis.ts';
import { formatDuration } from '../lab/duration.ts';
import type { LabNames } from '../lab/names.ts';
import type { PodLike } from '../lab/pods.ts';
import type { Cluster } from './cluster.ts';
import type { LiveList } from './live.ts';
import { pathOf } from './paths.ts';
import type { LabLists, Lease } from './shared.ts';
import type { Changes } from './wait.ts';
import type { PodManagementPolicy } from '../lab/manifests.ts';

export interface StallQuery {
  policy: PodManagementPolicy;
  /** The StatefulSet's first ordinal. */
  start: number;
  wanted: number[];
  arrived?: ((ordinal: number, pod: PodLike) => boolean) | undefined;
}

/** The pods a stall is judged on: the pod watch's index, and a version that changes with it. */
export interface PodSource {
  byOrdinal(): ReadonlyMap<number, V1Pod>;
  readonly version: number;
}

export class StallWatch {
  private readonly clock = new StallClock();
  private readonly leases: Lease<KubernetesObject>[] = [];
  private readonly logTails = new Map<string, string>();
  private readonly logRestarts = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;
  private readonly kube: Cluster;
  private readonly names: LabNames;
  private readonly pods: PodSource;
  private logVersion = 0;
  /** The last answer per query (a wait's tasks ask at every change), valid while the evidence is unchanged. */
  private readonly answers = new WeakMap<StallQuery, { evidence: string; stall: Stall | undefined }>();
  private readonly changes: Changes;
  private claims: LiveList<V1PersistentVolumeClaim> | undefined;
  private events: LiveList<CoreV1Event> | undefined;

  private constructor(kube: Cluster, names: LabNames, pods: PodSource, changes: Changes) {
    this.kube = kube;
    this.names = names;
    this.pods = pods;
    this.changes = changes;
  }

  /** Starts beside a pod watch; every piece of new evidence wakes that watch's waiters. */
  static async start(
    kube: Cluster,
    lists: LabLists,
    names: LabNames,
    pods: PodSource,
    changes: Changes,
  ): Promise<StallWatch> {
    const w = new StallWatch(kube, names, pods, changes);
    // Claims or events that cannot be read (RBAC) leave the diagnosis with fewer words, not broken.
    const [claims, events] = await Promise.all([
      lists.claims.acquire().catch(() => undefined),
      lists.events.acquire().catch(() => undefined),
    ]);
    w.claims = claims?.list;
    w.events = events?.list;
    for (const lease of [claims, events]) {
      if (!lease) continue;
      w.leases.push(lease as Lease<KubernetesObject>);
      w.unsubscribe.push(lease.list.changes.subscribe(() => changes.notify()));
    }
    w.unsubscribe.push(changes.subscribe(() => w.readLogTails()));
    return w;
  }

  /** Throws once waiting past this stall cannot help any more; until then, wakes the waiters when it will be. */
  check(stall: Stall | undefined): void {
    if (!stall) return;
    const now = Date.now();
    const deadline = this.clock.deadline(stall, now);
    if (deadline === undefined) return;
    if (now >= deadline) {
      const waited = stall.graceMs
        ? ` (waited ${formatDuration(this.clock.age(stall, now))}: waiting longer cannot help)`
        : '';
      throw new StallError(`${stallSentence(stall)}${waited}`, stall);
    }
    // Nothing may change when a grace runs out: wake the waiters then.
    this.later(`grace:${stall.key}`, deadline, () => this.changes.notify());
  }

  stall(q: StallQuery): Stall | undefined {
    const evidence = `${this.pods.version} ${this.claims?.version} ${this.events?.version} ${this.logVersion}`;
    const known = this.answers.get(q);
    if (known?.evidence === evidence) return known.stall;
    const stall = findStall({
      names: this.names,
      policy: q.policy,
      start: q.start,
      wanted: q.wanted,
      arrived: q.arrived,
      pods: this.pods.byOrdinal(),
      claims: this.claims?.current() ?? [],
      events: this.events?.current() ?? [],
      logTails: this.logTails,
    });
    this.answers.set(q, { evidence, stall });
    return stall;
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    for (const t of this.timers.values()) clearTimeout(t);
    for (const lease of this.leases) lease.release();
  }

  /** A crashing container's last lines, once per restart: what it said before it died. */
  private readLogTails(): void {
    for (const pod of this.pods.byOrdinal().values()) {
      const status = pod.status?.containerStatuses?.[0];
      const uid = pod.metadata?.uid;
      if (this.stopped || !uid || !status || status.state?.waiting?.reason !== 'CrashLoopBackOff') continue;
      if (this.logRestarts.get(uid) === status.restartCount) continue;
      this.logRestarts.set(uid, status.restartCount);
      void this.kube
        .text(pathOf('core', 'pods', this.names.namespace, pod.metadata!.name, 'log'), {
          container: status.name,
          previous: true,
          tailLines: 5,
        })
        .then((text) => {
          this.logTails.set(uid, text);
          this.logVersion++;
          if (!this.stopped) this.changes.notify();
        })
        .catch(() => undefined);
    }
  }

  private later(key: string, at: number, fn: () => void): void {
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => !this.stopped && fn(), Math.max(0, at - Date.now()) + 50);
    timer.unref();
    this.timers.set(key, timer);
  }
}
