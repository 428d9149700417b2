// Why a lab is not progressing, read from API objects alone: the pod that blocks, the reason
// the API gives for it in the API's own words, and how long waiting may still help.
import { claimName, podName, type LabNames } from './names.ts';
import { condition, isReady, toDate, type PodLike } from './pods.ts';
import type { ClaimLike } from './pod-rows.ts';
import { UNREADY_FILE } from './readiness.ts';
import type { PodManagementPolicy } from './manifests.ts';

export interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject: { kind?: string; name?: string; uid?: string };
  firstTimestamp?: Date | string;
  lastTimestamp?: Date | string;
  eventTime?: Date | string;
  series?: { count?: number; lastObservedTime?: Date | string };
  metadata?: { creationTimestamp?: Date | string };
}

export interface Stall {
  pod: string;
  ordinal: number;
  /** What the pod is not: "is not Ready", "cannot be created". */
  state: string;
  /** Short reason for the live task line: ImagePullBackOff, FailedCreate, claim Pending… */
  reason: string;
  /** The API's own words. */
  detail: string;
  hint?: string | undefined;
  /** How long this condition may last before waiting cannot help; undefined: until --timeout. */
  graceMs?: number | undefined;
  /** The same key across snapshots means the same condition, so its age can be measured. */
  key: string;
}

export interface LabSnapshot {
  names: LabNames;
  policy: PodManagementPolicy;
  /** The StatefulSet's first ordinal (spec.ordinals.start). */
  start: number;
  /** The ordinals a wait is for. */
  wanted: number[];
  pods: ReadonlyMap<number, PodLike & { spec?: PodSpecLike }>;
  claims: readonly ClaimLike[];
  /** Events of the StatefulSet, the pods and the claims (any order). */
  events: readonly EventLike[];
  /** Last lines of a crashing container's log, by pod UID. */
  logTails?: Map<string, string> | undefined;
  /** When a wanted pod counts as arrived (default: Ready). */
  arrived?: ((ordinal: number, pod: PodLike) => boolean) | undefined;
}

interface PodSpecLike {
  nodeName?: string;
  containers?: { image?: string }[];
  volumes?: { name?: string; persistentVolumeClaim?: { claimName?: string } }[];
}

/** Image pulls are retried with back-off (10 s, 20 s, 40 s…): after this long, several attempts failed. */
export const PULL_GRACE_MS = 45_000;
export const UNSCHEDULABLE_GRACE_MS = 30_000;
export const CLAIM_GRACE_MS = 30_000;
/**
 * Before a claim no provisioner has taken up counts as "no provisioner": one that runs may be
 * minutes behind (local-path makes one volume at a time, and other namespaces' claims queue first).
 */
export const NO_PROVISIONER_GRACE_MS = 120_000;
const CONTAINER_ERROR_GRACE_MS = 15_000;
/** A readiness probe failing this long on a running container (the lab's probe passes in seconds). */
export const PROBE_GRACE_MS = 30_000;
const CRASH_RESTARTS = 3;

/** The pod that holds the wait up, and why; undefined when every wanted pod has arrived. */
export function findStall(s: LabSnapshot): Stall | undefined {
  const arrived = (o: number) => {
    const pod = s.pods.get(o);
    if (!pod) return false;
    return s.wanted.includes(o) && s.arrived ? s.arrived(o, pod) : isReady(pod);
  };
  const pending = s.wanted.filter((o) => !arrived(o));
  if (!pending.length) return undefined;
  if (s.policy === 'Parallel') {
    const stalls = pending.map((o) => podStall(s, o));
    return stalls.find((x) => x.graceMs !== undefined) ?? stalls[0];
  }
  // OrderedReady: the controller creates nothing above the lowest pod that is not Ready.
  const highest = Math.max(...pending);
  for (let o = s.start; o <= highest; o++) if (!arrived(o)) return podStall(s, o);
  return undefined;
}

