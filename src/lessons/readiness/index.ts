// Readiness: what waits on a pod being Ready (DNS records, OrderedReady), while its container keeps running.
import { defineLesson } from '../lesson.ts';
import ready from './ready.ts';
import { rows } from './rows.ts';
import * as steps from './steps.ts';
import unready from './unready.ts';

export default defineLesson({ name: 'readiness', commands: [unready, ready], steps, rows });
