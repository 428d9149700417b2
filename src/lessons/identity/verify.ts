// verify identity: each pod's name, hostname and subdomain as the controller set them, and a pod
// re-created since write-data (the journal) back with the same claim and volume.
import { byOrdinal, podName } from '../../lab/names.ts';
import { labOrdinals } from '../../lab/ordinals.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import type { PersistenceRow } from '../storage/judge.ts';
import type { Now } from '../lesson.ts';

export function namesNow(now: Pick<Now, 'names' | 'sts' | 'pods'>): Verdict {
  const n = now.names;
  const pods = byOrdinal(n, now.pods);
  const service = now.sts.spec?.serviceName;
  const wrong = labOrdinals(now.sts).flatMap((i) => {
    const p = pods.get(i);
    const name = podName(n, i);
    if (!p) return [`${name}: no pod`];
    return [
      ...(p.spec?.hostname === name ? [] : [`${name}: hostname ${p.spec?.hostname ?? '<none>'}`]),
      ...(p.spec?.subdomain === service ? [] : [`${name}: subdomain ${p.spec?.subdomain ?? '<none>'}, not ${service}`]),
    ];
  });
  return verdict(
    passIf(!wrong.length),
    wrong.length
      ? 'Stable names broken'
      : `Stable names: each pod is <statefulset>-<ordinal>, with that hostname, under subdomain ${service}`,
    wrong,
  );
}

/** A pod re-created since write-data: same name, new UID, the same claim and volume. */
export function recreatedNow(n: Now['names'], rows: PersistenceRow[] | undefined): Verdict {
  if (!rows)
    return verdict('FAIL', 'Nothing recorded to compare a re-created pod with', [
      'kubectl sts-lab write-data records each pod with its UID, claim and volume; then delete a pod and verify again.',
    ]);
  const recreated = rows.filter((r) => r.podRecreated);
  if (!recreated.length)
    return verdict('FAIL', 'No pod was re-created since write-data', [
      `The lesson deletes one, for example: kubectl -n ${n.namespace} delete pod ${podName(n, rows[0]?.ordinal ?? 0)}`,
    ]);
  const broken = recreated.filter((r) => !r.pvcSame || !r.pvSame);
  return verdict(
    passIf(!broken.length),
    broken.length
      ? `Identity lost for ${broken.map((r) => r.pod).join(', ')}`
      : `Stable identity held: ${recreated.map((r) => r.pod).join(', ')} came back as itself`,
    recreated.map(
      (r) =>
        `${r.pod}: uid ${r.uidAtWrite.slice(0, 8)} → ${(r.uidNow ?? '<none>').slice(0, 8)}, claim ${r.pvcSame ? 'the same' : 'replaced'}, volume ${r.pvSame ? 'the same' : 'changed'}`,
    ),
  );
}
