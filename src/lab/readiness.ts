// The lab's readiness switch: the pods' readiness probe fails while a file outside the data
// volume exists, so readiness can be turned off and on without touching the container.
import { isReady, uidOf, type PodLike } from './pods.ts';
import { passIf, verdict, type Verdict } from './verdict.ts';

export const UNREADY_FILE = '/tmp/sts-lab-unready';

interface SpecLike {
  containers?: { readinessProbe?: { exec?: { command?: string[] } } }[];
}

/** Whether a pod (template) carries the switch: labs made by sts-lab before it did not. */
export const hasReadinessSwitch = (spec: SpecLike | undefined): boolean =>
  Boolean(spec?.containers?.[0]?.readinessProbe?.exec?.command?.join(' ').includes(UNREADY_FILE));

export interface SwitchState {
  uid: string;
  ready: boolean;
  restarts: number;
  running: boolean;
}

export function switchState(pod: PodLike): SwitchState {
  const c = pod.status?.containerStatuses?.[0] as { restartCount?: number; state?: { running?: unknown } } | undefined;
  return { uid: uidOf(pod), ready: isReady(pod), restarts: c?.restartCount ?? 0, running: Boolean(c?.state?.running) };
}

export interface SwitchCheck {
  what: string;
  ok: boolean;
  detail: string;
}

/** Readiness is where it was asked to be, and nothing else about the pod changed. */
export function switchVerdict(
  pod: string,
  wantReady: boolean,
  before: SwitchState,
  after: SwitchState,
): Verdict<SwitchCheck> {
  const want = wantReady ? 'Ready' : 'NotReady';
  const checks: SwitchCheck[] = [
    {
      what: 'readiness',
      ok: after.ready === wantReady,
      detail: `${pod} is ${after.ready ? 'Ready' : 'NotReady'}${before.ready === after.ready ? ' (it already was)' : ''}`,
    },
    {
      what: 'same pod',
      ok: after.uid === before.uid,
      detail:
        after.uid === before.uid
          ? 'same UID: the pod was not replaced'
          : `the pod was replaced (UID ${before.uid} → ${after.uid})`,
    },
    {
      what: 'container',
      ok: after.running && after.restarts === before.restarts,
      detail: `container ${after.running ? 'running' : 'not running'}, restarts ${before.restarts} → ${after.restarts}`,
    },
  ];
  const failed = checks.filter((c) => !c.ok);
  return verdict(
    passIf(!failed.length),
    failed.length
      ? `${pod} did not become ${want} as the switch asked`
      : `${pod} is ${want}; its container kept running, untouched`,
    [
      wantReady
        ? `The readiness probe passes again now that ${UNREADY_FILE} is gone: the kubelet marks the pod Ready,`
        : `The readiness probe fails while ${UNREADY_FILE} exists: the kubelet marks the pod NotReady after its failureThreshold,`,
      wantReady
        ? 'the EndpointSlice lists it as ready again, and the controller may go on with what waited for it.'
        : 'but only readiness changes: the container keeps running (a liveness probe would restart it; readiness never does).',
      ...failed.map((c) => c.detail),
    ],
    checks,
  );
}
