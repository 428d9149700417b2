// Per-pod DNS, as data: parsing what a resolver inside a pod answered, and judging it
// against the pod IPs the API reports.
import type { LabNames } from '../../lab/names.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

export type LookupOutcome =
  | { kind: 'answer'; ips: string[] }
  | { kind: 'nxdomain' }
  /** No DNS server answered at all: the cluster has no working DNS. */
  | { kind: 'no-server'; detail: string };

const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/;

/** Reads busybox/BIND nslookup or `getent hosts` output. */
export function parseLookup(output: string): LookupOutcome {
  if (
    /connection timed out|no servers could be reached|Connection refused|can't resolve '/i.test(output) &&
    !/^Name:/m.test(output)
  ) {
    return { kind: 'no-server', detail: output.trim().split('\n').at(-1) ?? '' };
  }
  const lines = output.split('\n');
  const nameAt = lines.findIndex((l) => /^Name:/.test(l.trim()));
  if (nameAt >= 0) {
    const ips = lines
      .slice(nameAt)
      .filter((l) => /^Address(\s+\d+)?:/.test(l.trim()))
      .map((l) => IPV4.exec(l)?.[1])
      .filter((ip): ip is string => Boolean(ip));
    return ips.length ? { kind: 'answer', ips: [...new Set(ips)].sort() } : { kind: 'nxdomain' };
  }
  // getent hosts: "10.244.0.5   name aliases"
  const getent = lines
    .map((l) => /^(\d{1,3}(?:\.\d{1,3}){3})\s+\S/.exec(l.trim())?.[1])
    .filter((ip): ip is string => Boolean(ip));
  if (getent.length) return { kind: 'answer', ips: [...new Set(getent)].sort() };
  return { kind: 'nxdomain' };
}

/** The line that opens each name's output when one shell looks up several names (dns.ts). */
export const LOOKUP_MARK = '### sts-lab lookup';

/** Each name's own output out of one shell's, by the marker lines; a name with no section is missing. */
export function splitLookups(output: string, names: string[]): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith(`${LOOKUP_MARK} `)) {
      current = line.slice(LOOKUP_MARK.length + 1).trim();
      sections.set(current, '');
    } else if (current !== undefined) sections.set(current, `${sections.get(current)}${line}\n`);
  }
  return new Map(names.filter((n) => sections.has(n)).map((n) => [n, sections.get(n)!]));
}

export interface DnsRow {
  name: string;
  /** answer: the name must resolve to expected; nxdomain: it must not exist (a pod that is not Ready). */
  expect: 'answer' | 'nxdomain';
  /** Who asked: a lab pod other than the one named, so its /etc/hosts entry cannot answer. */
  from: string;
  expected: string[];
  answer: string[];
  outcome: LookupOutcome['kind'];
  /** What the resolver said when it got no answer. */
  detail?: string;
  ok: boolean;
}

export function judgeLookup(
  name: string,
  from: string,
  expected: string[],
  outcome: LookupOutcome,
  expect: DnsRow['expect'] = 'answer',
): DnsRow {
  const answer = outcome.kind === 'answer' ? outcome.ips : [];
  const want = [...expected].sort();
  return {
    name,
    expect,
    from,
    expected: want,
    answer,
    outcome: outcome.kind,
    ...(outcome.kind === 'no-server' ? { detail: outcome.detail } : {}),
    ok:
      expect === 'nxdomain'
        ? outcome.kind === 'nxdomain'
        : outcome.kind === 'answer' && answer.join(',') === want.join(','),
  };
}

export interface ResolvConf {
  nameservers: string[];
  search: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [] };
  for (const line of text.split('\n')) {
    const [key, ...values] = line.trim().split(/\s+/);
    if (key === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    if (key === 'search') out.search = values;
  }
  return out;
}

/** What the cluster says of its DNS: the pods' resolv.conf, and the kube-dns Service if it can be read. */
export interface DnsSetup {
  resolv: ResolvConf;
  /** kube-system's kube-dns Service: its clusterIP, null when there is none, undefined when not readable. */
  service: string | null | undefined;
  clusterDomain: string;
}

/**
 * Whether the cluster has DNS at all, and how that was decided. The kubelet writes the
 * cluster's search domains into a pod's resolv.conf only when it has a cluster DNS server to
 * point at; a kube-dns Service says the same from the API's side.
 */
