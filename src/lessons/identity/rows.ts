// The identity lesson's report row: hostnames, and a re-created pod that kept its identity.
import { podName } from '../../lab/names.ts';
import { combine, passIf } from '../../lab/verdict.ts';
import { TOUR_REPLICAS } from '../../tour/scope.ts';
import type { RowSpec } from '../lesson.ts';
import type { IdentityEvidence } from './steps.ts';

const short = (uid: string) => uid.slice(0, 8);

export const rows: RowSpec<IdentityEvidence>[] = [
  {
    part: 'seed',
    concept: 'Stable identity',
    outcome: (n) =>
      `Predictable names (${podName(n, 0)}..${podName(n, TOUR_REPLICAS - 1)}) and hostnames, kept when a pod is re-created`,
    judge: ({ hostnames, kill }) =>
      hostnames &&
      kill && {
        result: combine(passIf(hostnames.every((h) => h.hostname === h.pod)), kill.verdict.result),
        evidence: `hostnames ${hostnames.map((h) => h.hostname).join(', ')}; ${kill.pod} re-created: uid ${short(kill.before.uid)} → ${short(kill.after.uid)}, hostname ${kill.after.hostname}, ip ${kill.before.ip} → ${kill.after.ip}`,
      },
  },
];
