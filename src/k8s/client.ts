// The one way sts-lab reaches a cluster: a KubeConfig chosen by kubectl's rules and flags,
// API clients whose every request carries the Ctrl-C signal and the --request-timeout.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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
    kc.loadFromFile(opts.kubeconfig);
  } else {
    const fromEnv = (env.KUBECONFIG ?? '').split(':').filter(Boolean);
    const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
    if (fromEnv.length === 0 && !inCluster && !existsSync(join(homedir(), '.kube', 'config'))) {
      throw new CliError('no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config');
    }
    kc.loadFromDefault();
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

export function connect(opts: ConnectionOptions, interrupt: AbortSignal): Kube {
  try {
    return new Kube(loadKubeConfig(opts), interrupt, opts.requestTimeoutMs);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`invalid kubeconfig: ${(err as Error).message}`);
  }
}