export function dnsPresence(d: DnsSetup): { present: boolean; how: string } {
  const servers = d.resolv.nameservers.join(', ');
  if (!d.resolv.nameservers.length) return { present: false, how: "the pods' /etc/resolv.conf names no nameserver" };
  const clusterSearch = d.resolv.search.some((s) => s === `svc.${d.clusterDomain}`);
  const service = d.service
    ? `Service kube-system/kube-dns has clusterIP ${d.service}`
    : d.service === null
      ? 'no kube-dns Service in kube-system'
      : 'kube-system not readable';
  if (clusterSearch || d.service)
    return {
      present: true,
      how: `the pods' resolv.conf points at ${servers}${clusterSearch ? ` with search domain svc.${d.clusterDomain}` : ''}; ${service}`,
    };
  return {
    present: false,
    how: `the pods' resolv.conf points at ${servers} without the cluster's search domains, and ${service}`,
  };
}

/** One EndpointSlice entry: what cluster DNS serves a pod's record from. */
export interface SliceRecord {
  hostname: string | null;
  addresses: string[];
  ready: boolean;
  pod: string | null;
}

export interface DnsEvidence {
  names: LabNames;
  /** Every lab pod the StatefulSet wants, by name, with its readiness. */
  pods: { name: string; ready: boolean }[];
  publishNotReady: boolean;
  presence: { present: boolean; how: string };
  nameservers: string[];
  rows: DnsRow[];
  records: SliceRecord[];
}

/** The dns verdict: every lookup right and the EndpointSlice in step with readiness; N/A without DNS at all. */
export function dnsVerdict(e: DnsEvidence): { verdict: Verdict<never>; dnsAvailable: boolean } {
  const { names: n, rows, presence } = e;
  const publish = e.publishNotReady;
  // The EndpointSlice is where the records come from: ready there exactly when published.
  const sliceWrong = e.pods
    .filter((p) => e.records.find((r) => r.pod === p.name)?.ready !== (publish || p.ready))
    .map((p) => p.name);
  const unready = e.pods.filter((p) => !p.ready).map((p) => p.name);
  const silent = rows.some((r) => r.outcome === 'no-server');
  // Without cluster DNS, a host resolver's NXDOMAIN is no wrong answer: there is nothing to judge.
  const noDns = !presence.present && !rows.some((r) => r.ok);
  const ok = rows.every((r) => r.ok) && !sliceWrong.length;
  const headline = noDns
    ? 'This cluster has no DNS inside the pods: the EndpointSlice below holds the records it would serve'
    : ok
      ? unready.length
        ? `DNS follows readiness: every Ready pod's name resolves to its IP; ${unready.join(', ')} (not Ready) ${publish ? 'still resolves: publishNotReadyAddresses' : 'has no record'}`
        : `Stable network identity held: every <pod>.${n.service} name resolves to that pod's IP`
      : silent
        ? `The cluster DNS server ${e.nameservers.join(', ')} did not answer`
        : 'DNS gave wrong answers';
  const why = [
    `The headless Service ${n.service} (clusterIP None) publishes one A record per ${publish ? 'pod, Ready or not (publishNotReadyAddresses: true)' : 'Ready pod'}: <pod>.${n.service}.${n.namespace}.svc.cluster.local, from the hostname and subdomain the StatefulSet controller sets on each pod; the Service name itself resolves to all ${publish ? 'its' : 'Ready'} pods.`,
    `Cluster DNS ${presence.present ? 'is configured' : 'is absent'}: ${presence.how}.`,
    ...rows
      .filter((r) => !r.ok && !noDns)
      .map(
        (r) =>
          `${r.name}: got ${r.answer.join(', ') || r.detail || r.outcome}, expected ${r.expect === 'nxdomain' ? 'no record (the pod is not Ready)' : r.expected.join(', ')}`,
      ),
    ...sliceWrong.map(
      (p) =>
        `${p}: the EndpointSlice's ready condition does not match the pod's readiness${publish ? ' (publishNotReadyAddresses)' : ''}`,
    ),
  ];
  return { verdict: verdict(noDns ? 'N/A' : passIf(ok), headline, why), dnsAvailable: !noDns };
}
