// Inside a pod with no kubeconfig, kubectl uses the pod's service account (client-go rest.InClusterConfig): the
// API server from KUBERNETES_SERVICE_HOST/PORT, the CA and a token file it re-reads, the namespace file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { Kubeconfig } from './kubeconfig.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const IN_CLUSTER_CONTEXT = 'in-cluster';

export function inClusterPossible(env: NodeJS.ProcessEnv, saDir: string): boolean {
  if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return statSync(join(saDir, 'token')).isFile();
  } catch {
    return false;
  }
}

export function inClusterConfig(env: NodeJS.ProcessEnv, saDir: string): Kubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const ca = join(saDir, 'ca.crt');
  const nsFile = join(saDir, 'namespace');
  const namespace = env.POD_NAMESPACE || (existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() : '') || 'default';
  return {
    clusters: new Map([
      [
        IN_CLUSTER_CONTEXT,
        {
          server: `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`,
          // client-go goes on without the CA when it cannot be read (and the server's certificate then fails).
          ...(existsSync(ca) ? { 'certificate-authority': ca } : {}),
        },
      ],
    ]),
    users: new Map([[IN_CLUSTER_CONTEXT, { tokenFile: join(saDir, 'token') }]]),
    contexts: new Map([[IN_CLUSTER_CONTEXT, { cluster: IN_CLUSTER_CONTEXT, user: IN_CLUSTER_CONTEXT, namespace }]]),
    currentContext: IN_CLUSTER_CONTEXT,
  };
}
