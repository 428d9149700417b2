// The cluster as the lab sees it: four operations (read, write, watch, exec) and the helpers
// every lab operation is written with. Kube (client.ts) sends them to an API server; a recording
// (test/support/) replays what one answered, so commands run in-process in tests.
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { isNotFound } from './errors.ts';

export type Query = Record<string, string | number | boolean | undefined>;
/** A JSON patch (RFC 6902), what `kubectl patch --type json` sends. */
export type JsonPatch = { op: string; path: string; value?: unknown }[];
export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ChangeType = 'add' | 'update' | 'delete';

export interface WatchSpec {
  path: string;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

export interface Watched<T extends KubernetesObject> {
  objects(): T[];
  stop(): void;
  /** Rejects with the error that made the watch give up (RBAC, a deleted namespace…). */
  readonly failed: Promise<never>;
}

export interface ExecResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ExecOptions {
  /** Bytes for the command's stdin; the stream is closed after them (needs v5.channel.k8s.io). */
  stdin?: Buffer;
  timeoutMs: number;
}

export abstract class Cluster {
  abstract readonly server: string;
  abstract readonly contextName: string;
  /** Aborted on Ctrl-C. */
  abstract readonly interrupt: AbortSignal;

  /** A GET: JSON, or the body as text (a container's log). */
  abstract read<T>(path: string, query?: Query, as?: 'json' | 'text'): Promise<T>;
  abstract write<T>(method: WriteMethod, path: string, body?: object, query?: Query): Promise<T>;
  /** Lists, then follows every change; onChange is called for each. */
  abstract watch<T extends KubernetesObject>(
    spec: WatchSpec,
    onChange: (type: ChangeType, obj: T) => void,
  ): Promise<Watched<T>>;
  abstract exec(namespace: string, pod: string, command: string[], opts: ExecOptions): Promise<ExecResult>;
  /**
   * The same cluster for putting things back after Ctrl-C: its requests ignore the interrupt and
   * end after timeoutMs. A recording has no interrupt to ignore.
   */
  afterInterrupt(_timeoutMs: number): Cluster {
    return this;
  }
  /** Any failure as the CliError a user reads. */
  abstract fail(err: unknown): Error;

  get = <T>(path: string, query?: Query): Promise<T> => this.read<T>(path, query);
  /** A collection's items. */
  list = async <T extends KubernetesObject>(path: string, query?: Query): Promise<T[]> =>
    (await this.get<KubernetesListObject<T>>(path, query)).items;
  text = (path: string, query?: Query): Promise<string> => this.read<string>(path, query, 'text');
  post = <T>(path: string, body: object): Promise<T> => this.write<T>('POST', path, body);
  put = <T>(path: string, body: object): Promise<T> => this.write<T>('PUT', path, body);
  patch = <T>(path: string, ops: JsonPatch): Promise<T> => this.write<T>('PATCH', path, ops);
  delete = <T = unknown>(path: string, query?: Query): Promise<T> => this.write<T>('DELETE', path, undefined, query);
  /** Like get(), but a 404 is an answer (undefined), not an error. */
  find = <T>(path: string, query?: Query): Promise<T | undefined> => orAbsent(this.get<T>(path, query));
  /** Like delete(), but an object already gone (404) is undefined, not an error. */
  deleteIfThere = <T = unknown>(path: string, query?: Query): Promise<T | undefined> =>
    orAbsent(this.delete<T>(path, query));
}

async function orAbsent<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
