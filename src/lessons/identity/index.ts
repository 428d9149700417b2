// Stable identity: a re-created pod keeps its name, hostname, claim and volume; only its UID is new.
import { defineLesson } from '../lesson.ts';
import killPod from './kill-pod.ts';
import { rows } from './rows.ts';
import { hostnames, kill } from './steps.ts';
import { namesNow, recreatedNow } from './verify.ts';

export default defineLesson({
  name: 'identity',
  commands: [killPod],
  steps: { hostnames, kill },
  rows,
  verify: async (now) => [namesNow(now), recreatedNow(now.names, await now.persistence())],
});
