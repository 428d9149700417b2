// What a lesson is to the registry: the commands it adds, the tour steps it offers the plans,
// and the report rows that judge its guarantee from the evidence those steps keep.
import type { Registered } from '../command-support/command.ts';
import type { LabNames } from '../lab/names.ts';
import type { Result, Verdict } from '../lab/verdict.ts';
import type { V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from '../k8s/index.ts';
import type { PersistenceRow } from './storage/judge.ts';
import type { StepFactory, TourPart } from '../tour/scope.ts';

/** A report row's judgement: its result and the evidence it names. */
export interface Judged {
  result: Result;
  evidence: string;
}

/** One Key Concept / Expected Outcome row; undefined from judge means its steps did not run. */
export interface RowSpec<E> {
  /** The part whose steps prove it; 'end' rows close every tour that tears down. */
  part: TourPart | 'end';
  concept: string;
  outcome: (n: LabNames) => string;
  judge: (e: E, n: LabNames) => Judged | undefined;
  /** Proved by the teardown, which --keep skips. */
  needsTeardown?: boolean;
  /** Proved where the class or server offers it (expansion, retention): its N/A, with the reason, is no failure. */
  optional?: boolean;
}

/** The lab as it is now, for verify: what can be proved after the fact, read once. */
export interface Now {
  names: LabNames;
  sts: V1StatefulSet;
  pods: V1Pod[];
  claims: V1PersistentVolumeClaim[];
  /** The journal's markers read back (write-data's); undefined when nothing was written. */
  persistence(): Promise<PersistenceRow[] | undefined>;
  /** The DNS lookups from inside the cluster, as the dns command judges them. */
  dns(): Promise<Verdict<unknown>>;
}

export interface Lesson<E, S extends string = string> {
  name: string;
  commands: Registered[];
  steps: Record<S, StepFactory<E>>;
  rows: RowSpec<E>[];
  /** verify LESSON: its guarantees judged from the objects as they are now (lab platforms' verify.sh). */
  verify?: (now: Now) => Promise<Verdict<unknown>[]>;
}

/** Keeps a lesson's types: its evidence, and the names of its steps for the plans. */
export const defineLesson = <E, S extends string>(l: Lesson<E, S>): Lesson<E, S> => l;

export type EvidenceOf<L> = L extends Lesson<infer E, string> ? E : never;
