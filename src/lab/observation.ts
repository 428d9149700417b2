// What a watch saw of one lab pod, in the order the API server committed it: the evidence every
// judge of ordering, roll-outs, cascades and timelines reads.
import type { PodLike } from './pods.ts';

export interface Observation {
  /** When sts-lab saw it, ms since the epoch. */
  at: number;
  type: 'add' | 'update' | 'delete';
  ordinal: number;
  pod: PodLike;
  /** Part of the first list: the pod existed before sts-lab started watching. */
  initial?: boolean;
}
