// The krew plugin manifest, generated from the release archives, and krew's own rules for
// it (from krew's internal/index/validation), so a test can hold the manifest to them.
import { stringify } from 'yaml';

export interface ReleasePlatform {
  os: string;
  arch: string;
  uri: string;
  sha256: string;
  bin: string;
  archive: string;
  /** The completion helper beside the executable (krew links only the executable). */
  helper: string;
}

export const SHORT_DESCRIPTION = 'Prove StatefulSet guarantees in a hands-on lab';

export function krewManifest(version: string, platforms: ReleasePlatform[]): string {
  const doc = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'sts-lab' },
    spec: {
      version: `v${version}`,
      homepage: 'https://github.com/kubectl-sts-lab/kubectl-sts-lab',
      shortDescription: SHORT_DESCRIPTION,
      description:
        'Walks you through a StatefulSet lab on your own cluster (namespace, headless\nService, 3-replica StatefulSet with a claim template) and proves each\nguarantee as it happens: ordered creation, stable names, hostnames and DNS,\na claim per pod, data that outlives its pod, ordered scaling. Every check\nexits 0 on pass and 1 on fail, with a lab report at the end of the tour.\n',
      caveats:
        'sts-lab needs a default StorageClass in the cluster (or pass\n--storage-class NAME), so that the claims of its StatefulSet can bind.\nIt creates its objects in namespace "scenarios" unless you pass -n, and\ndeletes only objects labelled app.kubernetes.io/managed-by=sts-lab.\n',
      platforms: platforms.map((p) => ({
        selector: { matchLabels: { os: p.os, arch: p.arch } },
        uri: p.uri,
        sha256: p.sha256,
        files: [
          { from: p.bin, to: '.' },
          { from: p.helper, to: '.' },
          { from: 'LICENSE', to: '.' },
        ],
        bin: p.bin,
      })),
    },
  };
  return stringify(doc, { lineWidth: 0 });
}

/** krew's validation rules that apply to one manifest; an empty list means valid. */
export function krewProblems(m: any, fileName: string): string[] {
  const problems: string[] = [];
  const name = m?.metadata?.name;
  if (m?.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2')
    problems.push('apiVersion must be krew.googlecontainertools.github.com/v1alpha2');
  if (m?.kind !== 'Plugin') problems.push('kind must be Plugin');
  if (typeof name !== 'string' || !/^[\w-]+$/.test(name)) problems.push(`metadata.name "${name}" must match ^[\\w-]+$`);
  if (fileName !== `${name}.yaml` && fileName !== 'krew-manifest.yaml')
    problems.push(`file name ${fileName} must be ${name}.yaml`);
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(m?.spec?.version ?? ''))
    problems.push(`spec.version "${m?.spec?.version}" must be semver with a v prefix`);
  const short = m?.spec?.shortDescription;
  if (typeof short !== 'string' || !short || short.includes('\n'))
    problems.push('spec.shortDescription is required, one line');
  else if (short.length > 50) problems.push(`spec.shortDescription is ${short.length} characters (at most 50)`);
  const platforms = m?.spec?.platforms;
  if (!Array.isArray(platforms) || platforms.length === 0) problems.push('spec.platforms must not be empty');
  const seen = new Set<string>();
  for (const [i, p] of (Array.isArray(platforms) ? platforms : []).entries()) {
    const where = `spec.platforms[${i}]`;
    const labels = p?.selector?.matchLabels ?? {};
    const keys = [...Object.keys(labels), ...(p?.selector?.matchExpressions ?? []).map((e: any) => e.key)];
    if (keys.length === 0) problems.push(`${where}.selector must not be empty`);
    for (const k of keys)
      if (k !== 'os' && k !== 'arch') problems.push(`${where}.selector uses key "${k}" (only os and arch)`);
    const key = `${labels.os}/${labels.arch}`;
    if (seen.has(key)) problems.push(`${where} overlaps another platform (${key})`);
    seen.add(key);
    if (!/\.(tar\.gz|zip)$/.test(p?.uri ?? '')) problems.push(`${where}.uri must end in .tar.gz or .zip`);
    if (!/^[a-f0-9]{64}$/.test(p?.sha256 ?? '')) problems.push(`${where}.sha256 must be 64 lowercase hex characters`);
    if (!p?.bin) problems.push(`${where}.bin is required`);
    if (labels.os === 'windows' && !String(p?.bin).endsWith('.exe'))
      problems.push(`${where}.bin must end in .exe on Windows`);
    if (
      p?.files !== undefined &&
      (!Array.isArray(p.files) || p.files.length === 0 || p.files.some((f: any) => !f?.from || !f?.to))
    ) {
      problems.push(`${where}.files must be a non-empty list of {from, to}`);
    }
  }
  return problems;
}