function podStall(s: LabSnapshot, ordinal: number): Stall {
  const name = podName(s.names, ordinal);
  const pod = s.pods.get(ordinal);
  const base = { pod: name, ordinal };
  const replaced = pod && s.wanted.includes(ordinal) && s.arrived && isReady(pod);
  if (!pod || replaced || pod.metadata?.deletionTimestamp) {
    const failed = currentFailedCreate(s, name);
    if (failed)
      return {
        ...base,
        state: 'cannot be created',
        reason: 'FailedCreate',
        detail: failed.message ?? '',
        ...createFailure(failed.message ?? '', s.names),
        key: `create:${name}:${failed.message}`,
      };
    if (pod?.metadata?.deletionTimestamp) {
      return {
        ...base,
        state: 'is not Ready',
        reason: 'Terminating',
        detail: `the old ${name} is still shutting down; the controller re-creates it once it is gone`,
        key: `term:${pod.metadata.uid}`,
      };
    }
    if (replaced)
      return {
        ...base,
        state: 'is not Ready',
        reason: 'Ready',
        detail: 'the old pod is still there',
        key: `old:${pod.metadata?.uid}`,
      };
    return {
      ...base,
      state: 'is not Ready',
      reason: 'not created yet',
      detail: 'the StatefulSet controller has not created it yet',
      key: `absent:${name}`,
    };
  }
  const uid = pod.metadata?.uid ?? '';
  const events = eventsOf(s.events, uid);
  const key = (k: string) => `${k}:${uid}`;
  const container = containerProblem(pod);
  if (container) {
    const { reason, message, restarts, exit } = container;
    if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff') {
      const pulls = latest(events, (e) => e.reason === 'Failed' && /^Failed to pull image/.test(e.message ?? ''));
      const image = pod.spec?.containers?.[0]?.image;
      return {
        ...base,
        state: 'is not Ready',
        reason,
        detail: pulls?.message ?? message ?? 'the image cannot be pulled',
        graceMs: PULL_GRACE_MS,
        key: key('pull'),
        hint: `this cluster's nodes cannot pull ${image ? `"${image}"` : 'the image'}: pass --image with an image they can pull`,
      };
    }
    if (reason === 'InvalidImageName' || reason === 'ErrImageNeverPull') {
      return {
        ...base,
        state: 'is not Ready',
        reason,
        detail: message ?? '',
        graceMs: 0,
        key: key('image'),
        hint: 'pass --image with an image reference this cluster can use',
      };
    }
    if (reason === 'CrashLoopBackOff') {
      const tail = s.logTails?.get(uid)?.trim();
      const detail = `restarted ${restarts} times${exit ? `, last exit: ${exit}` : ''}${tail ? `; last log lines: ${tail.split('\n').slice(-5).join(' | ')}` : ''}`;
      return {
        ...base,
        state: 'is not Ready',
        reason,
        detail,
        graceMs: restarts >= CRASH_RESTARTS ? 0 : undefined,
        key: key('crash'),
        hint: `kubectl logs ${name} -n ${s.names.namespace} --previous`,
      };
    }
    return {
      ...base,
      state: 'is not Ready',
      reason,
      detail: message ?? '',
      graceMs: CONTAINER_ERROR_GRACE_MS,
      key: key(reason),
      hint: `kubectl describe pod ${name} -n ${s.names.namespace}`,
    };
  }
  const claim = claimStall(s, pod, ordinal);
  if (claim) return { ...base, ...claim };
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    const msg =
      (scheduled as { message?: string }).message ??
      latest(events, (e) => e.reason === 'FailedScheduling')?.message ??
      '';
    return {
      ...base,
      state: 'is not Ready',
      reason: 'Unschedulable',
      detail: msg,
      graceMs: UNSCHEDULABLE_GRACE_MS,
      key: key('sched'),
      hint: `kubectl describe pod ${name} -n ${s.names.namespace}`,
    };
  }
  // Once scheduled, the scheduler's earlier complaints are history.
  const warning = latest(events, (e) => e.type === 'Warning' && e.reason !== 'FailedScheduling');
  if (pod.status?.phase === 'Running') {
    const probe =
      warning?.reason === 'Unhealthy' && /^Readiness probe failed/.test(warning.message ?? '')
        ? warning.message!.trim()
        : undefined;
    if (probe) {
      const hint = probe.includes(UNREADY_FILE)
        ? `kubectl sts-lab ready ${ordinal} -n ${s.names.namespace}`
        : `kubectl describe pod ${name} -n ${s.names.namespace}`;
      return {
        ...base,
        state: 'is not Ready',
        reason: 'Running, not Ready',
        detail: probe,
        graceMs: PROBE_GRACE_MS,
        key: key('probe'),
        hint,
      };
    }
    return {
      ...base,
      state: 'is not Ready',
      reason: 'Running, not Ready',
      detail: 'its readiness probe has not passed yet',
      key: key('unready'),
    };
  }
  if (warning)
    return {
      ...base,
      state: 'is not Ready',
      reason: warning.reason ?? 'Warning',
      detail: warning.message ?? '',
      key: key(`warn-${warning.reason}`),
    };
  const pulling = latest(events, (e) => e.reason === 'Pulling');
  if (pulling)
    return {
      ...base,
      state: 'is not Ready',
      reason: 'pulling the image',
      detail: pulling.message ?? '',
      key: key('pulling'),
    };
  return {
    ...base,
    state: 'is not Ready',
    reason: pod.status?.phase ?? 'Pending',
    detail: 'starting',
    key: key('starting'),
  };
}

