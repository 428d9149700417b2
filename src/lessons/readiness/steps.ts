// The readiness lesson in the tour: a pod made unready (its container keeps running), what waits
// on readiness then (DNS records, an OrderedReady scale-up), and the controller going on once it is Ready.
import { podName } from '../../lab/names.ts';
import { combine, type Verdict } from '../../lab/verdict.ts';
import { TOUR_REPLICAS, verdictOutcome, type StepFactory, type TourScope, type TourStep } from '../../tour/scope.ts';
import dns from '../dns/dns.ts';
import scale from '../scaling/scale.ts';
import ready from './ready.ts';
import unready from './unready.ts';

/** The pod the lifecycle part makes unready. */
const UNREADY = 1;

export interface Lookup {
  name: string;
  expect: string;
  outcome: string;
  ok: boolean;
}

export interface ReadinessEvidence {
  lifecycle?: {
    /** The pod made unready for the lessons. */
    unreadyPod?: string;
    dnsWhileUnready?: { verdict: Verdict<unknown>; lookups: Lookup[] };
    dnsAfterReady?: { verdict: Verdict<unknown>; lookups: Lookup[] };
    halted?: { halted: { pod: string } | null; verdict: Verdict<{ ok: boolean | null }> };
    resumed?: { resumed: string[]; verdict: Verdict<unknown> };
  };
}

/** The part's evidence, with the pod it makes unready named. */
const kept = (s: TourScope<ReadinessEvidence>) => {
  const l = (s.evidence.lifecycle ??= {});
  l.unreadyPod = podName(s.names, UNREADY);
  return l;
};

export const makeUnready: StepFactory<ReadinessEvidence> = (s) => ({
  title: `Make ${podName(s.names, UNREADY)} unready: its readiness probe fails, its container keeps running`,
  run: async () => {
    kept(s);
    const r = await s.call(unready, { names: s.names, ordinal: UNREADY });
    return {
      result: r.verdict.result,
      notes: [
        `${r.verdict.result}: ${r.verdict.headline}${r.tookMs === null ? '' : ` (${r.tookMs} ms)`}.`,
        `The lab's probe fails while ${r.switchFile} exists; readiness never restarts a container.`,
      ],
    };
  },
});

const resolveStep = (
  s: TourScope<ReadinessEvidence>,
  title: string,
  keep: 'dnsWhileUnready' | 'dnsAfterReady',
  why: string,
): TourStep => ({
  title,
  run: async () => {
    const r = (kept(s)[keep] = await s.call(dns, { names: s.names }));
    return verdictOutcome(r.verdict, why);
  },
});

export const resolveWhileUnready: StepFactory<ReadinessEvidence> = (s) =>
  resolveStep(
    s,
    `Resolve the pods while ${podName(s.names, UNREADY)} is not Ready`,
    'dnsWhileUnready',
    'A headless Service publishes records for Ready pods only: peers that look a pod up by name do not find it while it is not Ready.',
  );

export const haltedScaleUp: StepFactory<ReadinessEvidence> = (s) => ({
  title: `Scale up to 5 while ${podName(s.names, UNREADY)} is not Ready`,
  run: async () => {
    const pod = podName(s.names, UNREADY);
    const r = (kept(s).halted = await s.call(scale, { names: s.names, replicas: 5 }));
    const asTaught = r.halted?.pod === pod && r.verdict.checks.every((c) => c.ok === true);
    return {
      result: asTaught ? 'PASS' : 'FAIL',
      notes: [
        `The scale-up failed, as it should: ${r.verdict.headline}.`,
        'OrderedReady builds each pod on a healthy predecessor: nothing is created above a pod that is not Ready.',
      ],
    };
  },
});

export const makeReady: StepFactory<ReadinessEvidence> = (s) => ({
  title: `Make ${podName(s.names, UNREADY)} Ready again: the controller goes on by itself`,
  run: async () => {
    const r = (kept(s).resumed = await s.call(ready, { names: s.names, ordinal: UNREADY }));
    return {
      result: r.verdict.result,
      notes: [`${r.verdict.result}: ${r.verdict.headline}; then ${r.resumed.join(', ') || 'nothing'} followed.`],
    };
  },
});

export const resolveAfterReady: StepFactory<ReadinessEvidence> = (s) =>
  resolveStep(
    s,
    `Resolve the pods again, ${podName(s.names, UNREADY)} Ready`,
    'dnsAfterReady',
    'The EndpointSlice lists the pod as ready again, and cluster DNS serves its record.',
  );

export const scaleBack: StepFactory<ReadinessEvidence> = (s) => ({
  title: `Scale back to ${TOUR_REPLICAS}`,
  run: async () => {
    const r = await s.call(scale, { names: s.names, replicas: TOUR_REPLICAS });
    return {
      result: combine(r.verdict.result, r.claimsVerdict.result),
      notes: [`${r.verdict.result}: ${r.verdict.headline}.`],
    };
  },
});
