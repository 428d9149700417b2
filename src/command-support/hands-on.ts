// Hands on: a command's action done by the learner. The command prints the plain kubectl
// command with the lab's names, waits on its watch until it sees that done by someone else,
// hints when it sees something else done, and goes on to prove the step as it would have.
import type { PodWatch } from '../k8s/index.ts';
import type { RunContext } from './command.ts';

/** Who did an action: the learner at their own kubectl, or the lab itself. */
export type Actor = 'learner' | 'lab';

/** One action of a step, as it was done. */
export interface ActionDone {
  kubectl: string;
  by: Actor;
  /** The hints shown for what the learner did instead, in order. */
  hints: string[];
  /** From the command shown to the action seen done. */
  waitedMs: number;
}

/** A hands-on step, as the tour gives it to the commands it calls. */
export interface HandsOn {
  /** The lab does this step's actions itself (--do-it-for-me). */
  labDoes: boolean;
  /** Calls cb when the learner asks the lab to do the action at hand (a key on a terminal). */
  onAsk(cb: () => void): () => void;
  /** The key that asks, for the live line; undefined when there is none (not a terminal). */
  askKey: string | undefined;
  done: ActionDone[];
}

/** What a watch offers a wait: re-checks on each change, and a poke to re-check now. */
export interface Watched {
  until(cond: () => boolean, what: () => string, timeoutMs: number): Promise<void>;
  changes: { notify(): void };
}

export interface Action {
  /** What the learner types, with this lab's names: `kubectl -n scenarios delete pod nginx-sts-1`. */
  kubectl: string;
  /** What the lab waits to see, for the live line: "nginx-sts-1 deleted". */
  awaiting: string;
  byLab: () => Promise<void>;
  watch: Watched;
  /** The watch shows it done. */
  seen: () => boolean;
  /** What the watch shows done instead, as a one-line hint; undefined when nothing is. */
  wrong?: () => string | undefined;
}

/** The pod watch as a wait on it sees it. */
export const podWatched = (w: PodWatch): Watched => ({
  until: (cond, what, ms) => w.until(cond, what, ms),
  changes: w.changes,
});

/** The parts of a listr2 task an action shows itself in. */
export interface TaskLine {
  title: string;
  output?: string;
}

/**
 * Does the action: the lab itself, or, hands on, the learner while the lab waits on its watch.
 * Bounded by --timeout; Ctrl-C ends it through the watch's interrupt.
 */
export async function perform(ctx: RunContext, task: TaskLine, a: Action): Promise<Actor> {
  const h = ctx.handsOn;
  const started = Date.now();
  const record = (by: Actor, hints: string[] = []) => {
    h?.done.push({ kubectl: a.kubectl, by, hints, waitedMs: Date.now() - started });
    return by;
  };
  if (!h || h.labDoes) {
    if (h) task.title = task.output = `The lab runs: ${a.kubectl}`;
    await a.byLab();
    return record('lab');
  }
  // The title for the live renderer; output lines for plain progress, which prints no title changes.
  task.title = task.output = `Your turn: ${a.kubectl}`;
  const ask = h.askKey ? ` (press ${h.askKey} to let the lab do it)` : '';
  task.output = `waiting to see ${a.awaiting}${ask}`;
  const hints: string[] = [];
  let asked = false;
  const stop = h.onAsk(() => {
    asked = true;
    a.watch.changes.notify();
  });
  try {
    await a.watch.until(
      () => {
        if (a.seen() || asked) return true;
        const hint = a.wrong?.();
        if (hint && hint !== hints.at(-1)) {
          hints.push(hint);
          task.output = `not yet: ${hint}; waiting to see ${a.awaiting}${ask}`;
        }
        return false;
      },
      () => `you to run ${a.kubectl} (the lab waits to see ${a.awaiting})`,
      ctx.globals.timeoutMs,
    );
  } finally {
    stop();
  }
  if (!a.seen()) {
    task.title = task.output = `The lab runs: ${a.kubectl}`;
    await a.byLab();
    return record('lab', hints);
  }
  task.title = task.output = `You ran: ${a.kubectl}`;
  return record('learner', hints);
}
