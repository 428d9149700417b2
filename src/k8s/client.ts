// The one way sts-lab reaches a cluster: a kubeconfig context chosen by kubectl's rules and flags
// (kubeconfig*.ts), a Transport with its credentials, and requests that each carry the Ctrl-C signal and the
// --request-timeout.
import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
  type Cluster as ClientNodeCluster,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { ClientOptions as WebSocketOptions } from 'ws';
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
import { firstLine, loadKubeconfig, parseKubeconfig } from './kubeconfig.ts';
import { connectionFor } from './kubeconfig-connection.ts';
import { Transport, type Prepared } from './transport.ts';

export type { JsonPatch, Query } from './cluster.ts';

type Method = (typeof HttpMethod)[keyof typeof HttpMethod];

/**
 * Requests go straight to the REST paths, JSON in and out, with sts-lab's own Transport for the credentials:
 * client-node's generated API classes were 40 % of the cluster bundle (about 1 MB to parse at every start) and
 * turned each answer into model objects nothing here needs, and its KubeConfig misses fields kubectl honours.
 */
export class Kube extends Cluster {
  readonly server: string;
  readonly contextName: string;
  /** The context's namespace, when it names one (kubectl's default for -n). */
  readonly contextNamespace: string | undefined;
  readonly transport: Transport;
  readonly interrupt: AbortSignal;
  readonly requestTimeoutMs: number;
  private readonly http = new IsomorphicFetchHttpLibrary();

  /** A Transport, or (tests) a client-node KubeConfig, read through the same rules as a file. */
  constructor(source: Transport | KubeConfig, interrupt: AbortSignal, requestTimeoutMs: number) {
    super();
    this.transport =
      source instanceof Transport
        ? source
        : new Transport(connectionFor(parseKubeconfig(source.exportConfig()), source.getCurrentContext()));
    this.interrupt = interrupt;
    this.requestTimeoutMs = requestTimeoutMs;
    this.server = this.transport.conn.server;
    this.contextName = this.transport.conn.contextName;
    this.contextNamespace = this.transport.conn.namespace;
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
    return new Kube(this.transport, AbortSignal.timeout(timeoutMs), this.requestTimeoutMs);
  }

  private async json<T>(method: Method, path: string, query?: Query, body?: object, contentType?: string): Promise<T> {
    const text = await this.send(method, path, query, body, contentType);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * One request; failures come back as kubectl-style CliErrors (the HTTP code kept). A 401 tries a fresh credential
   * once (kubectl only refreshes it for the next request; a CI job would fail on that first one).
   */
  private async send(
    method: Method,
    path: string,
    query?: Query,
    body?: object,
    contentType?: string,
  ): Promise<string> {
    try {
      for (let attempt = 0; ; attempt++) {
        const ctx = new RequestContext(this.server + path, method);
        for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) ctx.setQueryParam(k, String(v));
        const prepared = await this.authenticate(ctx);
        ctx.setSignal(this.signal());
        ctx.setHeaderParam('Accept', 'application/json');
        if (body !== undefined) {
          ctx.setHeaderParam('Content-Type', contentType ?? 'application/json');
          ctx.setBody(JSON.stringify(body));
        }
        const res = await this.http.send(ctx).toPromise();
        const text = await res.body.text();
        if (res.httpStatusCode >= 200 && res.httpStatusCode < 300) return text;
        if (res.httpStatusCode === 401 && attempt === 0 && (await this.transport.unauthorized(prepared))) continue;
        throw new ApiException(res.httpStatusCode, `${method} ${path}`, text, res.headers);
      }
    } catch (err) {
      throw this.fail(err);
    }
  }

  /**
   * The credentials, the Transport's connection pool, and the name the API server's audit log knows sts-lab by
   * (kubectl sends kubectl/VERSION).
   */
  private async authenticate(ctx: RequestContext): Promise<Prepared> {
    const prepared = await this.transport.prepare();
    ctx.setDispatcher(prepared.dispatcher);
    for (const [k, v] of Object.entries(prepared.headers)) ctx.setHeaderParam(k, v);
    return prepared;
  }

  /** Only the server matters to client-node's Watch and WebSocket handler. */
  private get cluster(): ClientNodeCluster {
    return { name: '', server: this.server, skipTLSVerify: false };
  }

  /**
   * What client-node's Watch takes for a KubeConfig (it asks for the cluster and the credentials,
   * nothing else): with it, watches share the pool (streams of the one HTTP/2 connection, not a TLS
   * handshake each) and carry sts-lab's name instead of "undici".
   */
  readonly watchConfig = {
    getCurrentCluster: () => this.cluster,
    applySecurityAuthentication: async (ctx: RequestContext) => void (await this.authenticate(ctx)),
  } as KubeConfig;

  /** The same for client-node's Exec (a WebSocket): the server, and the credentials, TLS and proxy as options. */
  readonly webSocketConfig = {
    getCurrentCluster: () => this.cluster,
    applyToHTTPSOptions: (opts: WebSocketOptions) => this.transport.applyToWebSocket(opts),
  } as unknown as KubeConfig;

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

/** The Transport for the context kubectl would use with these flags and this environment. */
export function loadTransport(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Transport {
  const { config } = loadKubeconfig(opts.kubeconfig, env);
  return new Transport(connectionFor(config, opts.context), env);
}

/** The kubeconfig's context names, without reaching any server (shell completion). */
export function contextNames(kubeconfig: string | undefined): string[] {
  return [...loadKubeconfig(kubeconfig, process.env).config.contexts.keys()];
}

export function connect(opts: ConnectionOptions, interrupt: AbortSignal): Kube {
  try {
    return new Kube(loadTransport(opts), interrupt, opts.requestTimeoutMs);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`invalid kubeconfig: ${firstLine(err)}`);
  }
}
