// The DNS lesson's report row, from dns's -o json data alone.
import type { RowSpec } from '../lesson.ts';
import type { DnsEvidence } from './steps.ts';

export const rows: RowSpec<DnsEvidence>[] = [
  {
    part: 'seed',
    concept: 'Headless Service DNS',
    outcome: (n) => `A DNS record per pod: <pod>.${n.service}.${n.namespace}.svc.cluster.local`,
    judge: ({ dns }, n) =>
      dns && {
        result: dns.verdict.result,
        evidence: dns.lookups
          .map(
            (l) =>
              `${l.name.split('.')[0]}${l.name.startsWith(n.service) ? ' (service)' : ''} → ${l.answer.join(', ') || l.outcome}`,
          )
          .join('; '),
      },
  },
];
