// A cache filled by a watch-list (KEP-3157, streaming lists): one request whose first events
// are the list, ADDED for every object and then a bookmark annotated k8s.io/initial-events-end,
// and which goes on as the watch. Reconnects resume from the last resourceVersion with a plain
// watch (bookmarks keep it recent); after 410 Gone a fresh watch-list lists again.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import type { Kube } from './client.ts';
import { httpCode } from './errors.ts';
import type { WatchSpec } from './informer.ts';

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
/**
 * A server that ignores sendInitialEvents starts a plain watch and never sends the end bookmark: this long, then it
 * counts as refused.
 */
const INITIAL_EVENTS_MS = 5000;
/**
 * Before reconnecting after a watch that ended having delivered nothing (a server closing every watch at once is not
 * hammered).
 */
const IDLE_RECONNECT_MS = 1000;

/** Why a watch-list did not list: the caller lists and watches instead. */
export class WatchListRefused extends Error {
  /**
   * The server itself said no (a status, an ERROR event, a plain watch): later watch-lists would be refused too. False
   * after a network failure.
   */
  readonly answered: boolean;
  constructor(why: string, answered: boolean, cause?: unknown) {
    super(`watch-list refused: ${why}`, { cause });
    this.answered = answered;
  }
}

interface Status {
  code?: number;
  message?: string;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const abortError = () => new DOMException('This operation was aborted', 'AbortError');

export class WatchList<T extends KubernetesObject> {
  private readonly kube: Kube;
  private readonly spec: WatchSpec;
  private readonly objects = new Map<string, T>();
  private readonly added: ((obj: T) => void)[] = [];
  private readonly updated: ((obj: T) => void)[] = [];
  private readonly deleted: ((obj: T) => void)[] = [];
  private readonly errors: ((err: unknown) => void)[] = [];
  /** Where the next watch resumes; '' before the first list and after 410 Gone, when a watch-list lists again. */
  private resourceVersion = '';
  private everListed = false;
  /** Numbers the connections: what an older one delivers or how it ends is ignored. */
  private connection = 0;
  private request: AbortController | undefined;
  private stopped = false;
  /** Settles the start() still waiting on the current connection. */
  private settle: ((err?: unknown) => void) | undefined;

  constructor(kube: Kube, spec: WatchSpec) {
    this.kube = kube;
    this.spec = spec;
  }

  get listed(): boolean {
    return this.everListed;
  }

  on(verb: 'add' | 'update' | 'delete', cb: (obj: T) => void): void;
  on(verb: 'error', cb: (err: unknown) => void): void;
  on(verb: 'add' | 'update' | 'delete' | 'error', cb: (arg: never) => void): void {
    const listeners: ((arg: never) => void)[] = {
      add: this.added,
      update: this.updated,
      delete: this.deleted,
      error: this.errors,
    }[verb];
    listeners.push(cb);
  }

  list(): Iterable<T> {
    return this.objects.values();
  }

  /**
   * Resolves once listed (a watch-list) or connected (a resumed watch). Until the first list is
   * complete a failure rejects, with WatchListRefused unless stopped; afterwards failures go to
   * the 'error' listeners, as with ListWatch.
   */
  start(): Promise<void> {
    this.stopped = false;
    return this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.connection++;
    this.request?.abort();
    this.request = undefined;
    this.settle?.(abortError());
  }

