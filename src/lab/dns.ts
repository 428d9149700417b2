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

export interface DnsRow {
  name: string;
  /** Who asked: a lab pod other than the one named, so its /etc/hosts entry cannot answer. */
  from: string;
  expected: string[];
  answer: string[];
  outcome: LookupOutcome['kind'];
  ok: boolean;
}

export function judgeLookup(name: string, from: string, expected: string[], outcome: LookupOutcome): DnsRow {
  const answer = outcome.kind === 'answer' ? outcome.ips : [];
  const want = [...expected].sort();
  return { name, from, expected: want, answer, outcome: outcome.kind, ok: outcome.kind === 'answer' && answer.join(',') === want.join(',') };
}
