// Finding and merging kubeconfig files by client-go's loading rules (tools/clientcmd/loader.go), so that a file
// kubectl reads means the same to sts-lab: KUBECONFIG's files in order, a missing one skipped, the first file to
// name a cluster, user or context keeps it whole, the first current-context set wins, and every relative path is
// resolved against the directory of the file it was written in. --kubeconfig reads that one file only.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { CliError } from '../errors.ts';
import { inClusterConfig, inClusterPossible, SERVICE_ACCOUNT_DIR } from './kubeconfig-incluster.ts';

export interface ExecConfig {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: { name?: string; value?: string }[];
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

export interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: { name?: string; extension?: unknown }[];
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
  exec?: ExecConfig;
  'auth-provider'?: { name?: string; config?: Record<string, string> };
}

export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** The merged configuration, as client-go's clientcmdapi.Config holds it: maps by name. */
export interface Kubeconfig {
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  currentContext: string | undefined;
}

export const emptyKubeconfig = (): Kubeconfig => ({
  clusters: new Map(),
  users: new Map(),
  contexts: new Map(),
  currentContext: undefined,
});

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One named list (clusters, users, contexts) as a map; a name twice in one file is an error, as in client-go. */
function namedList<T>(doc: Doc, list: string, field: string): Map<string, T> {
  const out = new Map<string, T>();
  const items = doc[list];
  if (items === undefined || items === null) return out;
  if (!Array.isArray(items)) throw new Error(`${list} is not a list`);
  for (const item of items as unknown[]) {
    if (!isDoc(item)) throw new Error(`an entry of ${list} is not a mapping`);
    const name = String(item['name'] ?? '');
    if (out.has(name)) throw new Error(`duplicate name "${name}" in ${list}`);
    const value = item[field];
    out.set(name, (isDoc(value) ? value : {}) as T);
  }
  return out;
}

/** A relative path made absolute against the kubeconfig's directory (client-go's ResolvePaths). */
const against = (base: string, path: string | undefined): string | undefined =>
  path && !isAbsolute(path) ? join(base, path) : path;

/**
 * client-go's ResolveLocalPaths for one file's entries: certificate-authority, client-certificate, client-key,
 * tokenFile, and an exec command that names a path (a bare name is looked up on PATH).
 */
export function resolveLocalPaths(config: Kubeconfig, base: string): Kubeconfig {
  for (const cluster of config.clusters.values())
    cluster['certificate-authority'] = against(base, cluster['certificate-authority']);
  for (const user of config.users.values()) {
    user['client-certificate'] = against(base, user['client-certificate']);
    user['client-key'] = against(base, user['client-key']);
    user.tokenFile = against(base, user.tokenFile);
    if (user.exec?.command?.includes(sep)) user.exec.command = against(base, user.exec.command);
  }
  return config;
}

/** One kubeconfig's text (an empty file is an empty config, as in client-go). */
export function parseKubeconfig(text: string): Kubeconfig {
  const parsed = parseDocument(text, { uniqueKeys: false });
  const bad = parsed.errors[0];
  if (bad) {
    const line = bad.linePos?.[0]?.line;
    const reason = bad.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new Error(`not valid YAML: ${reason}${line === undefined ? '' : ` (line ${line})`}`);
  }
  const doc: unknown = parsed.toJS();
  if (doc === null || doc === undefined) return emptyKubeconfig();
  if (!isDoc(doc)) throw new Error('not a kubeconfig (not a YAML mapping)');
  const current = doc['current-context'];
  return {
    clusters: namedList(doc, 'clusters', 'cluster'),
    users: namedList(doc, 'users', 'user'),
    contexts: namedList(doc, 'contexts', 'context'),
    currentContext: typeof current === 'string' && current !== '' ? current : undefined,
  };
}

/** The files merged in order: the first to define a name keeps it (whole), the first current-context wins. */
export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const merged = emptyKubeconfig();
  for (const c of configs) {
    for (const [k, v] of c.clusters) if (!merged.clusters.has(k)) merged.clusters.set(k, v);
    for (const [k, v] of c.users) if (!merged.users.has(k)) merged.users.set(k, v);
    for (const [k, v] of c.contexts) if (!merged.contexts.has(k)) merged.contexts.set(k, v);
    merged.currentContext ??= c.currentContext;
  }
  return merged;
}

/** One file read and parsed, its paths resolved; undefined when it does not exist. */
export function readKubeconfigFile(file: string): Kubeconfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : firstLine(err);
    throw new CliError(`error loading config file "${file}": ${why}`);
  }
  try {
    return resolveLocalPaths(parseKubeconfig(text), dirname(resolve(file)));
  } catch (err) {
    throw new CliError(`error loading config file "${file}": ${firstLine(err)}`);
  }
}

/** KUBECONFIG's files (deduplicated, empty entries dropped), or ~/.kube/config when it is unset or empty. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const fromEnv = env.KUBECONFIG ?? '';
  if (fromEnv === '') return [join(env.HOME || homedir(), '.kube', 'config')];
  return [...new Set(fromEnv.split(delimiter))].filter(Boolean);
}

export interface Loaded {
  config: Kubeconfig;
  /** Where it came from, for messages. */
  source: string;
}

/**
 * The configuration kubectl would use: --kubeconfig's file alone, or KUBECONFIG's (or ~/.kube/config) merged, or,
 * when none of those has anything, the in-cluster service account (KUBERNETES_SERVICE_HOST/PORT and its token).
 */
export function loadKubeconfig(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  saDir = SERVICE_ACCOUNT_DIR,
): Loaded {
  if (explicit) {
    const config = readKubeconfigFile(explicit);
    if (!config) throw new CliError(`cannot read kubeconfig "${explicit}": no such file or directory`);
    if (!config.contexts.size && !config.clusters.size)
      throw new CliError(`error loading config file "${explicit}": not a kubeconfig (no clusters, no contexts)`);
    return { config, source: explicit };
  }
  const files = kubeconfigFiles(env);
  const found: Kubeconfig[] = [];
  for (const file of files) {
    const c = readKubeconfigFile(file);
    if (c) found.push(c);
  }
  const config = mergeKubeconfigs(found);
  if (config.clusters.size || config.contexts.size || config.users.size)
    return { config, source: env.KUBECONFIG ? 'KUBECONFIG' : files[0]! };
  if (inClusterPossible(env, saDir)) return { config: inClusterConfig(env, saDir), source: 'in-cluster' };
  const where = env.KUBECONFIG
    ? `KUBECONFIG names no kubeconfig that exists or has anything in it (${env.KUBECONFIG})`
    : `no kubeconfig found (${files[0]} does not exist)`;
  const sa = env.KUBERNETES_SERVICE_HOST
    ? `, and no in-cluster config (KUBERNETES_SERVICE_HOST is set but ${join(saDir, 'token')} ${existsSync(join(saDir, 'token')) ? 'is there while KUBERNETES_SERVICE_PORT is not set' : 'does not exist'})`
    : '';
  throw new CliError(`${where}${sa}: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config`);
}

export const firstLine = (err: unknown): string =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .trim();
