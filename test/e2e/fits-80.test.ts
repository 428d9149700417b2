// The plain 80-column terminal and a common wide one: see terminal-fit.ts.
import { sharesClusterDns } from './cluster-env.ts';
import { fitsTerminal } from './terminal-fit.ts';

sharesClusterDns();
fitsTerminal(80);
