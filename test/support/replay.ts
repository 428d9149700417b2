// A cluster on tape. RecordingCluster passes every operation through to a real cluster and
// writes down each answer and each watch event, with how many operations had been answered when
// the event arrived. ReplayCluster plays such a recording back to a command running in-process:
// it answers each operation with the recorded answer for the same operation, and lets each watch
// event go once as many operations have been answered as when it was recorded.
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  Cluster,
  type ChangeType,
  type ExecOptions,
  type ExecResult,
  type Query,
  type WatchSpec,
  type Watched,
  type WriteMethod,
} from '../../src/k8s/cluster.ts';
import { httpCode } from '../../src/k8s/errors.ts';
import { CliError } from '../../src/errors.ts';

interface RecordedError {
  message: string;
  hint?: string | undefined;
  status?: number | undefined;
}

export type Call =
  | {
      op: 'read';
      /** When the answer came, after the recording began. */
      atMs?: number;
      path: string;
      query?: Query | undefined;
      as: 'json' | 'text';
      answer?: unknown;
      error?: RecordedError;
    }
  | {
      op: 'write';
      /** When the answer came, after the recording began. */
      atMs?: number;
      method: WriteMethod;
      path: string;
      query?: Query | undefined;
      body?: unknown;
      answer?: unknown;
      error?: RecordedError;
    }
  | {
      op: 'exec';
      /** When the answer came, after the recording began. */
      atMs?: number;
      pod: string;
      command: string[];
      answer?: { code: number; stdout: string; stderr: string };
      error?: RecordedError;
    }
  | { op: 'watch'; atMs?: number; id: number; spec: WatchSpec; initial?: KubernetesObject[]; error?: RecordedError };

export interface WatchEvent {
  watch: number;
  /** Operations answered when the event arrived. */
  after: number;
  atMs: number;
  type: ChangeType;
  object: KubernetesObject;
}

export interface Recording {
  /** The sts-lab command line that was recorded (after `kubectl sts-lab`). */
  argv: string[];
  server: string;
  context: string;
  /** When the recording began (epoch ms), and how long the command ran. */
  startedAt: number;
  durationMs: number;
  calls: Call[];
  events: WatchEvent[];
}

const keyOf = (c: Call): string => {
  switch (c.op) {
    case 'read':
      return `GET ${c.path} ${JSON.stringify(c.query ?? {})}`;
    case 'write':
      return `${c.method} ${c.path}`;
    case 'exec':
      return `EXEC ${c.pod} ${c.command.join(' ')}`;
    case 'watch':
      return `WATCH ${c.spec.path} ${c.spec.labelSelector ?? ''} ${c.spec.fieldSelector ?? ''}`;
  }
};

const recordedError = (err: unknown): RecordedError => ({
  message: err instanceof Error ? err.message : String(err),
  hint: err instanceof CliError ? err.hint : undefined,
  status: httpCode(err),
});

const clone = <T>(o: T): T => structuredClone(o);

export class RecordingCluster extends Cluster {
  readonly recording: Recording;
  private answered = 0;
  private watches = 0;
  private readonly inner: Cluster;

  constructor(inner: Cluster, argv: string[]) {
    super();
    this.inner = inner;
    this.recording = {
      argv,
      server: inner.server,
      context: inner.contextName,
      startedAt: Date.now(),
      durationMs: 0,
      calls: [],
      events: [],
    };
  }

  private get now(): number {
    return Date.now() - this.recording.startedAt;
  }

  /** The command has returned. */
  finish(): void {
    this.recording.durationMs = this.now;
  }

  get server(): string {
    return this.inner.server;
  }

  get contextName(): string {
    return this.inner.contextName;
  }

  get interrupt(): AbortSignal {
    return this.inner.interrupt;
  }

  fail(err: unknown): Error {
    return this.inner.fail(err);
  }

  private async keep<T>(call: Call, run: () => Promise<T>, answer: (t: T) => unknown = (t) => clone(t)): Promise<T> {
    try {
      const result = await run();
      this.recording.calls.push({ ...call, atMs: this.now, answer: answer(result) } as Call);
      return result;
    } catch (err) {
      this.recording.calls.push({ ...call, error: recordedError(err) });
      throw err;
    } finally {
      this.answered++;
    }
  }

  read<T>(path: string, query?: Query, as: 'json' | 'text' = 'json'): Promise<T> {
    return this.keep({ op: 'read', path, query, as }, () => this.inner.read<T>(path, query, as));
  }

  write<T>(method: WriteMethod, path: string, body?: object, query?: Query): Promise<T> {
    return this.keep({ op: 'write', method, path, query, body: clone(body) }, () =>
      this.inner.write<T>(method, path, body, query),
    );
  }

  exec(namespace: string, pod: string, command: string[], opts: ExecOptions): Promise<ExecResult> {
    return this.keep(
      { op: 'exec', pod, command },
      () => this.inner.exec(namespace, pod, command, opts),
      (r) => ({
        code: r.code,
        stdout: r.stdout.toString('base64'),
        stderr: r.stderr.toString('base64'),
      }),
    );
  }

  async watch<T extends KubernetesObject>(
    spec: WatchSpec,
    onChange: (type: ChangeType, obj: T) => void,
  ): Promise<Watched<T>> {
    const id = ++this.watches;
    let open = false;
    const watched = await this.keep(
      { op: 'watch', id, spec },
      () =>
        this.inner.watch<T>(spec, (type, obj) => {
          // What arrives while the watch opens is its initial list, recorded as such.
          if (open)
            this.recording.events.push({ watch: id, after: this.answered, atMs: this.now, type, object: clone(obj) });
          onChange(type, obj);
        }),
      () => undefined,
    );
    open = true;
    const call = this.recording.calls.findLast((c) => c.op === 'watch' && c.id === id);
    if (call?.op === 'watch') call.initial = clone(watched.objects());
    return watched;
  }
}

