// Orphan and adopt, from the pod objects: deleting a StatefulSet with propagationPolicy Orphan
// leaves its pods running with the same UIDs but no controller ownerReference, and nothing
// re-creates an orphan that is deleted; a new StatefulSet with the same selector adopts them.
import { isReady, uidOf, type PodLike } from '../../lab/pods.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

interface Owned extends PodLike {
  metadata?: PodLike['metadata'] & {
    ownerReferences?: { kind?: string; name?: string; uid?: string; controller?: boolean }[];
  };
}

/** The controller ownerReference, as "StatefulSet/name (uid)"; null for an orphan. */
export function controllerOf(pod: Owned): { kind: string; name: string; uid: string } | null {
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
  return ref ? { kind: ref.kind ?? '', name: ref.name ?? '', uid: ref.uid ?? '' } : null;
}

export const isOrphan = (pod: Owned): boolean => controllerOf(pod) === null;

export interface OrphanRow {
  pod: string;
  uidBefore: string;
  uidAfter: string | null;
  ownerBefore: string | null;
  ownerAfter: string | null;
  ready: boolean;
}

export interface OrphanCheck {
  pod: string;
  ok: boolean;
  detail: string;
}

const ownerText = (p: Owned | undefined) => {
  const c = p && controllerOf(p);
  return c ? `${c.kind}/${c.name}` : null;
};

export function orphanRows(before: Map<string, Owned>, after: Map<string, Owned>): OrphanRow[] {
  return [...before].map(([pod, was]) => {
    const now = after.get(pod);
    return {
      pod,
      uidBefore: uidOf(was),
      uidAfter: now ? uidOf(now) : null,
      ownerBefore: ownerText(was),
      ownerAfter: ownerText(now),
      ready: Boolean(now && isReady(now)),
    };
  });
}

/** Every pod kept its UID and readiness and lost its owner; a deleted orphan stayed deleted. */
export function orphanVerdict(
  rows: OrphanRow[],
  deleted: { pod: string; recreated: boolean; windowMs: number } | null,
): Verdict<OrphanCheck> {
  const checks: OrphanCheck[] = rows
    .filter((r) => r.pod !== deleted?.pod)
    .map((r) => {
      const ok = r.uidAfter === r.uidBefore && r.ownerAfter === null && r.ready;
      return {
        pod: r.pod,
        ok,
        detail: ok
          ? `${r.pod} still runs (same UID, Ready) and has no owner`
          : `${r.pod}: ${r.uidAfter !== r.uidBefore ? 'replaced or gone' : r.ownerAfter ? `still owned by ${r.ownerAfter}` : 'not Ready'}`,
      };
    });
  if (deleted) {
    checks.push({
      pod: deleted.pod,
      ok: !deleted.recreated,
      detail: deleted.recreated
        ? `${deleted.pod} was re-created: something still controls the pods`
        : `${deleted.pod} deleted and not re-created in ${deleted.windowMs / 1000}s: no controller owns the orphans`,
    });
  }
  const failed = checks.filter((c) => !c.ok);
  return verdict(
    passIf(!failed.length),
    failed.length
      ? 'Orphaning did not leave the pods as Kubernetes promises'
      : `Orphaned: ${rows.length - (deleted ? 1 : 0)} pods run on without a StatefulSet${deleted ? `, and ${deleted.pod} stayed deleted` : ''}`,
    [
      "propagationPolicy Orphan: the garbage collector removes the StatefulSet's ownerReference from its pods instead of deleting them;",
      'nothing owns them now, so nothing replaces one that goes. kubectl sts-lab setup makes a StatefulSet that adopts them again.',
      ...failed.map((c) => c.detail),
    ],
    checks,
  );
}

export interface Adoption {
  pod: string;
  uid: string;
  owner: string | null;
}

/**
 * Orphans found before setup, and whether the new StatefulSet (by UID) became their controller
 * with the same UID kept. The watch's history is the evidence: an adopted pod whose template is
 * not the new StatefulSet's is replaced right after, and that must not hide the adoption.
 */
export function adoptionVerdict(
  orphans: Map<string, Owned>,
  history: { pod: Owned }[],
  now: Map<string, Owned>,
  stsUid: string,
): { adopted: Adoption[]; verdict: Verdict<OrphanCheck> } {
  const ownedBySts = (p: Owned) => controllerOf(p)?.uid === stsUid;
  const adopted = [...orphans].map(([pod, was]) => {
    const taken = history.find((c) => uidOf(c.pod) === uidOf(was) && ownedBySts(c.pod))?.pod;
    const c = taken && controllerOf(taken);
    const current = now.get(pod);
    return {
      pod,
      uid: uidOf(was),
      owner: c ? `${c.kind}/${c.name}` : null,
      replacedAfter: Boolean(taken && current && uidOf(current) !== uidOf(was)),
    };
  });
  const checks = adopted.map((a) => ({
    pod: a.pod,
    ok: a.owner !== null,
    detail: a.owner
      ? `${a.pod} adopted: same UID ${a.uid.slice(0, 8)}, owner ${a.owner}`
      : `${a.pod} was not adopted with its UID ${a.uid.slice(0, 8)}`,
  }));
  const failed = checks.filter((c) => !c.ok);
  const replaced = adopted.filter((a) => a.replacedAfter).map((a) => a.pod);
  return {
    adopted: adopted.map(({ pod, uid, owner }) => ({ pod, uid, owner })),
    verdict: verdict(
      passIf(!failed.length),
      failed.length
        ? 'Adoption failed'
        : `Adopted: ${adopted.map((a) => a.pod).join(', ')} kept their UIDs and have the new StatefulSet as owner`,
      [
        'The StatefulSet controller adopts pods that match its selector and have no controller: it sets itself as their owner, so the pods (and their claims and data) carry on as if the StatefulSet had never gone.',
        ...(replaced.length
          ? [
              `Then ${replaced.join(', ')} ${replaced.length === 1 ? 'was' : 'were'} replaced: adopted pods keep their old template, and the controller rolls them onto the new StatefulSet's.`,
            ]
          : []),
        ...failed.map((c) => c.detail),
      ],
      checks,
    ),
  };
}
