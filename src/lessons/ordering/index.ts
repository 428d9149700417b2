// OrderedReady: pod N+1 is created only once pod N is Running and Ready.
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import { observe } from './steps.ts';
import watchOrder from './watch-order.ts';
import { orderingNow } from './verify.ts';

export default defineLesson({
  name: 'ordering',
  commands: [watchOrder],
  steps: { observe },
  rows,
  verify: async (now) => orderingNow(now),
});
