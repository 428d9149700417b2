// The ordering guarantees of an OrderedReady StatefulSet, checked against what the watch
// saw. The watch delivers changes in the order the API server committed them, so replaying
// that stream tells what the cluster looked like at the moment each pod was created or began
// to terminate:
//   creation:    before pod N is created, pods 0..N-1 are Running and Ready;
//   termination: before pod N begins to terminate, every pod above N is completely gone.
// The API's own second-resolution timestamps back the stream up where it has gaps (a
// reconnect, a re-list).
import type { Observation } from '../../lab/observation.ts';
import { isReady, readySince, toDate, uidOf } from '../../lab/pods.ts';
import { verdict, type Verdict } from '../../lab/verdict.ts';

import type { Result } from '../../lab/verdict.ts';
import type { PodManagementPolicy } from '../../lab/manifests.ts';

export interface Check {
  kind: 'create' | 'terminate';
  ordinal: number;
  at: number;
  /** null: the evidence cannot tell (pods that existed before sts-lab watched). */
  ok: boolean | null;
  detail: string;
  evidence: 'watch' | 'timestamps';
}

export interface OrderingResult {
  verdict: Result;
  policy: PodManagementPolicy;
  checks: Check[];
  /** Two or three lines for a learner: what was checked and why it holds. */
  why: string[];
}

interface Slot {
  uid: string;
  ready: boolean;
  terminating: boolean;
}

export interface OrderingOptions {
  policy: PodManagementPolicy;
  /** The StatefulSet's first ordinal: the pod there is the one created first. */
  start: number;
  podName: (ordinal: number) => string;
  /**
   * Check termination order too. Only for a scale-down: a pod deleted by hand (kill-pod,
   * watch-order --restart) is not the controller's doing and promises no order.
   */
  terminations: boolean;
}

export function analyseOrdering(
  observations: Observation[],
  { policy, start, podName, terminations }: OrderingOptions,
): OrderingResult {
  const checks = [...existingPodChecks(observations, start, podName), ...replay(observations, start, podName)].filter(
    (c) => terminations || c.kind === 'create',
  );
  if (policy === 'Parallel') {
    return {
      verdict: 'N/A',
      policy,
      checks,
      why: [
        'podManagementPolicy is Parallel: the controller creates and deletes pods without waiting for their neighbours.',
        'No order is promised, so none is checked; names, DNS and storage are still stable per ordinal.',
      ],
    };
  }
  const failed = checks.filter((c) => c.ok === false);
  const decided = checks.filter((c) => c.ok !== null).length;
  const why = [
    'podManagementPolicy OrderedReady: the StatefulSet controller creates pod N+1 only once pod N is Running and Ready, and when scaling down removes the highest ordinal first, each completely gone before the next one starts terminating.',
  ];
  if (decided === 0) {
    return {
      verdict: 'N/A',
      policy,
      checks,
      why: [
        ...why,
        'No pod was created or deleted in a way the evidence can judge (run watch-order --restart to see it from scratch).',
      ],
    };
  }
  return {
    verdict: failed.length ? 'FAIL' : 'PASS',
    policy,
    checks,
    why: failed.length ? [...why, `Violated: ${failed.map((c) => c.detail).join('; ')}.`] : why,
  };
}

function replay(observations: Observation[], start: number, podName: (o: number) => string): Check[] {
  const state = new Map<number, Slot>();
  const checks: Check[] = [];
  const seen = new Set<string>();
  for (const [index, obs] of observations.entries()) {
    const uid = uidOf(obs.pod);
    if (obs.type === 'delete') {
      if (state.get(obs.ordinal)?.uid === uid) state.delete(obs.ordinal);
      continue;
    }
    const isNew = !seen.has(uid);
    seen.add(uid);
    const slot = state.get(obs.ordinal);
    if (isNew && !obs.initial) checks.push(creationCheck(obs, index, state, observations, start, podName));
    const terminating = Boolean(obs.pod.metadata?.deletionTimestamp);
    if (terminating && !(slot?.uid === uid && slot.terminating) && !obs.initial) {
      checks.push(terminationCheck(obs, state, podName));
    }
    state.set(obs.ordinal, { uid, ready: isReady(obs.pod), terminating });
  }
  return checks;
}

