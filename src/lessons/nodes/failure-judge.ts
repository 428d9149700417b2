// node-failure's verdict, pure: each row read from what the node, the pod watch, DNS and the
// old pod's IP said, and each able to fail.
import type { Verdict } from '../../lab/verdict.ts';
import type { Hold, VolumeFacts } from './follow.ts';
import { check, heldByVolume, judged, type Check } from './judge.ts';

export type Recovery = 'wait' | 'force' | 'out-of-service';

export interface FailureFacts {
  pod: string;
  node: string;
  recovery: Recovery;
  /** The pods' NoExecute toleration of an unreachable node, as admitted (300 s unless the template sets one). */
  tolerationSeconds: number | null;
  volume: VolumeFacts;
  pinned: boolean | null;
  failedAt: string;
  detected: { ready: string | null; afterMs: number | null; taints: string[] };
  notReady: { afterMs: number | null; endpointReady: boolean | null; dns: string };
  eviction: { afterTaintMs: number | null; reason: string | null };
  hold: Hold;
  recovered: { how: Recovery; oldGoneAfterMs: number | null };
  replacement: {
    uid: string;
    node: string | null;
    stage: string;
    scheduling: string | null;
    createdAfterOldGone: boolean;
    pv: string | null;
    failoverMs: number | null;
  };
  /** After --recovery force: whether the old container still answered on its old IP. */
  secondCopy: { oldIp: string; answered: boolean; detail: string } | null;
  back: {
    ready: boolean;
    unreachableTaintsGone: boolean;
    labTaintGone: boolean;
    oldIpSilent: boolean | null;
    podReady: boolean;
  };
  persistence: Verdict<never> | null;
}

const s = (ms: number | null) => (ms === null ? 'not seen' : `${(ms / 1000).toFixed(1)}s`);

export function failureVerdict(f: FailureFacts): Verdict<Check> {
  const S = f.tolerationSeconds;
  const evictAt = f.eviction.afterTaintMs;
  const r = f.replacement;
  const checks: Check[] = [
    check(
      'node failure detected',
      'Ready Unknown, unreachable taints',
      `Ready ${f.detected.ready ?? '?'} after ${s(f.detected.afterMs)}; ${f.detected.taints.join(', ') || 'no taints'}`,
      f.detected.ready !== 'True' && f.detected.taints.some((t) => t.endsWith(':NoExecute')),
    ),
    check(
      'pod out of service',
      'NotReady, endpoint not ready, no DNS answer',
      `NotReady after ${s(f.notReady.afterMs)}; endpoint ready ${String(f.notReady.endpointReady)}; DNS ${f.notReady.dns}`,
      f.notReady.afterMs !== null && f.notReady.endpointReady !== true && !f.notReady.dns.startsWith('answer'),
    ),
    check(
      'eviction waits for the toleration',
      S === null ? 'deleted after the toleration' : `deleted ≈${S}s after the taint (DeletionByTaintManager)`,
      `${s(evictAt)} after the taint; ${f.eviction.reason ?? 'no DisruptionTarget condition'}`,
      evictAt !== null && (S === null || (evictAt >= (S - 2) * 1000 && evictAt <= (S + 15) * 1000)),
    ),
    check(
      'at most one pod per identity',
      `no second ${f.pod} while the old object exists (${s(f.hold.ms)} held)`,
      f.hold.secondPod ? `a second pod ${f.hold.secondPod} appeared` : `old object kept, nothing re-created`,
      !f.hold.secondPod && f.hold.oldStillThere && r.createdAfterOldGone,
    ),
    check(
      `recovery: ${f.recovery}`,
      f.recovery === 'wait' ? 'the old object goes once the node is back' : 'the old object is removed',
      `old object gone after ${s(f.recovered.oldGoneAfterMs)}; replacement created after it: ${r.createdAfterOldGone ? 'yes' : 'NO'}`,
      f.recovered.oldGoneAfterMs !== null && r.createdAfterOldGone,
    ),
    placement(f),
  ];
  if (f.secondCopy)
    checks.push(
      check(
        'two copies after force',
        'the old container may still run: the API cannot tell',
        f.secondCopy.answered ? `${f.secondCopy.oldIp} still answered: two copies of ${f.pod}` : f.secondCopy.detail,
        f.secondCopy.answered ? true : null,
      ),
    );
  checks.push(
    check(
      'node back, old copy gone',
      'Ready, taints removed, the pod Ready',
      `Ready ${f.back.ready}; unreachable taints gone ${f.back.unreachableTaintsGone}; lab's taint gone ${f.back.labTaintGone}; old IP silent ${String(f.back.oldIpSilent)}; ${f.pod} Ready ${f.back.podReady}`,
      f.back.ready &&
        f.back.unreachableTaintsGone &&
        f.back.labTaintGone &&
        f.back.oldIpSilent !== false &&
        f.back.podReady,
    ),
  );
  if (f.persistence)
    checks.push(check('data holds', 'what write-data wrote', f.persistence.headline, f.persistence.result === 'PASS'));
  return judged(
    {
      pass: `At most one ${f.pod}: nothing was re-created until the old object was gone (${f.recovery}); failover ${s(r.failoverMs)}`,
      fail: `Node failure of ${f.node}: a StatefulSet guarantee did not hold`,
    },
    [
      'A pod on a node that stops answering keeps its name until the kubelet confirms, a force delete, or the out-of-service taint: only then does the controller re-create it.',
      f.pinned
        ? `Its volume is pinned to ${f.node}: the replacement could not run anywhere else.`
        : 'Its volume is not pinned to the node: the replacement ran elsewhere on the same claim.',
    ],
    checks,
  );
}

/** Where the replacement ran while the node was down: pinned, Pending for its volume; otherwise another node. */
function placement(f: FailureFacts): Check {
  const r = f.replacement;
  const seen = r.scheduling ? `${r.stage}: ${r.scheduling}` : `${r.stage} on ${r.node ?? '-'}`;
  if (f.recovery === 'wait')
    return check(
      'where it runs',
      'Ready once the node is back, same volume',
      seen,
      r.stage === 'Ready' && r.pv === f.volume.pv,
    );
  if (f.pinned)
    return check(
      'where it runs',
      `Pending: its volume is pinned to ${f.node}`,
      seen,
      r.stage !== 'Ready' && heldByVolume(r.scheduling),
    );
  return check(
    'where it runs',
    `Ready on another node, same claim and volume ${f.volume.pv ?? ''}`,
    seen,
    r.stage === 'Ready' && r.node !== f.node && r.pv === f.volume.pv,
  );
}
