// The scaling lesson in the tour: up to 5 one pod at a time, down to 2 from the highest ordinal.
import { combine, type Verdict } from '../../lab/verdict.ts';
import type { StepFactory } from '../../tour/scope.ts';
import type { ClaimRow } from './claims.ts';
import scale from './scale.ts';

export interface Scaled {
  verdict: Verdict<unknown>;
  claimsVerdict: Verdict<unknown>;
  timeline: { pod: string }[];
  deletionOrder: string[];
  claims: ClaimRow[];
}

export interface ScalingEvidence {
  up?: Scaled;
  down?: Scaled;
}

export const up: StepFactory<ScalingEvidence> = (s) => ({
  title: 'Scale up to 5',
  run: async () => {
    const r = (s.evidence.up = await s.call(scale, { names: s.names, replicas: 5 }));
    return {
      result: combine(r.verdict.result, r.claimsVerdict.result),
      notes: [
        `${r.verdict.result}: ${r.verdict.headline}.`,
        'The StatefulSet controller added the new ordinals one at a time, each with a fresh claim from the template (or the one a scale-down left behind).',
      ],
    };
  },
});

export const down: StepFactory<ScalingEvidence> = (s) => ({
  title: 'Scale down to 2',
  run: async () => {
    const r = (s.evidence.down = await s.call(scale, { names: s.names, replicas: 2 }));
    return {
      result: combine(r.verdict.result, r.claimsVerdict.result),
      notes: [
        `${r.verdict.result}: ${r.verdict.headline} (${r.deletionOrder.join(', ')}).`,
        `${r.claimsVerdict.result}: ${r.claimsVerdict.headline}.`,
      ],
    };
  },
});
