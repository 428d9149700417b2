// Claims deleted by the controller's policy, not by sts-lab: with persistentVolumeClaimRetentionPolicy
// whenDeleted: Delete the StatefulSet controller makes itself an owner of each claim, and the
// garbage collector deletes the claims once the StatefulSet is gone.
import type { ClaimLike } from '../../lab/pod-rows.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

interface OwnedClaim extends ClaimLike {
  metadata?: ClaimLike['metadata'] & { ownerReferences?: { kind?: string; name?: string; uid?: string }[] };
}

export interface OwnedClaimRow {
  pvc: string;
  owner: string | null;
  /** When the watch saw it gone (ISO), null if it never went. */
  goneAt: string | null;
}

/** The claims that name this StatefulSet (by UID) among their owners. */
export function claimsOwnedBy(claims: OwnedClaim[], stsUid: string): { pvc: string; owner: string }[] {
  return claims.flatMap((c) => {
    const ref = c.metadata?.ownerReferences?.find((r) => r.uid === stsUid);
    return ref ? [{ pvc: c.metadata?.name ?? '', owner: `${ref.kind}/${ref.name}` }] : [];
  });
}

export function ownedClaimsVerdict(labClaims: string[], rows: OwnedClaimRow[]): Verdict<OwnedClaimRow> {
  const unowned = labClaims.filter((c) => !rows.some((r) => r.pvc === c));
  const stayed = rows.filter((r) => !r.goneAt);
  const ok = !unowned.length && !stayed.length && rows.length > 0;
  return verdict(
    passIf(ok),
    ok
      ? `Claims deleted by the controller's policy: ${rows.map((r) => r.pvc).join(', ')} went with the StatefulSet, sts-lab deleted none`
      : 'The claims were not deleted through the StatefulSet',
    [
      'whenDeleted: Delete makes the StatefulSet an owner of each claim (an ownerReference the controller adds); once the',
      'StatefulSet is deleted, the garbage collector deletes what it owned. sts-lab only watched.',
      ...unowned.map((c) => `${c}: no ownerReference to the StatefulSet before it was deleted`),
      ...stayed.map((r) => `${r.pvc}: still there after the StatefulSet was gone`),
    ],
    rows,
  );
}
