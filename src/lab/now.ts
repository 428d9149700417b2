// Judging the lab as it is now, after the fact (verify): what the objects can prove, and the
// one answer for what only a watch could have seen.
import { byOrdinal, podName, type LabNames } from './names.ts';
import { labOrdinals, type OrdinalSpec } from './ordinals.ts';
import { isReady, type PodLike } from './pods.ts';
import { passIf, verdict, type Verdict } from './verdict.ts';

type NamedPod = PodLike & { metadata?: { name?: string } };

/** Every ordinal the spec wants has a Ready pod, and no pod runs outside them. */
export function readyVerdict(n: LabNames, sts: OrdinalSpec, pods: NamedPod[]): Verdict {
  const wanted = labOrdinals(sts);
  const have = byOrdinal(n, pods);
  const notReady = wanted.filter((i) => !isReady(have.get(i) ?? {}));
  const extra = [...have.keys()].filter((i) => !wanted.includes(i)).sort((a, b) => a - b);
  const ok = !notReady.length && !extra.length;
  const names = (l: number[]) => l.map((i) => podName(n, i)).join(', ');
  return verdict(
    passIf(ok),
    ok ? `Every ordinal has a Ready pod: ${names(wanted)}` : 'The pods are not the ones the StatefulSet asks for',
    [
      ...(notReady.length ? [`not Ready (or missing): ${names(notReady)}`] : []),
      ...(extra.length ? [`outside the replicas: ${names(extra)}`] : []),
    ],
  );
}

/** What only a watch sees: N/A, why, and where to see it proved. */
export const watchOnly = (headline: string, why: string): Verdict =>
  verdict('N/A', headline, [
    why,
    'Only a watch sees it as it happens: kubectl sts-lab tour --hands-on proves it while you act.',
  ]);
