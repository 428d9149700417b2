import type { Retention } from './manifests.ts';

// Argument checks that need no cluster. Each returns the normalised value or throws an
// Error whose message is the whole user-facing explanation.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
export const MAX_REPLICAS = 100;

export function dnsLabel(what: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new Error(
      `invalid ${what} "${value}": must be a lowercase RFC 1123 label (a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63 characters)`,
    );
  }
  return value;
}

/** StatefulSet names end up inside pod hostnames (`<name>-<ordinal>`), hence the shorter limit. */
export function statefulSetName(value: string): string {
  dnsLabel('--name', value);
  if (value.length > 52)
    throw new Error(`invalid --name "${value}": at most 52 characters, so that pod names stay valid hostnames`);
  return value;
}

export function replicaCount(flag: string, raw: unknown): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) {
    throw new Error(`invalid ${flag} "${String(raw)}": must be a whole number from 0 to ${MAX_REPLICAS}`);
  }
  const n = Number(text);
  if (n > MAX_REPLICAS) throw new Error(`invalid ${flag} ${text}: at most ${MAX_REPLICAS} replicas in a lab`);
  return n;
}

export function quantity(flag: string, value: string): string {
  if (!QUANTITY.test(value))
    throw new Error(`invalid ${flag} "${value}": use a Kubernetes quantity such as 1Gi or 500Mi`);
  return value;
}

// The image reference grammar of distribution/reference (what the kubelet and containerd parse):
// [domain[:port]/]path[:tag][@digest], path components lowercase.
const DOMAIN = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const REFERENCE = new RegExp(
  String.raw`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
const MAX_NAME = 255;

export function image(value: string): string {
  const m = REFERENCE.exec(value);
  if (!m) {
    const why = /[A-Z]/.test(value.split('/').slice(-1)[0]!.split(/[:@]/)[0]!)
      ? 'repository names must be lowercase'
      : 'use [registry[:port]/]name[:tag][@sha256:digest], e.g. nginx:1.27-alpine or registry.example.com/team/nginx:1.27';
    throw new Error(`invalid --image "${value}": not a valid image reference (${why})`);
  }
  const name = m[1] ? `${m[1]}/${m[2]}` : m[2]!;
  if (name.length > MAX_NAME)
    throw new Error(`invalid --image "${value}": the repository name is longer than ${MAX_NAME} characters`);
  return value;
}

export function parseRetention(text: string): Retention {
  const out: Record<string, Retention[keyof Retention]> = { whenScaled: 'Retain', whenDeleted: 'Retain' };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=').map((x) => x.trim());
    if ((key !== 'whenScaled' && key !== 'whenDeleted') || (value !== 'Retain' && value !== 'Delete')) {
      throw new Error(`invalid --retention "${text}": use whenScaled=Retain|Delete,whenDeleted=Retain|Delete`);
    }
    out[key] = value;
  }
  return { whenScaled: out.whenScaled!, whenDeleted: out.whenDeleted! };
}

/** spec.updateStrategy.rollingUpdate.maxUnavailable: a count of at least 1, or a percentage. */
export function maxUnavailable(raw: unknown): number | string {
  const text = String(raw).trim();
  if (/^([1-9]\d?|100)%$/.test(text)) return text;
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_REPLICAS) return Number(text);
  throw new Error(
    `invalid --max-unavailable "${String(raw)}": must be a whole number from 1 to ${MAX_REPLICAS}, or a percentage such as 50%`,
  );
}

/** spec.ordinals.start is an int32: the last pod's ordinal must fit too. */
export function startOrdinal(raw: unknown, replicas: number): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text))
    throw new Error(`invalid --start-ordinal "${String(raw)}": must be a whole number (the first pod's ordinal)`);
  const n = Number(text);
  if (n + Math.max(replicas, 1) - 1 > 2 ** 31 - 1)
    throw new Error(`invalid --start-ordinal ${text}: the last ordinal must stay below 2^31`);
  return n;
}

/** --toleration-seconds: how long pods stay on a failed node before taint-based eviction (0 evicts at once). */
export function tolerationSeconds(raw: unknown): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text) || Number(text) > 3600)
    throw new Error(`invalid --toleration-seconds "${String(raw)}": must be a whole number of seconds from 0 to 3600`);
  return Number(text);
}