function containerProblem(pod: PodLike) {
  type Status = {
    restartCount?: number;
    state?: { waiting?: { reason?: string; message?: string } };
    lastState?: { terminated?: { exitCode?: number; reason?: string } };
  };
  for (const c of (pod.status?.containerStatuses ?? []) as Status[]) {
    const w = c.state?.waiting;
    if (!w?.reason || w.reason === 'ContainerCreating' || w.reason === 'PodInitializing') continue;
    const last = c.lastState?.terminated;
    return {
      reason: w.reason,
      message: w.message,
      restarts: c.restartCount ?? 0,
      exit: last ? `code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : undefined,
    };
  }
  return undefined;
}

function claimStall(
  s: LabSnapshot,
  pod: PodLike & { spec?: PodSpecLike },
  ordinal: number,
): Omit<Stall, 'pod' | 'ordinal'> | undefined {
  const wantedName =
    pod.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName ??
    claimName(s.names, ordinal);
  const claim = s.claims.find((c) => c.metadata?.name === wantedName);
  if (claim?.status?.phase === 'Bound') return undefined;
  const base = { state: 'is not Ready', hint: `kubectl describe pvc ${wantedName} -n ${s.names.namespace}` };
  if (!claim)
    return {
      ...base,
      reason: 'claim missing',
      detail: `its claim ${wantedName} does not exist yet`,
      key: `noclaim:${wantedName}`,
    };
  const uid = claim.metadata?.uid ?? '';
  const events = eventsOf(s.events, uid);
  const failed = latest(events, (e) => e.reason === 'ProvisioningFailed');
  if (failed)
    return {
      ...base,
      reason: 'claim Pending',
      detail: `claim ${wantedName} is Pending: ProvisioningFailed: ${failed.message}`,
      graceMs: CLAIM_GRACE_MS,
      key: `claimfail:${uid}`,
    };
  const external = latest(events, (e) => e.reason === 'ExternalProvisioning');
  if (external && !events.some((e) => e.reason === 'Provisioning')) {
    const provisioner = /provisioner '([^']+)'/.exec(external.message ?? '')?.[1];
    // A provisioner that took up other claims of the lab runs: this claim waits in its queue
    // (local-path makes each volume with a helper pod, so 50 claims take minutes).
    if (s.events.some((e) => e.reason === 'Provisioning' || e.reason === 'ProvisioningSucceeded')) {
      return {
        ...base,
        reason: 'claim Pending',
        detail: `claim ${wantedName} is Pending: waiting for the provisioner${provisioner ? ` "${provisioner}"` : ''}, which is making the volumes of the lab's other claims`,
        key: `queued:${uid}`,
      };
    }
    return {
      ...base,
      reason: 'claim Pending',
      detail: `claim ${wantedName} is Pending and no provisioner has taken it up: ${external.message}`,
      graceMs: NO_PROVISIONER_GRACE_MS,
      key: `noprov:${uid}`,
      hint: `no provisioner${provisioner ? ` "${provisioner}"` : ''} answers in this cluster: pass --storage-class with a class whose provisioner runs (kubectl get storageclass), or kubectl describe pvc ${wantedName} -n ${s.names.namespace}`,
    };
  }
  const waiting = latest(events, (e) => e.reason === 'WaitForFirstConsumer');
  // WaitForFirstConsumer is normal until the pod is scheduled: the scheduler's word matters more.
  if (waiting && condition(pod, 'PodScheduled')?.status !== 'False') return undefined;
  const last = latest(events, () => true);
  return {
    ...base,
    reason: 'claim Pending',
    detail: `claim ${wantedName} is Pending${last ? `: ${last.reason}: ${last.message}` : ''}`,
    graceMs: waiting ? undefined : CLAIM_GRACE_MS * 2,
    key: `claim:${uid}`,
  };
}

