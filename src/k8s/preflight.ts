// Checks made before setup creates anything: is the API there, may we do what the lab
// needs, is there storage to bind the claims to.
import type { V1StorageClass } from '@kubernetes/client-node';
import type { Permission } from '../lab/permissions.ts';
import type { Kube } from './client.ts';
import { isForbidden } from './errors.ts';

export async function serverVersion(kube: Kube): Promise<string> {
  const info = await kube.call((o) => kube.version.getCode(o));
  return info.gitVersion;
}

export async function deniedPermissions(kube: Kube, namespace: string, wanted: Permission[]): Promise<Permission[]> {
  const answers = await Promise.all(
    wanted.map((p) =>
      kube.call((o) =>
        kube.authz.createSelfSubjectAccessReview(
          {
            body: {
              spec: {
                resourceAttributes: {
                  verb: p.verb,
                  resource: p.resource,
                  group: p.group ?? '',
                  subresource: p.subresource ?? '',
                  ...(p.clusterScoped ? {} : { namespace }),
                },
              },
            },
          },
          o,
        ),
      ),
    ),
  );
  return wanted.filter((_, i) => !answers[i]!.status?.allowed);
}

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const isDefaultClass = (sc: V1StorageClass): boolean =>
  DEFAULT_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');

/** All StorageClasses, or undefined when these credentials may not list them. */
export async function storageClasses(kube: Kube): Promise<V1StorageClass[] | undefined> {
  try {
    return (await kube.call((o) => kube.storage.listStorageClass({}, o))).items;
  } catch (err) {
    if (isForbidden(err)) return undefined;
    throw err;
  }
}
