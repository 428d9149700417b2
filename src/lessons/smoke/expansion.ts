// Volume expansion, proved from inside the pod: the claim asks for more, and the filesystem the
// pod mounts reports the new size (df), not just the claim's status. Pure: the quantities and
// df's answer are passed in.
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

const UNIT: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity ("1Gi", "500Mi", "2G") in bytes; undefined for what sts-lab does not read. */
export function bytesOf(q: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q ?? '');
  return m ? Number(m[1]) * UNIT[m[2] ?? '']! : undefined;
}

/** One more Gi than the claim has: the request an expansion sends. */
export const grown = (size: string): string => `${Math.ceil((bytesOf(size) ?? 2 ** 30) / 2 ** 30) + 1}Gi`;

/** The 1024-byte blocks in `df -Pk DIR`'s second line. */
export function dfKilobytes(out: string): number | undefined {
  const fields = out.trim().split('\n')[1]?.trim().split(/\s+/);
  const total = Number(fields?.[1]);
  return Number.isFinite(total) && total > 0 ? total : undefined;
}

export interface ExpansionEvidence {
  pvc: string;
  from: string;
  to: string;
  capacity: string | null;
  /** What the pod's filesystem reported, before and after, in bytes. */
  filesystemBefore: number | null;
  filesystemAfter: number | null;
  resizedMs: number | null;
}

/** Filesystems lose a few percent to their own metadata: 90 % of the request counts as the new size. */
const FS_OVERHEAD = 0.9;

export function expansionVerdict(e: ExpansionEvidence): Verdict<never> {
  const wanted = bytesOf(e.to) ?? 0;
  const grew = e.filesystemAfter !== null && e.filesystemBefore !== null && e.filesystemAfter > e.filesystemBefore;
  const big = e.filesystemAfter !== null && e.filesystemAfter >= wanted * FS_OVERHEAD;
  const gib = (b: number | null) => (b === null ? '?' : `${(b / 2 ** 30).toFixed(2)} GiB`);
  const ok = grew && big && (bytesOf(e.capacity ?? '') ?? 0) >= wanted;
  return verdict(
    passIf(ok),
    ok
      ? `${e.pvc} expanded from ${e.from} to ${e.to}: the pod's filesystem grew from ${gib(e.filesystemBefore)} to ${gib(e.filesystemAfter)}`
      : `${e.pvc} was not expanded to ${e.to} inside the pod: its filesystem reports ${gib(e.filesystemAfter)} (before ${gib(e.filesystemBefore)}), the claim ${e.capacity ?? 'no capacity'}`,
    ok
      ? []
      : [
          "The claim's status can say the new size while the filesystem has not grown: the kubelet resizes it (NodeExpandVolume) when the pod mounts it.",
        ],
  );
}
