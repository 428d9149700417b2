// The one way sts-lab reaches a cluster: a KubeConfig chosen by kubectl's rules and flags,
// requests that each carry the Ctrl-C signal and the --request-timeout.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  RequestContext,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import type { ConnectionOptions } from '../options.ts';
import {
  Cluster,
  type ChangeType,
  type ExecOptions,
  type ExecResult,
  type Query,
  type WatchSpec,
  type Watched,
  type WriteMethod,
} from './cluster.ts';
import { toCliError } from './errors.ts';
import { execInPod } from './exec.ts';
import { watch } from './informer.ts';

export type { JsonPatch, Query } from './cluster.ts';

type Method = (typeof HttpMethod)[keyof typeof HttpMethod];

/**
 * Requests go straight to the REST paths, JSON in and out, with client-node's KubeConfig for
 * the credentials: its generated API classes were 40 % of the cluster bundle (about 1 MB to
 * parse at every start) and turned each answer into model objects nothing here needs.
 */
export class Kube extends Cluster {
  readonly server: string;
  readonly contextName: string;
  readonly config: KubeConfig;
  readonly interrupt: AbortSignal;
  readonly requestTimeoutMs: number;
  /**
   * client-node's credentials come with a new connection pool for every request (a TLS handshake
   * each); the first one is kept and every later request is sent through it, on kept-alive connections.
   */
  private pool: ReturnType<RequestContext['getDispatcher']>;
  private readonly http = new IsomorphicFetchHttpLibrary();

  constructor(config: KubeConfig, interrupt: AbortSignal, requestTimeoutMs: number) {
    super();
    this.config = config;
    this.interrupt = interrupt;
    this.requestTimeoutMs = requestTimeoutMs;
    this.server = config.getCurrentCluster()?.server ?? '';
    this.contextName = config.getCurrentContext();
  }

  read<T>(path: string, query?: Query, as: 'json' | 'text' = 'json'): Promise<T> {
    return as === 'text'
      ? (this.send(HttpMethod.GET, path, query) as Promise<T>)
      : this.json<T>(HttpMethod.GET, path, query);
  }

  write<T>(method: WriteMethod, path: string, body?: object, query?: Query): Promise<T> {
    return this.json<T>(
      HttpMethod[method],
      path,
      query,
      body,
      method === 'PATCH' ? 'application/json-patch+json' : undefined,
    );
  }

  watch<T extends KubernetesObject>(
    spec: WatchSpec,
    onChange: (type: ChangeType, obj: T) => void,
  ): Promise<Watched<T>> {
    return watch<T>(this, spec, onChange);
  }

  exec(namespace: string, pod: string, command: string[], opts: ExecOptions): Promise<ExecResult> {
    return execInPod(this, namespace, pod, command, opts);
  }

  override afterInterrupt(timeoutMs: number): Kube {
    return new Kube(this.config, AbortSignal.timeout(timeoutMs), this.requestTimeoutMs);
  }

  private async json<T>(method: Method, path: string, query?: Query, body?: object, contentType?: string): Promise<T> {
    const text = await this.send(method, path, query, body, contentType);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** One request; failures come back as kubectl-style CliErrors (the HTTP code kept). */
  private async send(
    method: Method,
    path: string,
    query?: Query,
    body?: object,
    contentType?: string,
  ): Promise<string> {
    try {
      const ctx = new RequestContext(this.server + path, method);
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) ctx.setQueryParam(k, String(v));
      await this.authenticate(ctx);
      ctx.setSignal(this.signal());
      ctx.setHeaderParam('Accept', 'application/json');
      if (body !== undefined) {
        ctx.setHeaderParam('Content-Type', contentType ?? 'application/json');
        ctx.setBody(JSON.stringify(body));
      }
      const res = await this.http.send(ctx).toPromise();
      const text = await res.body.text();
      if (res.httpStatusCode >= 200 && res.httpStatusCode < 300) return text;
      throw new ApiException(res.httpStatusCode, `${method} ${path}`, text, res.headers);
    } catch (err) {
      throw this.fail(err);
    }
  }

