// The identity lesson in the tour: the pods' names and hostnames, then a pod deleted and re-created as itself.
import { connectLab } from '../../command-support/target.ts';
import { podName } from '../../lab/names.ts';
import { passIf, type Verdict } from '../../lab/verdict.ts';
import { TOUR_REPLICAS, type StepFactory } from '../../tour/scope.ts';
import killPod from './kill-pod.ts';

/** The pod the seed part deletes. */
const KILLED = 1;

export interface IdentityEvidence {
  hostnames?: { pod: string; hostname: string }[];
  kill?: {
    pod: string;
    verdict: Verdict<unknown>;
    before: { uid: string; ip: string | null };
    after: { uid: string; hostname: string; ip: string | null };
  };
}

export const hostnames: StepFactory<IdentityEvidence> = (s) => ({
  title: 'Check stable names and hostnames',
  run: async () => {
    const n = s.names;
    const lab = await connectLab(s.ctx, n);
    const rows = await Promise.all(
      Array.from({ length: TOUR_REPLICAS }, async (_, i) => {
        const r = await lab.exec(podName(n, i), ['hostname'], { timeoutMs: 30_000 });
        return { pod: podName(n, i), hostname: r.stdout.toString().trim() };
      }),
    );
    s.evidence.hostnames = rows;
    return {
      result: passIf(rows.every((r) => r.hostname === r.pod)),
      notes: [
        `Pods are named <statefulset>-<ordinal>: ${rows.map((r) => r.pod).join(', ')}; inside each, hostname prints ${rows.map((r) => r.hostname).join(', ')}.`,
        'The controller sets spec.hostname to the pod name and spec.subdomain to the governing Service.',
      ],
    };
  },
});

export const kill: StepFactory<IdentityEvidence> = (s) => ({
  title: `Delete ${podName(s.names, KILLED)} and watch it come back`,
  run: async () => {
    const r = (s.evidence.kill = await s.call(killPod, { names: s.names, ordinal: KILLED, force: false }));
    return {
      result: r.verdict.result,
      notes: [
        `${r.verdict.result}: ${r.verdict.headline}: new UID ${r.after.uid.slice(0, 8)}, same hostname, claim ${r.after.pvc} and volume.`,
        'A StatefulSet pod is not replaced by a random new one: the controller re-creates the same ordinal.',
      ],
    };
  },
});
