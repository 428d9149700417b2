// What a tour step is made of: it runs the subcommands a learner would type, with options as
// data, and keeps their typed -o json data as the evidence its lesson's report rows judge.
import type { Command, RunContext } from '../command-support/command.ts';
import type { PodSettings } from '../commands/setup.ts';
import type { LabSettings } from '../lab/manifests.ts';
import type { LabNames } from '../lab/names.ts';
import type { Result } from '../lab/verdict.ts';

/** The scenario's pods: 0..2. */
export const TOUR_REPLICAS = 3;

/**
 * The tour's parts: the seed scenario, updates, lifecycle (readiness, orphans, deletes), nodes (drain, failure), and
 * storage (the smoke test of a StorageClass, for CI).
 */
export type TourPart = 'seed' | 'updates' | 'lifecycle' | 'nodes' | 'storage';
export const TOUR_PARTS: TourPart[] = ['seed', 'updates', 'lifecycle', 'nodes', 'storage'];

/** How the nodes part fails and recovers a node: the user's commands (sts-lab never stops a node itself). */
export interface NodeDrill {
  failWith: string | undefined;
  recoverWith: string | undefined;
  recovery: 'wait' | 'force' | 'out-of-service';
}

export interface StepOutcome {
  result: Result;
  notes: string[];
}

export interface TourStep {
  title: string;
  run: () => Promise<StepOutcome>;
}

/** E: the evidence the step's lesson keeps (the whole tour's evidence is every lesson's). */
export interface TourScope<E = object> {
  names: LabNames;
  pod: PodSettings;
  nodes: NodeDrill;
  ctx: RunContext;
  evidence: E;
  serverVersion: string | null;
  cluster: { context: string; server: string } | null;
  call<O, D>(cmd: Command<O, D>, options: O): Promise<D>;
}

/** A lesson's tour step, made for a scope. */
export type StepFactory<E = object> = (s: TourScope<E>) => TourStep;

/** The lab as the tour sets it up: three pods, OrderedReady, the tour's pod flags. */
export const tourSettings = (s: TourScope<unknown>): LabSettings => ({
  ...s.names,
  ...s.pod,
  replicas: TOUR_REPLICAS,
  podManagementPolicy: 'OrderedReady',
});

/** A step judged by its command's verdict: its result, its headline, then what it teaches. */
export const verdictOutcome = (v: { result: Result; headline: string }, ...lessons: string[]): StepOutcome => ({
  result: v.result,
  notes: [`${v.result}: ${v.headline}.`, ...lessons],
});
