// The storage smoke part's report rows: each what the StorageClass gave the lab, or N/A with why.
import { formatDuration } from '../../lab/duration.ts';
import type { RowSpec } from '../lesson.ts';
import type { CleanupEvidence } from '../cleanup/steps.ts';
import type { RetentionEvidence } from '../retention/steps.ts';
import type { IdentityEvidence } from '../identity/steps.ts';
import type { StorageEvidence } from '../storage/steps.ts';
import { claimsHeld } from '../../commands/setup.ts';
import type { SmokeEvidence } from './steps.ts';

type Evidence = SmokeEvidence & StorageEvidence & IdentityEvidence & RetentionEvidence & CleanupEvidence;

export const rows: RowSpec<Evidence>[] = [
  {
    part: 'storage',
    concept: 'Claims bound',
    outcome: () => 'Every claim Bound to a volume of its own, attached to its pod',
    judge: ({ smoke }) => {
      const r = smoke?.setup;
      return (
        r && {
          result: r.pods.length && claimsHeld(r.pods) ? 'PASS' : 'FAIL',
          evidence: `${smoke.storageClass}: ${r.attach
            .map(
              (a) =>
                `${a.pvc} bound ${a.boundMs === null ? '?' : formatDuration(a.boundMs)}, attached ${a.attachedMs === null ? '?' : formatDuration(a.attachedMs)}`,
            )
            .join('; ')}`,
        }
      );
    },
  },
  {
    part: 'storage',
    concept: 'Data survives its pod',
    outcome: () => 'Bytes written before a pod is deleted are read back from its replacement',
    judge: ({ smoke, persist, kill }) =>
      smoke &&
      kill &&
      persist && {
        result: persist.verdict.result === 'PASS' && kill.verdict.result === 'PASS' ? 'PASS' : 'FAIL',
        evidence: `${kill.pod} re-created (${kill.verdict.result}); ${persist.verdict.headline}`,
      },
  },
  {
    part: 'storage',
    concept: 'Pod moves with its data',
    optional: true,
    outcome: () => 'Drained to another node, the pod runs there on the same claim, volume and bytes',
    judge: ({ smoke }) => smoke?.move,
  },
  {
    part: 'storage',
    concept: 'Scale to 0 and back',
    outcome: () => 'The pods that come back mount the same volumes, with the same bytes',
    judge: ({ smoke }) => smoke?.scaled,
  },
  {
    part: 'storage',
    concept: 'Retention policy',
    optional: true,
    outcome: () => 'With whenDeleted: Delete the claims are deleted with the StatefulSet',
    needsTeardown: true,
    judge: ({ smoke, teardown }) =>
      smoke?.retentionSkipped
        ? { result: 'N/A', evidence: smoke.retentionSkipped }
        : teardown?.claimsByController
          ? {
              result: teardown.claimsByController.verdict.result,
              evidence: teardown.claimsByController.verdict.headline,
            }
          : undefined,
  },
  {
    part: 'storage',
    concept: 'Volume expansion',
    optional: true,
    outcome: () => "A claim asked for more is expanded, as the pod's filesystem reports",
    judge: ({ smoke }) => smoke?.expansion,
  },
];
