// The storage smoke test: what a StorageClass gives a StatefulSet, for platform teams' CI.
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import { smokeExpand, smokeLab, smokeMove, smokeScaleZero } from './steps.ts';

export default defineLesson({
  name: 'smoke',
  commands: [],
  steps: { smokeLab, smokeMove, smokeScaleZero, smokeExpand },
  rows,
});
