// The cluster bundle's names, shared by the scripts that build it and src/load-k8s.bundled.ts.

/** The file beside dist/cli.cjs, and the single executable's asset (scripts/lib/sea.ts). */
export const K8S_ASSET = 'k8s.cjs';
/** How the bundle requires a module of src/ it shares with the CLI: `sts-lab:lab/names.ts` (scripts/build.ts). */
export const SHARED_PREFIX = 'sts-lab:';
