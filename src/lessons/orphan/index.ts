// Orphan and adopt: a StatefulSet deleted with propagationPolicy Orphan leaves its pods running; a new one adopts them.
import { defineLesson } from '../lesson.ts';
import orphan from './orphan.ts';
import { rows } from './rows.ts';
import * as steps from './steps.ts';

export default defineLesson({ name: 'orphan', commands: [orphan], steps, rows });
