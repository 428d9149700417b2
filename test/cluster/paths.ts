// The local cluster's paths (test/cluster/paths.sh) as a record, for the end-to-end tests and
// the benchmarks.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export function clusterPaths(): Record<string, string> {
  const out = execFileSync('bash', [join(ROOT, 'test', 'cluster', 'paths.sh')], { encoding: 'utf8' });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => {
        const i = l.indexOf('=');
        return [l.slice(0, i), l.slice(i + 1).replace(/^'(.*)'$/, '$1')];
      }),
  );
}
