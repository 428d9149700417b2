// Where each claim's volume lets its pod run, read from the PersistentVolumes (cluster-scoped:
// with only namespace rights the answer is unknown, not an error).
import type { Lab } from '../k8s/index.ts';
import type { ClaimLike } from '../lab/pod-rows.ts';
import { volumeNodes } from '../lab/volumes.ts';

export async function volumePins(lab: Lab, claims: ClaimLike[]): Promise<Map<string, string[] | null>> {
  const volumes = [...new Set(claims.map((c) => c.spec?.volumeName).filter((v): v is string => Boolean(v)))];
  const pins = await Promise.all(volumes.map(async (pv) => volumeNodes(await lab.findVolume(pv))));
  return new Map(volumes.map((pv, i) => [pv, pins[i]!]));
}
