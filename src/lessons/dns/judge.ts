// Per-pod DNS, as data: parsing what a resolver inside a pod answered, and judging it
// against the pod IPs the API reports.

export type LookupOutcome =
  | { kind: 'answer'; ips: string[] }
  | { kind: 'nxdomain' }
  /** No DNS server answered at all: the cluster has no working DNS. */
  | { kind: 'no-server'; detail: string };

const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/;

/** Reads busybox/BIND nslookup or `getent hosts` output. */
export function parseLookup(output: string): LookupOutcome {
  if (/connection timed out|no servers could be reached|Connection refused|can't resolve '/i.test(output) && !/^Name:/m.test(output)) {
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
  const getent = lines.map((l) => /^(\d{1,3}(?:\.\d{1,3}){3})\s+\S/.exec(l.trim())?.[1]).filter((ip): ip is string => Boolean(ip));
  if (getent.length) return { kind: 'answer', ips: [...new Set(getent)].sort() };
  return { kind: 'nxdomain' };
}

/** The line that opens each name's output when one shell looks up several names (src/commands/dns.ts). */
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

export function judgeLookup(name: string, from: string, expected: string[], outcome: LookupOutcome, expect: DnsRow['expect'] = 'answer'): DnsRow {
  const answer = outcome.kind === 'answer' ? outcome.ips : [];
  const want = [...expected].sort();
  return {
    name, expect, from, expected: want, answer, outcome: outcome.kind,
    ...(outcome.kind === 'no-server' ? { detail: outcome.detail } : {}),
    ok: expect === 'nxdomain' ? outcome.kind === 'nxdomain' : outcome.kind === 'answer' && answer.join(',') === want.join(','),
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
  const service = d.service ? `Service kube-system/kube-dns has clusterIP ${d.service}` : d.service === null ? 'no kube-dns Service in kube-system' : 'kube-system not readable';
  if (clusterSearch || d.service) return { present: true, how: `the pods' resolv.conf points at ${servers}${clusterSearch ? ` with search domain svc.${d.clusterDomain}` : ''}; ${service}` };
  return { present: false, how: `the pods' resolv.conf points at ${servers} without the cluster's search domains, and ${service}` };
}
