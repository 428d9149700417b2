// PVC retention: with whenDeleted / whenScaled: Delete the controller's policy deletes the claims, not sts-lab.
// Its command is setup --retention; teardown proves it.
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import { deleteWithStatefulSet } from './steps.ts';
import { ownersNow, scaledClaimsNow } from './verify.ts';

export default defineLesson({
  name: 'retention',
  commands: [],
  steps: { deleteWithStatefulSet },
  rows,
  verify: async (now) => [ownersNow(now), scaledClaimsNow(now)],
});
