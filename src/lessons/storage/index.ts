// Stable storage: each pod its own claim, and data that outlives the pod.
import checkPersistence from './check-persistence.ts';
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import { setUp, switchToOnDelete, verify, write } from './steps.ts';
import writeData from './write-data.ts';
import { claimsNow, dataNow } from './verify.ts';

export default defineLesson({
  name: 'storage',
  commands: [writeData, checkPersistence],
  steps: { setUp, switchToOnDelete, write, verify },
  rows,
  verify: async (now) => [claimsNow(now), dataNow(await now.persistence())],
});
