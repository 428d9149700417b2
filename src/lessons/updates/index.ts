// Updates: a rolling update from the highest ordinal, partitions, OnDelete, a forced rollback, and the data through all
// of it.
import { defineLesson } from '../lesson.ts';
import history from './history.ts';
import rollback from './rollback.ts';
import { rows } from './rows.ts';
import * as steps from './steps.ts';
import update from './update.ts';
import { revisionsNow } from './verify.ts';

export default defineLesson({
  name: 'updates',
  commands: [update, rollback, history],
  steps,
  rows,
  verify: async (now) => [revisionsNow(now)],
});
