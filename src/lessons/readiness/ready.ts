// ready N: the pod's readiness probe passes again.
import { readinessSwitch } from './readiness-switch.ts';

export default readinessSwitch(true);
