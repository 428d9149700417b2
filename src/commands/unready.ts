// unready N: one pod fails its readiness probe while its container keeps running.
import { readinessSwitch } from '../command-support/readiness-switch.ts';

export default readinessSwitch(false);
