// verify retention: persistentVolumeClaimRetentionPolicy against the claims as they are: who
// owns them (whenDeleted) and which are left above the replicas (whenScaled).
import { claimName, claimTemplate, isLabClaim } from '../../lab/names.ts';
import { labOrdinals } from '../../lab/ordinals.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import { claimsOwnedBy } from './judge.ts';
import type { Now } from '../lesson.ts';

type Claims = Pick<Now, 'names' | 'sts' | 'claims'>;
const policyOf = (now: Claims) => now.sts.spec?.persistentVolumeClaimRetentionPolicy ?? {};

/** whenDeleted: Delete makes the StatefulSet an owner of each claim; Retain, of none. */
export function ownersNow(now: Claims): Verdict {
  const n = now.names;
  const whenDeleted = policyOf(now).whenDeleted ?? 'Retain';
  const owned = new Set(claimsOwnedBy(now.claims, now.sts.metadata?.uid ?? '').map((c) => c.pvc));
  const claims = labOrdinals(now.sts).map((i) => claimName(n, i));
  const wrong = claims.filter((c) => owned.has(c) !== (whenDeleted === 'Delete'));
  return verdict(
    passIf(!wrong.length),
    wrong.length
      ? `whenDeleted ${whenDeleted}: the claims' owners do not follow it`
      : `whenDeleted ${whenDeleted}: ${whenDeleted === 'Delete' ? 'every claim is owned by the StatefulSet, and goes with it' : 'no claim is owned by the StatefulSet: they outlive it'}`,
    wrong.map((c) => `${c}: ${owned.has(c) ? 'owned by' : 'no ownerReference to'} statefulset.apps/${n.statefulSet}`),
  );
}

/** whenScaled: the claims of ordinals the StatefulSet no longer has, kept (Retain) or gone (Delete). */
export function scaledClaimsNow(now: Claims): Verdict {
  const n = now.names;
  const whenScaled = policyOf(now).whenScaled ?? 'Retain';
  const wanted = labOrdinals(now.sts);
  const left = now.claims
    .map((c) => c.metadata?.name ?? '')
    .filter((c) => isLabClaim(n, c) && !wanted.some((i) => claimName(n, i) === c))
    .sort();
  if (whenScaled === 'Delete')
    return left.length
      ? verdict('FAIL', `whenScaled Delete, yet claims outlived their pods: ${left.join(', ')}`)
      : verdict('N/A', 'whenScaled Delete: no claim above the replicas', [
          'That holds whether or not the StatefulSet was ever scaled down: the objects cannot tell which.',
        ]);
  const unbound = left.filter((c) => now.claims.find((x) => x.metadata?.name === c)?.status?.phase !== 'Bound');
  if (!left.length)
    return verdict('FAIL', 'No claim left by a scale-down', [
      `The lesson scales down, for example: kubectl -n ${n.namespace} scale statefulset ${n.statefulSet} --replicas=${Math.max(wanted.length - 1, 0)}`,
    ]);
  return verdict(
    passIf(!unbound.length),
    unbound.length
      ? `whenScaled Retain, but ${unbound.join(', ')} no longer Bound`
      : `whenScaled Retain: ${left.join(', ')} kept and Bound, for the pods a scale-up brings back`,
    left.map((c) => `${c}: for ${c.slice(claimTemplate(n).length + 1)}`),
  );
}