interface OpenWatch {
  objects: Map<string, KubernetesObject>;
  onChange: (type: ChangeType, obj: KubernetesObject) => void;
  stopped: boolean;
}

/** A recorded operation the command did not make, or made but was not recorded: the test's failure. */
export class UnrecordedCall extends Error {}

export class ReplayCluster extends Cluster {
  readonly server: string;
  readonly contextName: string;
  readonly interrupt: AbortSignal;
  /** Every operation the command made, in order, by its key ("GET /api/v1/…"). */
  readonly made: string[] = [];
  private readonly pending: Call[];
  private readonly events: WatchEvent[];
  private answered = 0;
  private next = 0;
  private pumping = false;
  private readonly open = new Map<number, OpenWatch>();
  /** Recorded watch id → the watch this replay opened for it. */
  private readonly ids = new Map<number, number>();
  private readonly onCall: ((key: string) => void) | undefined;
  private readonly clock: ((atMs: number) => void) | undefined;
  private readonly durationMs: number;

  /**
   * clock: moves the test's mocked time to the recorded instant of each answer and event (and,
   * once every event is played, to the end of the recording), so grace periods pass as they did.
   */
  constructor(
    recording: Recording,
    interrupt: AbortSignal,
    onCall?: (key: string) => void,
    clock?: (atMs: number) => void,
  ) {
    super();
    this.clock = clock;
    this.durationMs = recording.durationMs;
    this.server = recording.server;
    this.contextName = recording.context;
    this.interrupt = interrupt;
    this.pending = [...recording.calls];
    this.events = recording.events;
    this.onCall = onCall;
  }

  fail(err: unknown): Error {
    return err instanceof Error ? err : new Error(String(err));
  }

  /** The next recorded operation like this one: its answer, or its error. */
  private take(wanted: Call): Call {
    const key = keyOf(wanted);
    this.made.push(key);
    this.onCall?.(key);
    const at = this.pending.findIndex((c) => keyOf(c) === key);
    if (at < 0) throw new UnrecordedCall(`not in the recording: ${key}`);
    const [call] = this.pending.splice(at, 1);
    if (call?.atMs !== undefined) this.clock?.(call.atMs);
    if (call?.error) throw new CliError(call.error.message, call.error.hint, call.error.status);
    return call!;
  }

  private async answer<T>(wanted: Call, result: (c: Call) => T): Promise<T> {
    // An answer comes later than the question, as from a server.
    await new Promise((r) => setImmediate(r));
    if (this.interrupt.aborted) throw this.fail(this.interrupt.reason);
    try {
      return result(this.take(wanted));
    } finally {
      this.answered++;
      this.pump();
    }
  }

  read<T>(path: string, query?: Query, as: 'json' | 'text' = 'json'): Promise<T> {
    return this.answer({ op: 'read', path, query, as }, (c) => clone((c as { answer?: unknown }).answer) as T);
  }

  write<T>(method: WriteMethod, path: string, body?: object, query?: Query): Promise<T> {
    return this.answer(
      { op: 'write', method, path, query, body },
      (c) => clone((c as { answer?: unknown }).answer) as T,
    );
  }

  exec(_namespace: string, pod: string, command: string[]): Promise<ExecResult> {
    return this.answer({ op: 'exec', pod, command }, (c) => {
      const a = (c as Extract<Call, { op: 'exec' }>).answer ?? { code: 0, stdout: '', stderr: '' };
      return { code: a.code, stdout: Buffer.from(a.stdout, 'base64'), stderr: Buffer.from(a.stderr, 'base64') };
    });
  }

  watch<T extends KubernetesObject>(
    spec: WatchSpec,
    onChange: (type: ChangeType, obj: T) => void,
  ): Promise<Watched<T>> {
    return this.answer({ op: 'watch', id: 0, spec }, (c) => {
      const recorded = c as Extract<Call, { op: 'watch' }>;
      const w: OpenWatch = { objects: new Map(), onChange: onChange as OpenWatch['onChange'], stopped: false };
      for (const o of recorded.initial ?? []) {
        w.objects.set(o.metadata?.uid ?? '', clone(o));
        w.onChange('add', clone(o));
      }
      const local = this.open.size + 1;
      this.open.set(local, w);
      this.ids.set(recorded.id, local);
      return {
        objects: () => [...w.objects.values()].map(clone) as T[],
        stop: () => void (w.stopped = true),
        failed: new Promise<never>(() => undefined),
      };
    });
  }

  /** Lets go every event whose operations have been answered, in the recorded order, one per turn of the event loop. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = () => {
      const e = this.events[this.next];
      const local = e && this.ids.get(e.watch);
      if (!e || e.after > this.answered || local === undefined || this.interrupt.aborted) {
        this.pumping = false;
        if (!e) this.clock?.(this.durationMs);
        return;
      }
      this.next++;
      this.clock?.(e.atMs);
      const w = this.open.get(local)!;
      const uid = e.object.metadata?.uid ?? '';
      if (e.type === 'delete') w.objects.delete(uid);
      else w.objects.set(uid, clone(e.object));
      if (!w.stopped) w.onChange(e.type, clone(e.object));
      setImmediate(step);
    };
    setImmediate(step);
  }

  /** Recorded watch events not played yet. */
  undelivered(): number {
    return this.events.length - this.next;
  }

  /** What the recording has that the command never asked for. */
  unused(): string[] {
    return this.pending.map(keyOf);
  }
}
