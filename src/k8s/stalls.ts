// The evidence behind a stall diagnosis, kept current for the waits: the StatefulSet's own
// events and the claims are watched, and so are the events of each pod and claim that a
// wait is found stalled on (a field selector on the involved object's UID); a crashing
// container's log tail is read once per restart.
import type { CoreV1Event, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { StallError } from '../errors.ts';
import { findStall, stallSentence, StallClock, type Stall } from '../lab/diagnosis.ts';
import { formatDuration } from '../lab/duration.ts';
import { claimOf } from '../lab/identity.ts';
import { appSelector, byOrdinal, claimName, type LabNames } from '../lab/names.ts';
import type { PodLike } from '../lab/pods.ts';
import type { Kube } from './client.ts';
import { LiveList } from './live.ts';
import type { Changes } from './wait.ts';

export interface StallQuery {
  policy: string;
  /** The StatefulSet's first ordinal. */
  start: number;
  wanted: number[];
  arrived?: ((ordinal: number, pod: PodLike) => boolean) | undefined;
}

/** Event watches of stalled objects at most (a Parallel lab of 100 pods must not open 100). */
const MAX_OBJECT_WATCHES = 8;

export class StallWatch {
  private readonly clock = new StallClock();
  private readonly objectEvents = new Map<string, Promise<LiveList<CoreV1Event> | undefined>>();
  private readonly watchedEvents: LiveList<CoreV1Event>[] = [];
  private readonly logTails = new Map<string, string>();
  private readonly logRestarts = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;
  private readonly kube: Kube;
  private readonly names: LabNames;
  private readonly pods: () => V1Pod[];
  private readonly changes: Changes;
  private readonly claims: LiveList<V1PersistentVolumeClaim> | undefined;

  private constructor(kube: Kube, names: LabNames, pods: () => V1Pod[], changes: Changes, claims?: LiveList<V1PersistentVolumeClaim>) {
    this.kube = kube;
    this.names = names;
    this.pods = pods;
    this.changes = changes;
    this.claims = claims;
  }

  /** Starts beside a pod watch; every piece of new evidence wakes that watch's waiters. */
  static async start(kube: Kube, names: LabNames, pods: () => V1Pod[], changes: Changes): Promise<StallWatch> {
    const ns = names.namespace;
    const labelSelector = appSelector(names);
    // Claims or events that cannot be read (RBAC) leave the diagnosis with fewer words, not broken.
    const claims = await LiveList.start<V1PersistentVolumeClaim>(kube, {
      path: `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
      labelSelector,
      list: (k) => k.core.listNamespacedPersistentVolumeClaim({ namespace: ns, labelSelector }, k.requestOptions()),
    }).catch(() => undefined);
    const w = new StallWatch(kube, names, pods, changes, claims);
    await w.watchEvents(`involvedObject.kind=StatefulSet,involvedObject.name=${names.statefulSet}`);
    if (claims) w.unsubscribe.push(claims.changes.subscribe(() => changes.notify()));
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
      const waited = stall.graceMs ? ` (waited ${formatDuration(this.clock.age(stall, now))}: waiting longer cannot help)` : '';
      throw new StallError(`${stallSentence(stall)}${waited}`, stall);
    }
    // Nothing may change when a grace runs out: wake the waiters then.
    this.later(`grace:${stall.key}`, deadline, () => this.changes.notify());
  }

  stall(q: StallQuery): Stall | undefined {
    const pods = byOrdinal(this.names, this.pods());
    const claims = this.claims?.objects() ?? [];
    const stall = findStall({
      names: this.names,
      policy: q.policy,
      start: q.start,
      wanted: q.wanted,
      arrived: q.arrived,
      pods,
      claims,
      events: this.watchedEvents.flatMap((l) => l.objects()),
      logTails: this.logTails,
    });
    if (stall) {
      // From now on, what the kubelet, the scheduler and the provisioner say of it is followed.
      const pod = pods.get(stall.ordinal);
      const claim = claims.find((c) => c.metadata?.name === (pod ? claimOf(pod) : null) || c.metadata?.name === claimName(this.names, stall.ordinal));
      for (const uid of [pod?.metadata?.uid, claim?.status?.phase === 'Bound' ? undefined : claim?.metadata?.uid]) {
        if (uid && !this.objectEvents.has(uid) && this.objectEvents.size < MAX_OBJECT_WATCHES) this.objectEvents.set(uid, this.watchEvents(`involvedObject.uid=${uid}`));
      }
    }
    return stall;
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    for (const t of this.timers.values()) clearTimeout(t);
    for (const l of this.watchedEvents) l.stop();
    this.claims?.stop();
  }

  private async watchEvents(fieldSelector: string): Promise<LiveList<CoreV1Event> | undefined> {
    const namespace = this.names.namespace;
    const list = await LiveList.start<CoreV1Event>(this.kube, {
      path: `/api/v1/namespaces/${namespace}/events`,
      fieldSelector,
      list: (k) => k.core.listNamespacedEvent({ namespace, fieldSelector }, k.requestOptions()),
    }).catch(() => undefined);
    if (!list) return undefined;
    if (this.stopped) {
      list.stop();
      return undefined;
    }
    this.watchedEvents.push(list);
    this.unsubscribe.push(list.changes.subscribe(() => this.changes.notify()));
    this.changes.notify();
    return list;
  }

  /** A crashing container's last lines, once per restart: what it said before it died. */
  private readLogTails(): void {
    for (const pod of this.pods()) {
      const status = pod.status?.containerStatuses?.[0];
      const uid = pod.metadata?.uid;
      if (this.stopped || !uid || !status || status.state?.waiting?.reason !== 'CrashLoopBackOff') continue;
      if (this.logRestarts.get(uid) === status.restartCount) continue;
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
  }

  private later(key: string, at: number, fn: () => void): void {
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => !this.stopped && fn(), Math.max(0, at - Date.now()) + 50);
    timer.unref();
    this.timers.set(key, timer);
  }
}
