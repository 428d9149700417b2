// From the merged kubeconfig to what a connection needs: the server, the TLS material, one credential chosen as
// client-go chooses it (tools/clientcmd/client_config.go, transport/), and the impersonation headers.
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.ts';
import type { ExecConfig, Kubeconfig, KubeconfigCluster, KubeconfigUser } from './kubeconfig.ts';
import { confirmUsable, withExecDefaults } from './kubeconfig-validate.ts';

/** What a plugin with provideClusterInfo is told about the cluster (clientauthentication Cluster, kubectl's order). */
export interface ExecCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  config?: unknown;
}

export type Credential =
  | { kind: 'none' }
  /** A token, and a file that replaces it whenever it can be read (client-go re-reads it every minute). */
  | { kind: 'token'; token: string; file?: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'exec'; user: string; exec: ExecConfig; cluster: ExecCluster | undefined }
  | { kind: 'oidc'; idToken: string };

export interface Connection {
  contextName: string;
  /** The context's namespace, if it names one. */
  namespace: string | undefined;
  server: string;
  ca: Buffer | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  servername: string | undefined;
  insecure: boolean;
  credential: Credential;
  /** Header name and value pairs; Impersonate-Group comes once per group. */
  impersonation: [string, string][];
  /** The cluster's proxy-url; when unset, HTTPS_PROXY/HTTP_PROXY/NO_PROXY decide. */
  proxyUrl: string | undefined;
  disableCompression: boolean;
}

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

const REMOVED_PROVIDERS: Record<string, [string, string]> = {
  gcp: [
    'The gcp auth plugin has been removed.',
    'Please use the "gke-gcloud-auth-plugin" kubectl/client-go credential plugin instead.\nSee https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke for further details',
  ],
  azure: [
    'The azure auth plugin has been removed.',
    'Please use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead.\nSee https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins for further details',
  ],
};

/** The bytes of a -data field (base64) or else of its file. */
function material(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  return file ? readFileSync(file) : undefined;
}

/** RFC 7230 token characters stay, everything else (and %) is percent-encoded: client-go's headerKeyEscape. */
export function headerKeyEscape(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /^[A-Za-z0-9!#$&'*+\-.^_`|~]$/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function impersonationHeaders(u: KubeconfigUser): [string, string][] {
  const h: [string, string][] = [];
  if (u.as) h.push(['Impersonate-User', u.as]);
  if (u['as-uid']) h.push(['Impersonate-Uid', u['as-uid']]);
  for (const g of u['as-groups'] ?? []) h.push(['Impersonate-Group', g]);
  for (const [k, values] of Object.entries(u['as-user-extra'] ?? {}))
    for (const v of values ?? []) h.push([`Impersonate-Extra-${headerKeyEscape(k)}`, v]);
  return h;
}

function execCluster(c: KubeconfigCluster, ca: Buffer | undefined): ExecCluster {
  const ext = c.extensions?.find((e) => e.name === EXEC_EXTENSION)?.extension;
  const out: ExecCluster = { server: c.server! };
  if (c['tls-server-name']) out['tls-server-name'] = c['tls-server-name'];
  if (c['insecure-skip-tls-verify']) out['insecure-skip-tls-verify'] = true;
  if (ca) out['certificate-authority-data'] = ca.toString('base64');
  if (c['proxy-url']) out['proxy-url'] = c['proxy-url'];
  if (c['disable-compression']) out['disable-compression'] = true;
  if (ext !== undefined) out.config = ext;
  return out;
}

function readTokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code}`,
    );
  }
}

/** The credential client-go would send: a token (or its file), basic auth, else exec (not with a client cert). */
function credentialFor(
  userName: string,
  u: KubeconfigUser,
  cluster: KubeconfigCluster,
  ca: Buffer | undefined,
): Credential {
  const provider = u['auth-provider'];
  if (provider) {
    const removed = REMOVED_PROVIDERS[provider.name ?? ''];
    if (removed) throw new CliError(removed[0], removed[1]);
    if (provider.name !== 'oidc') throw new CliError(`no Auth Provider found for name "${provider.name ?? ''}"`);
  }
  if (u.tokenFile) return { kind: 'token', token: u.token || readTokenFile(u.tokenFile), file: u.tokenFile };
  if (u.token) return { kind: 'token', token: u.token };
  if (u.username || u.password) return { kind: 'basic', username: u.username ?? '', password: u.password ?? '' };
  const hasCert = Boolean(u['client-certificate'] || u['client-certificate-data']);
  if (u.exec && !hasCert) {
    if (!EXEC_API_VERSIONS.includes(u.exec.apiVersion ?? ''))
      throw new CliError(`exec plugin: invalid apiVersion "${u.exec.apiVersion}"`);
    return {
      kind: 'exec',
      user: userName,
      exec: u.exec,
      cluster: u.exec.provideClusterInfo ? execCluster(cluster, ca) : undefined,
    };
  }
  if (provider) return oidcCredential(provider.config ?? {});
  return { kind: 'none' };
}

/**
 * kubectl's oidc provider sends the id-token and, once it has expired, refreshes it at the issuer and writes it
 * back into the kubeconfig. sts-lab sends a valid id-token only: it never writes to the kubeconfig.
 */
function oidcCredential(config: Record<string, string>): Credential {
  if (!config['client-id']) throw new CliError('Must provide client-id');
  if (!config['idp-issuer-url']) throw new CliError('Must provide idp-issuer-url');
  const idToken = config['id-token'] ?? '';
  const exp = jwtExpiry(idToken);
  if (!idToken || (exp !== undefined && exp * 1000 <= Date.now()))
    throw new CliError(
      `the oidc id-token of this kubeconfig user is ${idToken ? 'expired' : 'missing'}: sts-lab does not refresh it`,
      'run any kubectl command with this context once (kubectl refreshes it and saves it in the kubeconfig), then retry',
    );
  return { kind: 'oidc', idToken };
}

function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

/** The connection for --context (or the current context), after kubectl's own checks. */
export function connectionFor(config: Kubeconfig, contextFlag: string | undefined): Connection {
  if (contextFlag && !config.contexts.has(contextFlag)) throw new CliError(`context "${contextFlag}" does not exist`);
  const contextName = contextFlag || config.currentContext;
  if (!contextName)
    throw new CliError('the kubeconfig has no current context: pass --context or run kubectl config use-context NAME');
  confirmUsable(config, contextName);
  const ctx = config.contexts.get(contextName)!;
  const cluster = config.clusters.get(ctx.cluster!)!;
  const user = withExecDefaults(config.users.get(ctx.user ?? '') ?? {});
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (insecure && ca) throw new CliError('specifying a root certificates file with the insecure flag is not allowed');
  return {
    contextName,
    namespace: ctx.namespace || undefined,
    server: cluster.server!.replace(/\/+$/, ''),
    ca,
    cert: material(user['client-certificate-data'], user['client-certificate']),
    key: material(user['client-key-data'], user['client-key']),
    servername: cluster['tls-server-name'] || undefined,
    insecure,
    credential: credentialFor(ctx.user ?? '', user, cluster, ca),
    impersonation: impersonationHeaders(user),
    proxyUrl: cluster['proxy-url'] || undefined,
    disableCompression: cluster['disable-compression'] === true,
  };
}

export { readTokenFile };
