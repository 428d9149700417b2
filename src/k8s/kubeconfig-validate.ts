// client-go's ConfirmUsable (tools/clientcmd/validation.go) for the context in use, in its words: kubectl refuses
// these kubeconfigs before it sends anything, and so does sts-lab.
import { accessSync, constants } from 'node:fs';
import { CliError } from '../errors.ts';
import type { Kubeconfig, KubeconfigCluster, KubeconfigUser } from './kubeconfig.ts';

const PROXY_SCHEMES = ['http:', 'https:', 'socks5:'];
const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'];

/** Go's "due to open FILE: no such file or directory". */
function unreadable(file: string): string | undefined {
  try {
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code;
    return `open ${file}: ${why}`;
  }
}

export function clusterErrors(name: string, c: KubeconfigCluster | undefined): string[] {
  if (!c || Object.values(c).every((v) => v === undefined)) return ['cluster has no server defined'];
  const errors: string[] = [];
  if (!c.server) errors.push(name ? `no server found for cluster "${name}"` : 'default cluster has no server defined');
  const proxy = c['proxy-url'];
  if (proxy) {
    let scheme: string | undefined;
    try {
      scheme = new URL(proxy).protocol;
    } catch {
      errors.push(`invalid 'proxy-url' "${proxy}" for cluster "${name}": parse "${proxy}": invalid URL`);
    }
    if (scheme !== undefined && !PROXY_SCHEMES.includes(scheme))
      errors.push(
        `invalid 'proxy-url' "${proxy}" for cluster "${name}": unsupported scheme "${scheme.slice(0, -1)}", must be http, https, or socks5`,
      );
  }
  const caFile = c['certificate-authority'];
  if (caFile && c['certificate-authority-data'])
    errors.push(
      `certificate-authority-data and certificate-authority are both specified for ${name}. certificate-authority-data will override.`,
    );
  const caError = caFile && unreadable(caFile);
  if (caError) errors.push(`unable to read certificate-authority ${caFile} for ${name} due to ${caError}`);
  return errors;
}

export function userErrors(name: string, u: KubeconfigUser): string[] {
  const errors: string[] = [];
  const methods: string[] = [];
  if (u.token) methods.push('token');
  if (u.username || u.password) methods.push('basicAuth');
  const certFile = u['client-certificate'];
  const keyFile = u['client-key'];
  if (certFile || u['client-certificate-data']) {
    if (certFile && u['client-certificate-data'])
      errors.push(`client-cert-data and client-cert are both specified for ${name}. client-cert-data will override.`);
    if (keyFile && u['client-key-data'])
      errors.push(`client-key-data and client-key are both specified for ${name}; client-key-data will override`);
    if (!keyFile && !u['client-key-data'])
      errors.push(
        `client-key-data or client-key must be specified for ${name} to use the clientCert authentication method.`,
      );
    const certError = certFile && unreadable(certFile);
    if (certError) errors.push(`unable to read client-cert ${certFile} for ${name} due to ${certError}`);
    const keyError = keyFile && unreadable(keyFile);
    if (keyError) errors.push(`unable to read client-key ${keyFile} for ${name} due to ${keyError}`);
  }
  const exec = u.exec;
  if (exec) {
    if (u['auth-provider'])
      errors.push(`authProvider cannot be provided in combination with an exec plugin for ${name}`);
    if (!exec.command) errors.push(`command must be specified for ${name} to use exec authentication plugin`);
    if (!exec.apiVersion) errors.push(`apiVersion must be specified for ${name} to use exec authentication plugin`);
    for (const v of exec.env ?? [])
      if (!v.name) errors.push(`env variable name must be specified for ${name} to use exec authentication plugin`);
    const mode = exec.interactiveMode;
    if (!mode) errors.push(`interactiveMode must be specified for ${name} to use exec authentication plugin`);
    else if (!INTERACTIVE_MODES.includes(mode)) errors.push(`invalid interactiveMode for ${name}: "${mode}"`);
  }
  if (methods.length > 1)
    errors.push(
      `more than one authentication method found for ${name}; found [${methods.join(' ')}], only one is allowed`,
    );
  if ((u['as-uid'] || u['as-groups']?.length || Object.keys(u['as-user-extra'] ?? {}).length) && !u.as)
    errors.push(`requesting uid, groups or user-extra for ${name} without impersonating a user`);
  return errors;
}

/** kubeconfig v1 defaults interactiveMode to IfAvailable for the beta plugin API, before validation sees it. */
export function withExecDefaults(u: KubeconfigUser): KubeconfigUser {
  if (u.exec && !u.exec.interactiveMode && u.exec.apiVersion === 'client.authentication.k8s.io/v1beta1')
    return { ...u, exec: { ...u.exec, interactiveMode: 'IfAvailable' } };
  return u;
}

/** Throws kubectl's error for a context it would refuse; one problem is one line, several are listed. */
export function confirmUsable(config: Kubeconfig, contextName: string): void {
  const ctx = config.contexts.get(contextName);
  if (!ctx) throw new CliError(`context "${contextName}" does not exist`);
  // kubectl takes a missing user as no credentials (and prompts for a password); sts-lab sends none and never
  // prompts. A missing cluster sends kubectl to localhost:8080; sts-lab says what is missing instead.
  const errors: string[] = [];
  if (!ctx.cluster) errors.push(`cluster was not specified for context "${contextName}"`);
  else if (!config.clusters.has(ctx.cluster))
    errors.push(`cluster "${ctx.cluster}" was not found for context "${contextName}"`);
  errors.push(...userErrors(ctx.user ?? '', withExecDefaults(config.users.get(ctx.user ?? '') ?? {})));
  const cluster = config.clusters.get(ctx.cluster ?? '');
  if (cluster) errors.push(...clusterErrors(ctx.cluster!, cluster));
  if (errors.length === 1) throw new CliError(errors[0]!);
  if (errors.length > 1) throw new CliError(`invalid configuration: [${errors.join(', ')}]`);
}
