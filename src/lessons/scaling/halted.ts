// A scale that cannot go on: under OrderedReady the controller creates nothing above, and
// removes nothing while, a pod it keeps is not Running and Ready. Proved from the watch: during
// the whole observation no pod above the blocking one appeared (up) or went (down).
import { stallSentence, type Stall } from '../../lab/diagnosis.ts';
import { formatDuration } from '../../lab/duration.ts';
import type { Observation } from '../../lab/observation.ts';
import { verdict, type Verdict } from '../../lab/verdict.ts';
import type { PodManagementPolicy } from '../../lab/manifests.ts';

export interface HaltCheck {
  ordinal: number;
  ok: boolean;
  detail: string;
}

export interface HaltInput {
  history: Observation[];
  direction: 'up' | 'down';
  /** The ordinals the scale would create (lowest first) or remove (highest first). */
  waiting: number[];
  stall: Stall;
  policy: PodManagementPolicy;
  /** How long the watch saw the scale held up. */
  watchedMs: number;
  podName: (ordinal: number) => string;
}

export function analyseHalted(h: HaltInput): Verdict<HaltCheck> {
  const changed = (pick: (c: Observation) => boolean) => [
    ...new Set(h.history.filter((c) => !c.initial && pick(c)).map((c) => c.ordinal)),
  ];
  const watched = formatDuration(h.watchedMs);
  const blocker = h.stall.pod;
  const moved =
    h.direction === 'up'
      ? changed((c) => c.type === 'add' && c.ordinal > h.stall.ordinal)
      : changed(
          (c) => (c.type === 'delete' || Boolean(c.pod.metadata?.deletionTimestamp)) && h.waiting.includes(c.ordinal),
        );
  const checks: HaltCheck[] = h.waiting.map((o) => {
    const ok = !moved.includes(o);
    const name = h.podName(o);
    return {
      ordinal: o,
      ok,
      detail:
        h.direction === 'up'
          ? ok
            ? `${name} not created in ${watched} while ${blocker} was not Ready`
            : `${name} was created although ${blocker} was not Ready`
          : ok
            ? `${name} not deleted in ${watched} while ${blocker} was not Ready`
            : `${name} was deleted although ${blocker} was not Ready`,
    };
  });
  const failed = checks.filter((c) => !c.ok);
  const verb = h.direction === 'up' ? 'created' : 'removed';
  const headline = failed.length
    ? `Scale-${h.direction} went on past ${blocker}, which was not Ready`
    : `Scale-${h.direction} halted: nothing ${verb} for ${watched}, the controller waits for ${blocker} (${h.stall.reason})`;
  // Halted as OrderedReady promises or not, the scale did not happen: the command fails.
  return verdict(
    'FAIL',
    headline,
    [
      `Under ${h.policy} the controller ${h.direction === 'up' ? 'creates' : 'removes'} no pod while a pod ${h.direction === 'up' ? 'below' : 'it keeps'} is not Running and Ready: a StatefulSet never builds on an unhealthy predecessor. It goes on by itself once ${blocker} is Ready again.`,
      stallSentence(h.stall),
      ...failed.map((c) => c.detail),
    ],
    checks,
  );
}
