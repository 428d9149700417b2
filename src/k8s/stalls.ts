// The evidence behind a stall diagnosis, kept current for the waits: the StatefulSet's own
// events and the claims are watched; the events of a troubled pod or claim are listed once
// per change of that object, and a crashing container's log tail once per restart.
import type { CoreV1Event, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import { findStall, stallSentence, StallClock, type Stall } from '../lab/diagnosis.ts';
import { formatDuration } from '../lab/duration.ts';
import { appSelector, byOrdinal, type LabNames } from '../lab/names.ts';
import { condition, isReady, type PodLike } from '../lab/pods.ts';
import type { Kube } from './client.ts';
import { LiveList } from './live.ts';
import type { Changes } from './wait.ts';

interface Fetched {
  version: string;
  events: CoreV1Event[];
}

export interface StallQuery {
  policy: string;
  wanted: number[];
  arrived?: ((ordinal: number, pod: PodLike) => boolean) | undefined;
}

export class StallWatch {
  private readonly clock = new StallClock();
  private readonly fetched = new Map<string, Fetched>();
  private readonly logTails = new Map<string, string>();
  private readonly logRestarts = new Map<string, number>();
  /** Wake-ups by purpose, so each is scheduled once. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;

  private readonly kube: Kube;
  private readonly names: LabNames;
  private readonly pods: () => V1Pod[];
  private readonly changes: Changes;
  private readonly stsEvents: LiveList<CoreV1Event> | undefined;
  private readonly claims: LiveList<V1PersistentVolumeClaim> | undefined;

  private constructor(kube: Kube, names: LabNames, pods: () => V1Pod[], changes: Changes, stsEvents?: LiveList<CoreV1Event>, claims?: LiveList<V1PersistentVolumeClaim>) {
    this.kube = kube;
    this.names = names;
    this.pods = pods;
    this.changes = changes;
    this.stsEvents = stsEvents;
    this.claims = claims;
  }

  /** Starts beside a pod watch; every piece of new evidence wakes that watch's waiters. */
  static async start(kube: Kube, names: LabNames, pods: () => V1Pod[], changes: Changes): Promise<StallWatch> {
    const ns = names.namespace;
    const fieldSelector = `involvedObject.kind=StatefulSet,involvedObject.name=${names.statefulSet}`;
    const labelSelector = appSelector(names);
    // Events or claims that cannot be read (RBAC) leave the diagnosis with fewer words, not broken.
    const [stsEvents, claims] = await Promise.all([
      LiveList.start<CoreV1Event>(kube, {
        path: `/api/v1/namespaces/${ns}/events`,
        fieldSelector,
        list: (k) => k.core.listNamespacedEvent({ namespace: ns, fieldSelector }, k.requestOptions()),
      }).catch(() => undefined),
      LiveList.start<V1PersistentVolumeClaim>(kube, {
        path: `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
        labelSelector,
        list: (k) => k.core.listNamespacedPersistentVolumeClaim({ namespace: ns, labelSelector }, k.requestOptions()),
      }).catch(() => undefined),
    ]);
    const w = new StallWatch(kube, names, pods, changes, stsEvents, claims);
    for (const l of [stsEvents, claims]) if (l) w.unsubscribe.push(l.changes.subscribe(() => w.refresh()));
    w.unsubscribe.push(changes.subscribe(() => w.refresh()));
    w.refresh();
    return w;
  }

  /** The stall holding up these ordinals, with its age; throws when waiting cannot help any more. */
  check(q: StallQuery): Stall | undefined {
    const stall = this.stall(q);
    if (!stall) return undefined;
    const now = Date.now();
    const deadline = this.clock.deadline(stall, now);
    if (deadline === undefined) return stall;
    if (now >= deadline) {
      const waited = stall.graceMs ? ` (waited ${formatDuration(this.clock.age(stall, now))}: waiting longer cannot help)` : '';
      throw new CliError(`${stallSentence(stall)}${waited}`, stall.hint);
    }
    this.wakeAt(deadline, stall);
    return stall;
  }

  stall(q: StallQuery): Stall | undefined {
    return findStall({
      names: this.names,
      policy: q.policy,
      wanted: q.wanted,
      arrived: q.arrived,
      pods: byOrdinal(this.names, this.pods()),
      claims: this.claims?.objects() ?? [],
      events: [...(this.stsEvents?.objects() ?? []), ...[...this.fetched.values()].flatMap((f) => f.events)],
      logTails: this.logTails,
    });
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    for (const t of this.timers.values()) clearTimeout(t);
    this.stsEvents?.stop();
    this.claims?.stop();
  }

  /** Lists the events of every troubled pod or claim whose object changed since the last look. */
  private refresh(): void {
    if (this.stopped) return;
    for (const pod of this.pods()) {
      if (isReady(pod) || pod.metadata?.deletionTimestamp) continue;
      const uid = pod.metadata?.uid;
      if (troubled(pod)) this.fetchEvents(uid, pod.metadata?.resourceVersion);
      // A pod can sit in ContainerCreating without changing (a slow pull, a failing mount):
      // one later look at its events says which.
      else this.later(`look:${uid}`, Date.now() + LATER_LOOK_MS, () => this.stillStarting(uid) && this.fetchEvents(uid, pod.metadata?.resourceVersion, true));
      this.fetchLogTail(pod);
    }
    for (const c of this.claims?.objects() ?? []) {
      if (c.status?.phase === 'Pending') this.fetchEvents(c.metadata?.uid, c.metadata?.resourceVersion);
    }
  }

  private stillStarting(uid: string | undefined): boolean {
    const pod = this.pods().find((p) => p.metadata?.uid === uid);
    return Boolean(pod && !isReady(pod) && !pod.metadata?.deletionTimestamp);
  }

  private fetchEvents(uid: string | undefined, version: string | undefined, force = false): void {
    if (!uid || (!force && this.fetched.get(uid)?.version === version)) return;
    const entry: Fetched = { version: version ?? '', events: this.fetched.get(uid)?.events ?? [] };
    this.fetched.set(uid, entry);
    void this.kube
      .call((o) => this.kube.core.listNamespacedEvent({ namespace: this.names.namespace, fieldSelector: `involvedObject.uid=${uid}` }, o))
      .then((list) => {
        entry.events = list.items;
        if (!this.stopped) this.changes.notify();
      })
      .catch(() => undefined);
  }

  private fetchLogTail(pod: V1Pod): void {
    const status = pod.status?.containerStatuses?.[0];
    const uid = pod.metadata?.uid;
    if (!uid || !status || status.state?.waiting?.reason !== 'CrashLoopBackOff') return;
    if (this.logRestarts.get(uid) === status.restartCount) return;
    this.logRestarts.set(uid, status.restartCount);
    void this.kube
      .call((o) =>
        this.kube.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: this.names.namespace, container: status.name, previous: true, tailLines: 5 }, o),
      )
      .then((text) => {
        this.logTails.set(uid, String(text));
        if (!this.stopped) this.changes.notify();
      })
      .catch(() => undefined);
  }

  /** When a grace runs out nothing may change: fetch the freshest words then, and wake the waiters. */
  private wakeAt(deadline: number, stall: Stall): void {
    this.later(`grace:${stall.key}`, deadline, () => {
      const pod = this.pods().find((p) => p.metadata?.name === stall.pod);
      this.fetchEvents(pod?.metadata?.uid, pod?.metadata?.resourceVersion, true);
      this.changes.notify();
    });
  }

  private later(key: string, at: number, fn: () => void): void {
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => !this.stopped && fn(), Math.max(0, at - Date.now()) + 50);
    timer.unref();
    this.timers.set(key, timer);
  }
}

const LATER_LOOK_MS = 5000;

/** A pod worth reading events for now: not scheduled, a container waiting on a problem, or running unready. */
function troubled(pod: V1Pod): boolean {
  if (condition(pod, 'PodScheduled')?.status === 'False' || pod.status?.phase === 'Running') return true;
  return Boolean(pod.status?.containerStatuses?.some((c) => c.state?.waiting?.reason && c.state.waiting.reason !== 'ContainerCreating'));
}