function creationCheck(
  obs: Observation,
  index: number,
  state: Map<number, Slot>,
  all: Observation[],
  start: number,
  podName: (o: number) => string,
): Check {
  const created = toDate(obs.pod.metadata?.creationTimestamp);
  const notReady: string[] = [];
  for (let j = start; j < obs.ordinal; j++) {
    const slot = state.get(j);
    if (slot?.ready) continue;
    if (slot && created && readyBy(all, index, slot.uid, created)) continue;
    notReady.push(slot ? `${podName(j)} was not Ready` : `${podName(j)} did not exist`);
  }
  return {
    kind: 'create',
    ordinal: obs.ordinal,
    at: obs.at,
    ok: notReady.length === 0,
    evidence: 'watch',
    detail: notReady.length
      ? `${podName(obs.ordinal)} was created while ${notReady.join(' and ')}`
      : obs.ordinal === start
        ? `${podName(start)} created first`
        : `${podName(obs.ordinal)} created after ${podName(obs.ordinal - 1)} was Ready`,
  };
}

/**
 * Fallback for gaps in the stream: a later snapshot of the same pod instance whose Ready
 * condition says it turned Ready no later than `by`.
 */
function readyBy(all: Observation[], from: number, uid: string, by: Date): boolean {
  for (let i = from + 1; i < all.length; i++) {
    const later = all[i]!;
    if (uidOf(later.pod) !== uid) continue;
    const since = readySince(later.pod);
    if (since) return since.getTime() <= by.getTime();
  }
  return false;
}

function terminationCheck(obs: Observation, state: Map<number, Slot>, podName: (o: number) => string): Check {
  const higher = [...state.keys()].filter((o) => o > obs.ordinal).sort((a, b) => a - b);
  return {
    kind: 'terminate',
    ordinal: obs.ordinal,
    at: obs.at,
    ok: higher.length === 0,
    evidence: 'watch',
    detail: higher.length
      ? `${podName(obs.ordinal)} began terminating while ${higher.map(podName).join(', ')} still existed`
      : `${podName(obs.ordinal)} began terminating after every higher ordinal was gone`,
  };
}

/**
 * Pods that were already there when watching began: only their timestamps speak. Pod N+1
 * created no earlier than pod N's Ready transition is consistent with the guarantee; a later
 * Ready time may just mean pod N restarted since, so it is inconclusive rather than a failure.
 */
function existingPodChecks(observations: Observation[], start: number, podName: (o: number) => string): Check[] {
  const first = new Map<number, Observation>();
  for (const o of observations) if (o.initial && !first.has(o.ordinal)) first.set(o.ordinal, o);
  const checks: Check[] = [];
  for (const [ordinal, obs] of [...first.entries()].sort(([a], [b]) => a - b)) {
    if (ordinal <= start) continue;
    const prev = first.get(ordinal - 1);
    const created = toDate(obs.pod.metadata?.creationTimestamp);
    const prevReady = prev && readySince(prev.pod);
    if (!prev || !created || !prevReady) continue;
    const consistent = created.getTime() >= prevReady.getTime();
    checks.push({
      kind: 'create',
      ordinal,
      at: obs.at,
      ok: consistent ? true : null,
      evidence: 'timestamps',
      detail: consistent
        ? `${podName(ordinal)} created at ${created.toISOString()}, after ${podName(ordinal - 1)} was Ready at ${prevReady.toISOString()}`
        : `${podName(ordinal - 1)} turned Ready after ${podName(ordinal)} was created; it may have restarted since, so the timestamps cannot tell`,
    });
  }
  return checks;
}

/** An ordering check in -o json: the instant as ISO 8601, like every instant sts-lab prints. */
export type CheckJson = Omit<Check, 'at'> & { at: string };

const HEADLINE: Record<Result, string> = {
  PASS: 'OrderedReady held: pod N+1 was created only after pod N was Ready',
  FAIL: 'OrderedReady violated',
  'N/A': 'Order not judged',
};

export function orderingVerdict(r: OrderingResult, passHeadline = HEADLINE.PASS): Verdict<CheckJson> {
  const checks = r.checks.map((c) => ({ ...c, at: new Date(c.at).toISOString() }));
  return verdict(r.verdict, r.verdict === 'PASS' ? passHeadline : HEADLINE[r.verdict], r.why, checks);
}
