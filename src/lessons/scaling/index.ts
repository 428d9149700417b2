// Ordered scaling: up one pod at a time in order, down from the highest ordinal, claims kept.
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import scale from './scale.ts';
import { down, up } from './steps.ts';
import { scalingNow } from './verify.ts';

export default defineLesson({
  name: 'scaling',
  commands: [scale],
  steps: { up, down },
  rows,
  verify: async (now) => scalingNow(now),
});
