// Exit-code policy in one place: 0 pass, 1 failure or error, 2 usage error, 130 interrupted.
import type { Stall } from './lab/diagnosis.ts';

export const EXIT = { ok: 0, fail: 1, usage: 2, interrupted: 130 } as const;

/** Bad flags or arguments: nothing was sent to the cluster. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure whose message is already the whole story for the user (no stack trace wanted). */
export class CliError extends Error {
  override name = 'CliError';
  readonly hint: string | undefined;
  /** The HTTP status behind an API failure, when there was one. */
  readonly status: number | undefined;
  constructor(message: string, hint?: string, status?: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.hint = hint;
    this.status = status;
  }
}

/** A wait that cannot succeed, with the diagnosis: commands that expect stalls (a broken update) read it. */
export class StallError extends CliError {
  override name = 'StallError';
  readonly stall: Stall;
  constructor(message: string, stall: Stall) {
    super(message, stall.hint);
    this.stall = stall;
  }
}

export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor() {
    super('interrupted');
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof InterruptedError) return EXIT.interrupted;
  return EXIT.fail;
}

/** Turns a validator's plain Error into a UsageError (exit 2). */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
