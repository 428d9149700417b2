// The cluster bundle's name: the file beside dist/cli.cjs, and the single executable's asset
// (scripts/sea.ts writes it, src/load-k8s.bundled.ts reads it).
export const K8S_ASSET = 'k8s.cjs';
