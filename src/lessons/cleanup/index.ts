// Cleanup: teardown scales to 0 in order, then deletes what sts-lab made (and nothing else).
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import * as steps from './steps.ts';
import teardown from './teardown.ts';

export default defineLesson({
  name: 'cleanup',
  commands: [teardown],
  steps: { scaleDownAndDelete: steps.scaleDownAndDelete, cascadingDelete: steps.cascadingDelete },
  rows,
});
