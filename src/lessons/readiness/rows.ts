// The readiness lesson's report rows: OrderedReady halts behind an unready pod, and DNS follows readiness.
import { podName } from '../../lab/names.ts';
import { combine, passIf } from '../../lab/verdict.ts';
import type { RowSpec } from '../lesson.ts';
import type { Lookup, ReadinessEvidence } from './steps.ts';

const lookupOf = (d: { lookups: Lookup[] } | undefined, pod: string) =>
  d?.lookups.find((l) => l.name.startsWith(`${pod}.`));

export const rows: RowSpec<ReadinessEvidence>[] = [
  {
    part: 'lifecycle',
    concept: 'Scaling halts on an unhealthy pod',
    outcome: (n) =>
      `With ${podName(n, 1)} not Ready a scale-up creates nothing above it; once Ready the rest follow in order`,
    judge: ({ lifecycle: l = {} }) => {
      if (!l.halted || !l.resumed || !l.unreadyPod) return undefined;
      const stopped = l.halted.halted?.pod === l.unreadyPod && l.halted.verdict.checks.every((c) => c.ok === true);
      return {
        result: combine(passIf(stopped), l.resumed.verdict.result, passIf(l.resumed.resumed.length > 0)),
        evidence: `${stopped ? `scale-up halted at ${l.unreadyPod}, nothing created above it` : 'the scale-up did not halt'}; once Ready: ${l.resumed.resumed.join(', ') || 'nothing'} created in order`,
      };
    },
  },
  {
    part: 'lifecycle',
    concept: 'DNS follows readiness',
    outcome: () => 'A pod that is not Ready has no DNS record; it has one again once Ready',
    judge: ({ lifecycle: l = {} }) => {
      if (!l.dnsWhileUnready || !l.dnsAfterReady || !l.unreadyPod) return undefined;
      const gone = lookupOf(l.dnsWhileUnready, l.unreadyPod);
      const back = lookupOf(l.dnsAfterReady, l.unreadyPod);
      const held = gone?.expect === 'nxdomain' && gone.ok && back?.expect === 'answer' && back.ok;
      return {
        result: combine(l.dnsWhileUnready.verdict.result, l.dnsAfterReady.verdict.result, passIf(Boolean(held))),
        evidence: `${l.unreadyPod} not Ready: ${gone?.outcome ?? 'not asked'}; Ready again: ${back?.outcome ?? 'not asked'}`,
      };
    },
  },
];
