// Start ordinals: spec.ordinals.start numbers the pods from K; the pods in both ranges keep their identity.
// Its command is setup --start-ordinal.
import { defineLesson } from '../lesson.ts';
import { rows } from './rows.ts';
import { reorder, shift } from './steps.ts';

export default defineLesson({ name: 'start-ordinal', commands: [], steps: { shift, reorder }, rows });
