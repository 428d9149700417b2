// Each claim's PersistentVolume, and where it lets its pod run (cluster-scoped: with only namespace
// rights the answer is unknown, not an error).
import type { Lab, V1PersistentVolume } from '../k8s/index.ts';
import type { ClaimLike } from '../lab/pod-rows.ts';
import { volumeNodes } from '../lab/volumes.ts';

/** The claims' volumes by name; undefined where a volume cannot be read. */
export async function volumesOf(lab: Lab, claims: ClaimLike[]): Promise<Map<string, V1PersistentVolume | undefined>> {
  const names = [...new Set(claims.map((c) => c.spec?.volumeName).filter((v): v is string => Boolean(v)))];
  const volumes = await Promise.all(names.map((pv) => lab.findVolume(pv)));
  return new Map(names.map((pv, i) => [pv, volumes[i]]));
}

export const pinsOf = (volumes: ReadonlyMap<string, V1PersistentVolume | undefined>): Map<string, string[] | null> =>
  new Map([...volumes].map(([name, pv]) => [name, volumeNodes(pv)]));

export const volumePins = async (lab: Lab, claims: ClaimLike[]): Promise<Map<string, string[] | null>> =>
  pinsOf(await volumesOf(lab, claims));
