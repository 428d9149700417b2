// The DNS lesson in the tour: every pod resolved by its stable name.
import type { Verdict } from '../../lab/verdict.ts';
import { verdictOutcome, type StepFactory } from '../../tour/scope.ts';
import dns from './dns.ts';

export interface DnsEvidence {
  dns?: { verdict: Verdict<unknown>; lookups: { name: string; answer: string[]; outcome: string }[] };
}

export const resolve: StepFactory<DnsEvidence> = (s) => ({
  title: 'Resolve every pod by its DNS name',
  run: async () => {
    const r = (s.evidence.dns = await s.call(dns, { names: s.names }));
    return verdictOutcome(
      r.verdict,
      "Cluster DNS builds these records from the headless Service's EndpointSlice, which lists each Ready pod with its hostname.",
    );
  },
});
