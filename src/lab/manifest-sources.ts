// manifests/*.yaml, embedded into the bundle by esbuild's text loader.
import namespace from '../../manifests/namespace.yaml';
import poddisruptionbudget from '../../manifests/poddisruptionbudget.yaml';
import service from '../../manifests/service.yaml';
import statefulset from '../../manifests/statefulset.yaml';
import type { ManifestSources } from './manifests.ts';

export const MANIFESTS: ManifestSources = { namespace, service, statefulset, poddisruptionbudget };