  private connect(): Promise<void> {
    const id = ++this.connection;
    const current = () => id === this.connection && !this.stopped;
    let listing = this.resourceVersion === '';
    const initial = new Map<string, T>();
    let answered = false;
    let progressed = false;
    return new Promise<void>((resolve, reject) => {
      let bound: NodeJS.Timeout | undefined;
      const settle = (err?: unknown) => {
        if (this.settle !== settle) return;
        this.settle = undefined;
        clearTimeout(bound);
        if (err === undefined || this.everListed) resolve();
        else reject(err instanceof Error ? err : new Error(String(err)));
      };
      this.settle = settle;
      /** Ends this connection: before the first list start() rejects; later the 'error' listeners hear why. */
      const fail = (why: string, err: unknown, serverSaidNo: boolean) => {
        this.connection++;
        this.request?.abort();
        this.request = undefined;
        if (!this.everListed) return settle(new WatchListRefused(why, serverSaidNo, err));
        for (const cb of [...this.errors]) cb(err);
        settle();
      };
      const onEvent = (type: string, obj: T & Status) => {
        if (!current()) return;
        if (listing) {
          if (type === 'ADDED') initial.set(keyOf(obj), obj);
          else if (type === 'BOOKMARK' && obj.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
            listing = false;
            this.resourceVersion = obj.metadata.resourceVersion ?? '';
            this.replace(initial);
            this.everListed = true;
            progressed = true;
            settle();
          } else if (type !== 'BOOKMARK') {
            // ERROR: the server cannot serve it (e.g. its etcd lacks RequestWatchProgress); a change: it ignored
            // sendInitialEvents.
            const why =
              type === 'ERROR'
                ? (obj.message ?? `ERROR event ${obj.code ?? ''}`)
                : `${type} before the initial-events-end bookmark`;
            fail(why, Object.assign(new Error(why), { statusCode: obj.code }), true);
          }
          return;
        }
        if (type === 'ERROR') {
          // The server ends the stream after it; 410 means the resourceVersion is too old to resume from.
          if (obj.code === 410) this.resourceVersion = '';
          return;
        }
        if (type === 'ADDED' || type === 'MODIFIED') this.put(obj);
        else if (type === 'DELETED') this.remove(obj);
        this.resourceVersion = obj.metadata?.resourceVersion || this.resourceVersion;
        progressed = true;
      };
      const onDone = (err: unknown) => {
        if (!current()) return;
        this.request = undefined;
        const code = httpCode(err);
        // A status is the server's no; a dropped connection or a stream cut short says nothing about watch-lists.
        if (listing)
          return fail(
            err
              ? `${String(err)}${code ? ` (HTTP ${code})` : ''}`
              : 'the stream ended before the initial-events-end bookmark',
            err ?? new Error('the watch ended before the list was complete'),
            code !== undefined,
          );
        if (code === 410) this.resourceVersion = '';
        else if (err && (err as Error).name !== 'TimeoutError') return fail(String(err), err, true);
        // Ended by the server, idle for client-node's 30 s, or Gone: watch again (or list again after Gone).
        settle();
        setTimeout(
          () => void (current() && this.connect()),
          progressed || err || this.resourceVersion === '' ? 0 : IDLE_RECONNECT_MS,
        ).unref();
      };
      const { labelSelector, fieldSelector } = this.spec;
      const query = listing
        ? {
            sendInitialEvents: true,
            allowWatchBookmarks: true,
            resourceVersionMatch: 'NotOlderThan',
            labelSelector,
            fieldSelector,
          }
        : { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, labelSelector, fieldSelector };
      if (listing)
        bound = setTimeout(
          () =>
            current() &&
            fail(
              `no initial-events-end bookmark within ${INITIAL_EVENTS_MS / 1000}s`,
              new Error('watch-list timed out'),
              answered,
            ),
          INITIAL_EVENTS_MS,
        );
      new Watch(this.kube.watchConfig).watch(this.spec.path, query, onEvent, onDone).then(
        (request) => {
          if (!current()) return void request.abort();
          this.request = request;
          answered = true;
          if (!listing) settle();
        },
        (err: unknown) => current() && fail(String(err), err, false),
      );
    });
  }

  /** A (re)list arrived: what it lacks was deleted meanwhile. */
  private replace(listed: Map<string, T>): void {
    for (const [key, old] of this.objects) {
      if (listed.has(key)) continue;
      this.objects.delete(key);
      for (const cb of [...this.deleted]) cb(old);
    }
    for (const obj of listed.values()) this.put(obj);
  }

  private put(obj: T): void {
    const key = keyOf(obj);
    const old = this.objects.get(key);
    if (old?.metadata?.resourceVersion !== undefined && old.metadata.resourceVersion === obj.metadata?.resourceVersion)
      return;
    this.objects.set(key, obj);
    for (const cb of [...(old ? this.updated : this.added)]) cb(obj);
  }

  private remove(obj: T): void {
    const key = keyOf(obj);
    const old = this.objects.get(key);
    if (!old) return;
    this.objects.delete(key);
    for (const cb of [...this.deleted]) cb(obj);
  }
}
