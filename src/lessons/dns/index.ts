// Stable network identity: one DNS record per Ready pod, from the headless Service.
import dns from './dns.ts';
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import { resolve } from './steps.ts';

export default defineLesson({
  name: 'dns',
  commands: [dns],
  steps: { resolve },
  rows,
  verify: async (now) => [await now.dns()],
});
