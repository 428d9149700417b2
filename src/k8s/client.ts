// The one way sts-lab reaches a cluster: a KubeConfig chosen by kubectl's rules and flags,
// API clients whose every request carries the Ctrl-C signal and the --request-timeout.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  AppsV1Api, AuthorizationV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig, Observable, StorageV1Api, VersionApi,
  type ConfigurationOptions, type RequestContext, type ResponseContext,
} from '@kubernetes/client-node';
import { CliError } from '../errors.ts';
import type { ConnectionOptions } from '../options.ts';
import { isNotFound, toCliError } from './errors.ts';

export class Kube {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly storage: StorageV1Api;
  readonly authz: AuthorizationV1Api;
  readonly discovery: DiscoveryV1Api;
  readonly version: VersionApi;
  readonly server: string;
  readonly contextName: string;
  readonly config: KubeConfig;
  readonly interrupt: AbortSignal;
  readonly requestTimeoutMs: number;
  /**
   * client-node makes a new connection pool for every request (a TLS handshake each); the first
   * one is kept and every later request of this Kube is sent through it, on kept-alive connections.
   */
  private pool: ReturnType<RequestContext['getDispatcher']>;

  constructor(config: KubeConfig, interrupt: AbortSignal, requestTimeoutMs: number) {
    this.config = config;
    this.interrupt = interrupt;
    this.requestTimeoutMs = requestTimeoutMs;
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
    this.storage = config.makeApiClient(StorageV1Api);
    this.authz = config.makeApiClient(AuthorizationV1Api);
    this.discovery = config.makeApiClient(DiscoveryV1Api);
    this.version = config.makeApiClient(VersionApi);
    this.server = config.getCurrentCluster()?.server ?? '';
    this.contextName = config.getCurrentContext();
  }

  /** Per-request options: abort on Ctrl-C or when --request-timeout runs out. */
  requestOptions(): ConfigurationOptions {
    const signals = [this.interrupt];
    if (this.requestTimeoutMs > 0) signals.push(AbortSignal.timeout(this.requestTimeoutMs));
    const signal = AbortSignal.any(signals);
    return {
      middleware: [
        {
          pre: (ctx: RequestContext) => {
            ctx.setSignal(signal);
            this.pool ??= ctx.getDispatcher();
            if (this.pool) ctx.setDispatcher(this.pool);
            return new Observable(Promise.resolve(ctx));
          },
          post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
  }

  /** Runs one API call; failures come back as kubectl-style CliErrors. */
  async call<T>(fn: (o: ConfigurationOptions) => Promise<T>): Promise<T> {
    try {
      return await fn(this.requestOptions());
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** Like call(), but a 404 is an answer (undefined), not an error. */
  async find<T>(fn: (o: ConfigurationOptions) => Promise<T>): Promise<T | undefined> {
    try {
      return await fn(this.requestOptions());
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.fail(err);
    }
  }

  fail(err: unknown): Error {
    return toCliError(err, this.server, this.interrupt, this.requestTimeoutMs);
  }
}

export function loadKubeConfig(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new CliError(`cannot read kubeconfig "${opts.kubeconfig}": no such file or directory`);
    loadFile(kc, opts.kubeconfig);
    if (!kc.getContexts().length && !kc.getClusters().length) throw new CliError(`error loading config file "${opts.kubeconfig}": not a kubeconfig (no clusters, no contexts)`);
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

const firstLine = (err: unknown): string => String((err as Error)?.message ?? err).split('\n')[0]!.trim();

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
