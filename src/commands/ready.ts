// ready N: the pod's readiness probe passes again.
import { readinessSwitch } from '../command-support/readiness-switch.ts';

export default readinessSwitch(true);
