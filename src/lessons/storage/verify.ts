// verify storage: each pod mounts its own claim from the template, Bound to a volume no other
// pod has, and the bytes write-data left read back the same (the journal).
import { byOrdinal, claimName, claimTemplate, podName } from '../../lab/names.ts';
import { labOrdinals } from '../../lab/ordinals.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import { persistenceVerdict, type PersistenceRow } from './judge.ts';
import type { Now } from '../lesson.ts';

export function claimsNow(now: Pick<Now, 'names' | 'sts' | 'pods' | 'claims'>): Verdict {
  const n = now.names;
  const pods = byOrdinal(n, now.pods);
  const claims = new Map(now.claims.map((c) => [c.metadata?.name ?? '', c]));
  const volumes = new Map<string, string[]>();
  const wrong: string[] = [];
  for (const i of labOrdinals(now.sts)) {
    const pod = podName(n, i);
    const want = claimName(n, i);
    const mounted = pods.get(i)?.spec?.volumes?.find((v) => v.name === claimTemplate(n))
      ?.persistentVolumeClaim?.claimName;
    const claim = claims.get(want);
    if (mounted !== want) wrong.push(`${pod}: mounts ${mounted ?? 'no claim'}, not ${want}`);
    if (claim?.status?.phase !== 'Bound') wrong.push(`${want}: ${claim?.status?.phase ?? 'missing'}, not Bound`);
    const pv = claim?.spec?.volumeName;
    if (pv) volumes.set(pv, [...(volumes.get(pv) ?? []), want]);
  }
  for (const [pv, by] of volumes) if (by.length > 1) wrong.push(`${by.join(' and ')} share volume ${pv}`);
  return verdict(
    passIf(!wrong.length),
    wrong.length
      ? 'A claim per pod broken'
      : `A claim per pod: each mounts ${claimTemplate(n)}-<pod>, Bound to its own volume`,
    wrong,
  );
}

export function dataNow(rows: PersistenceRow[] | undefined): Verdict {
  if (!rows)
    return verdict('FAIL', 'No data to check', [
      'kubectl sts-lab write-data writes a marker into each volume and records it.',
    ]);
  return persistenceVerdict(rows);
}