/**
 * The newest FailedCreate naming this pod (creating it or its claim), unless the pod itself
 * was created after it. "create Claim data-x-0 Pod x-0 … success" is no pod creation, and a
 * tie (events have second precision) goes to the failure: the pod is absent. The controller
 * writes "create Pod …" up to Kubernetes 1.34 and "Create Pod …" from 1.35.
 */
function currentFailedCreate(s: LabSnapshot, pod: string): EventLike | undefined {
  const sts = s.events.filter(
    (e) => e.involvedObject.kind === 'StatefulSet' && e.involvedObject.name === s.names.statefulSet,
  );
  const failed = latest(sts, (e) => e.reason === 'FailedCreate' && new RegExp(`\\bPod ${pod} `).test(e.message ?? ''));
  const created = latest(
    sts,
    (e) => e.reason === 'SuccessfulCreate' && new RegExp(`^[Cc]reate Pod ${pod} `).test(e.message ?? ''),
  );
  return failed && (!created || eventTime(failed) >= eventTime(created)) ? failed : undefined;
}

/** Admission refusals do not go away by waiting: quota, Pod Security, webhooks, RBAC. */
function createFailure(message: string, n: LabNames): { graceMs?: number; hint?: string } {
  const quota = /exceeded quota: ([^,\s]+)/.exec(message)?.[1];
  if (quota)
    return {
      graceMs: 0,
      hint: `the ResourceQuota "${quota}" in namespace "${n.namespace}" is full: kubectl describe resourcequota ${quota} -n ${n.namespace}`,
    };
  const pss = /violates PodSecurity "([^"]+)"/.exec(message)?.[1];
  if (pss) {
    return {
      graceMs: 0,
      hint: `namespace "${n.namespace}" enforces Pod Security "${pss}" (label pod-security.kubernetes.io/enforce); use another namespace (-n) or one labelled pod-security.kubernetes.io/enforce=baseline`,
    };
  }
  const webhook = /admission webhook "([^"]+)" denied/.exec(message)?.[1];
  if (webhook) return { graceMs: 0, hint: `the admission webhook "${webhook}" refuses the lab's pods` };
  if (/is forbidden|is invalid/.test(message)) return { graceMs: 0 };
  return {};
}

const eventTime = (e: EventLike): number =>
  Math.max(
    ...[e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, e.firstTimestamp, e.metadata?.creationTimestamp].map(
      (t) => toDate(t)?.getTime() ?? 0,
    ),
  );

const eventsOf = (events: readonly EventLike[], uid: string): EventLike[] =>
  uid ? events.filter((e) => e.involvedObject.uid === uid) : [];

function latest(events: EventLike[], pick: (e: EventLike) => boolean): EventLike | undefined {
  let best: EventLike | undefined;
  for (const e of events) if (pick(e) && (!best || eventTime(e) >= eventTime(best))) best = e;
  return best;
}

/** "nginx-sts-0 is not Ready: ImagePullBackOff: <the kubelet's words>" */
export const stallSentence = (x: Stall): string =>
  `${x.pod} ${x.state}: ${x.reason}${x.detail && x.detail !== x.reason ? `: ${x.detail}` : ''}`;

/** Remembers when each condition was first seen, so a grace can be measured across snapshots. */
export class StallClock {
  private readonly since = new Map<string, number>();

  /** Milliseconds this stall's condition has lasted. */
  age(x: Stall, now: number): number {
    if (!this.since.has(x.key)) this.since.set(x.key, now);
    return now - this.since.get(x.key)!;
  }

  /** The moment waiting stops helping, or undefined when only --timeout ends the wait. */
  deadline(x: Stall, now: number): number | undefined {
    return x.graceMs === undefined ? undefined : now - this.age(x, now) + x.graceMs;
  }
}