  /**
   * The credentials, this Kube's connection pool, and the name the API server's audit log knows sts-lab by (kubectl
   * sends kubectl/VERSION).
   */
  private async authenticate(ctx: RequestContext): Promise<void> {
    await this.config.applySecurityAuthentication(ctx);
    this.pool ??= ctx.getDispatcher();
    if (this.pool) ctx.setDispatcher(this.pool);
    ctx.setHeaderParam('User-Agent', `kubectl-sts_lab/${__VERSION__}`);
  }

  /**
   * What client-node's Watch takes for a KubeConfig (it asks for the cluster and the credentials,
   * nothing else): with it, watches share the pool (streams of the one HTTP/2 connection, not a TLS
   * handshake each) and carry sts-lab's name instead of "undici".
   */
  readonly watchConfig = {
    getCurrentCluster: () => this.config.getCurrentCluster(),
    applySecurityAuthentication: (ctx: RequestContext) => this.authenticate(ctx),
  } as KubeConfig;

  /** Aborts on Ctrl-C or when --request-timeout runs out. */
  private signal(): AbortSignal {
    return this.requestTimeoutMs > 0
      ? AbortSignal.any([this.interrupt, AbortSignal.timeout(this.requestTimeoutMs)])
      : this.interrupt;
  }

  fail(err: unknown): Error {
    return toCliError(err, this.server, this.interrupt, this.requestTimeoutMs);
  }
}

export function loadKubeConfig(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig))
      throw new CliError(`cannot read kubeconfig "${opts.kubeconfig}": no such file or directory`);
    loadFile(kc, opts.kubeconfig);
    if (!kc.getContexts().length && !kc.getClusters().length)
      throw new CliError(`error loading config file "${opts.kubeconfig}": not a kubeconfig (no clusters, no contexts)`);
  } else {
    const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
    const home = join(homedir(), '.kube', 'config');
    const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
    if (fromEnv.length === 0 && !inCluster && !existsSync(home)) {
      throw new CliError('no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config');
    }
    try {
      kc.loadFromDefault();
    } catch (err) {
      // The merge does not say which file was bad: find it.
      for (const file of fromEnv.length ? fromEnv : [home]) if (existsSync(file)) loadFile(new KubeConfig(), file);
      throw new CliError(`invalid kubeconfig: ${firstLine(err)}`);
    }
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) throw new CliError(`context "${opts.context}" does not exist`);
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentContext() || !kc.getCurrentCluster()) {
    throw new CliError('the kubeconfig has no current context: pass --context or run kubectl config use-context NAME');
  }
  return kc;
}

/** One file, or one `error loading config file` line naming it (the YAML parser's excerpt left out). */
function loadFile(kc: KubeConfig, file: string): void {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    const e = err as { name?: string; code?: string; mark?: { line?: number; column?: number }; reason?: string };
    const why =
      e.name === 'YAMLException'
        ? `not valid YAML: ${e.reason ?? firstLine(err)}${e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : ''}`
        : e.code === 'EISDIR'
          ? 'it is a directory'
          : e.code === 'EACCES'
            ? 'permission denied'
            : firstLine(err);
    throw new CliError(`error loading config file "${file}": ${why}`);
  }
}

const firstLine = (err: unknown): string =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .trim();

/** The kubeconfig's context names, without reaching any server (shell completion). */
export function contextNames(kubeconfig: string | undefined): string[] {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  return kc.getContexts().map((c) => c.name);
}

export function connect(opts: ConnectionOptions, interrupt: AbortSignal): Kube {
  try {
    return new Kube(loadKubeConfig(opts), interrupt, opts.requestTimeoutMs);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`invalid kubeconfig: ${firstLine(err)}`);
  }
}
