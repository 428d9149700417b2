// node scripts/sea.ts: dist/cli.cjs (npm run build's first half) into the single executable
// dist/bin/kubectl-sts_lab, with the start-up snapshot. The build itself is scripts/lib/sea.ts.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSea, HOST_NODE, ROOT } from './lib/sea.ts';

const out = join(ROOT, 'dist', 'bin', 'kubectl-sts_lab');
buildSea({ nodeBin: HOST_NODE, out, startup: 'snapshot' });
console.log(`built ${out} (${Math.round(statSync(out).size / 2 ** 20)} MiB)`);
