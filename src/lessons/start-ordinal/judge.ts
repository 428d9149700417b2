// setup --start-ordinal K, proved from the cluster: the server kept spec.ordinals.start, and
// the controller made the pods from K up, each labelled with its index and on its own claim.
import { claimName, podName, type LabNames } from '../../lab/names.ts';
import { ordinalSpan } from '../../lab/ordinals.ts';
import type { PodRow } from '../../lab/pod-rows.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

/** The label the controller puts on each pod with its ordinal (beta and on by default from 1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export interface StartOrdinalCheck {
  ordinal: number;
  ok: boolean;
  detail: string;
}

export interface StartOrdinalInput {
  names: LabNames;
  requested: number;
  /** spec.ordinals.start as read back (0 when the server dropped the field). */
  onServer: number;
  serverVersion: string;
  /** The ordinals the StatefulSet now wants, and the rows of its pods. */
  wanted: number[];
  pods: PodRow[];
  /** The pod-index label of a pod, undefined where the server sets none. */
  podIndex: (ordinal: number) => string | undefined;
}

/** null when nobody asked for another start and the pods are numbered from 0. */
export function startOrdinalVerdict(s: StartOrdinalInput): Verdict<StartOrdinalCheck> | null {
  if (!s.requested && !s.onServer) return null;
  if (s.onServer !== s.requested) {
    return verdict(
      'N/A',
      `--start-ordinal ${s.requested} not judged: the API server (${s.serverVersion}) dropped spec.ordinals.start, so the pods are numbered from ${s.onServer}`,
      [
        'spec.ordinals is GA from Kubernetes 1.31 (feature gate StatefulSetStartOrdinal: beta and on by default from 1.27).',
        'The other lessons work on the pods as they are.',
      ],
    );
  }
  const rows = new Map(s.pods.map((r) => [r.ordinal, r]));
  const checks = s.wanted.map((ordinal): StartOrdinalCheck => {
    const row = rows.get(ordinal);
    const name = podName(s.names, ordinal);
    const index = s.podIndex(ordinal);
    const problems = [
      !row?.uid && 'no pod',
      row?.uid && !row.ready && 'not Ready',
      index !== undefined && index !== String(ordinal) && `label ${POD_INDEX_LABEL}=${index}`,
      row?.pvcStatus !== 'Bound' && `claim ${claimName(s.names, ordinal)} is ${row?.pvcStatus ?? 'missing'}`,
    ].filter(Boolean);
    return {
      ordinal,
      ok: !problems.length,
      detail: problems.length
        ? `${name}: ${problems.join(', ')}`
        : `${name} Ready on claim ${claimName(s.names, ordinal)}${index !== undefined ? `, labelled ${POD_INDEX_LABEL}=${index}` : ''}`,
    };
  });
  const strays = s.pods.filter((r) => r.uid && !s.wanted.includes(r.ordinal));
  const failed = checks.filter((c) => !c.ok);
  const span = ordinalSpan(s.wanted);
  return verdict(
    passIf(!failed.length && !strays.length),
    failed.length || strays.length
      ? `Ordinals ${span} asked for, but the pods do not match`
      : `Ordinals start at ${s.onServer}: pods ${podName(s.names, s.wanted[0] ?? s.onServer)}${s.wanted.length > 1 ? `..${s.wanted[s.wanted.length - 1]}` : ''}, each on its own claim`,
    [
      `spec.ordinals.start numbers the pods from ${s.onServer} instead of 0: the same stable names, DNS records and claims, shifted;`,
      "the controller creates them in order from the first ordinal, and counts a rolling update's partition from it.",
      ...failed.map((c) => c.detail),
      ...strays.map((r) => `${r.pod} is outside ordinals ${span} and still exists`),
    ],
    checks,
  );
}
