// unready N: one pod fails its readiness probe while its container keeps running.
import { readinessSwitch } from './readiness-switch.ts';

export default readinessSwitch(false);
