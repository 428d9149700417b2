// Nodes: a drain through a disruption budget, and a node that stops answering. At most one pod
// per identity, and the data goes only where its volume can follow.
import { defineLesson } from '../lesson.ts';
import drain from './drain.ts';
import nodeFailure from './node-failure.ts';
import { rows } from './rows.ts';
import { drainMoving, drainPinned, failNode, movingLab, pinnedLab, uncordonMoving, uncordonNode } from './steps.ts';
import uncordon from './uncordon.ts';

export default defineLesson({
  name: 'nodes',
  commands: [drain, uncordon, nodeFailure],
  steps: { pinnedLab, drainPinned, uncordonNode, movingLab, drainMoving, uncordonMoving, failNode },
  rows,
});
