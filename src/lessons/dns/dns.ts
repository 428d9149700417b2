// dns: resolve each pod's stable name, and the headless Service's name, from inside the
// cluster (exec in another lab pod), and compare with the pod IPs the API reports. Without
// cluster DNS it says so and shows the EndpointSlice records DNS would serve.
import { setTimeout as sleep } from 'node:timers/promises';
import { labOrdinals } from '../../lab/ordinals.ts';
import { CliError } from '../../errors.ts';
import type { Lab } from '../../k8s/index.ts';
import {
  dnsPresence,
  dnsVerdict,
  judgeLookup,
  LOOKUP_MARK,
  parseLookup,
  parseResolvConf,
  splitLookups,
  type DnsRow,
  type DnsSetup,
  type LookupOutcome,
  type SliceRecord,
} from './judge.ts';
import { byOrdinal, CLUSTER_DOMAIN, podDnsName, serviceDnsName, type LabNames } from '../../lab/names.ts';
import { isReady } from '../../lab/pods.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks, type Task } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { lookAt } from '../../command-support/target.ts';
import { shortDnsNames } from '../../ui/table.ts';

// One exec per asking pod: its names are looked up side by side in one shell, each answer
// printed whole after a marker line. nslookup asks DNS only; getent (which also reads
// /etc/hosts, and retries each search domain for long when no server answers) only for images
// without nslookup.
const LOOKUP_SCRIPT = `for name in "$@"; do
  (out=$(if command -v nslookup >/dev/null 2>&1; then nslookup "$name" 2>&1; else getent hosts "$name"; fi); printf '%s %s\\n%s\\n' '${LOOKUP_MARK}' "$name" "$out") &
done
wait`;
/** One exec's bound: a resolver that hears nothing gives up well within it (the lookups run side by side). */
const LOOKUP_TIMEOUT_MS = 25_000;
// Records follow pod changes within seconds (a re-created pod's new IP, say): a wrong answer
// is asked again for this long before it counts.
const SETTLE_MS = 30_000;

export default defineCommand({
  command: 'dns',
  examples: [
    ['kubectl sts-lab dns', "Resolve every pod's name from inside the cluster and compare it with the pod's IP"],
    ['kubectl sts-lab dns -o wide', 'The same, with the pod that asked and the expected address'],
  ],
  settlesFirst: true,
  describe: "Resolve every pod's stable DNS name from inside the cluster and check it against the pod's IP",
  options: (_a, g): { names: LabNames } => ({ names: g.names }),
  async run({ names }, ctx) {
    const { lab, sts } = await lookAt(ctx, names);
    const n = lab.names;
    const wanted = labOrdinals(sts);
    const pods = new Map([...byOrdinal(n, await lab.listPods())].filter(([o]) => wanted.includes(o)));
    const ready = [...pods.entries()].filter(([, p]) => isReady(p)).sort(([a], [b]) => a - b);
    if (!ready.length) throw new CliError('no Ready pod to resolve from', 'wait for the pods: kubectl sts-lab status');
    const askerFor = (target: number | undefined) =>
      (ready.find(([o]) => o !== target) ?? ready[0]!)[1].metadata!.name!;
    // publishNotReadyAddresses: the Service's records include pods that are not Ready.
    const publish = (await lab.findService())?.spec?.publishNotReadyAddresses === true;
    const published = [...pods.entries()].filter(([, p]) => publish || isReady(p)).sort(([a], [b]) => a - b);
    const setup = await dnsSetup(lab, askerFor(undefined));
    const presence = dnsPresence(setup);
    const deadline = Date.now() + Math.min(SETTLE_MS, ctx.globals.timeoutMs);
    const rows: DnsRow[] = [];
    const queries: Query[] = [
      ...[...pods.entries()]
        .sort(([a], [b]) => a - b)
        .map(([o, p]) => ({
          name: podDnsName(n, o),
          from: askerFor(o),
          expected: p.status?.podIP ? [p.status.podIP] : [],
          expect: publish || isReady(p) ? ('answer' as const) : ('nxdomain' as const),
        })),
      {
        name: serviceDnsName(n),
        from: askerFor(undefined),
        expected: published.map(([, p]) => p.status?.podIP ?? '').filter(Boolean),
        expect: 'answer' as const,
      },
    ];
    const answers = settle(lab, queries, deadline);
    await runTasks(
      queries.map((q): Task => ({
        title: `${q.name} (asked from ${q.from})`,
        task: async (_c, t) => {
          const row = await answers.get(q)!;
          rows.push(row);
          t.title = `${q.name} → ${row.answer.join(', ') || row.outcome} ${row.ok ? (q.expect === 'nxdomain' ? '(no record: the pod is not Ready)' : '(matches the API)') : `(expected ${q.expect === 'nxdomain' ? 'no record' : q.expected.join(', ')})`}`;
        },
      })),
      { progress: ctx.globals.progress, concurrent: true },
    );
    rows.sort((a, b) => queries.findIndex((q) => q.name === a.name) - queries.findIndex((q) => q.name === b.name));
    const slices = await lab.endpointSlices();
    const records: SliceRecord[] = slices.flatMap((s) =>
      (s.endpoints ?? []).map((e) => ({
        hostname: e.hostname ?? null,
        addresses: e.addresses,
        ready: e.conditions?.ready ?? false,
        pod: e.targetRef?.name ?? null,
      })),
    );
    const judged = dnsVerdict({
      names: n,
      pods: [...pods.values()].map((p) => ({ name: p.metadata?.name ?? '', ready: isReady(p) })),
      publishNotReady: publish,
      presence,
      nameservers: setup.resolv.nameservers,
      rows,
      records,
    });
    return {
      ok: judged.verdict.result !== 'FAIL',
      data: {
        namespace: n.namespace,
        service: n.service,
        publishNotReadyAddresses: publish,
        dnsAvailable: judged.dnsAvailable,
        clusterDns: {
          present: presence.present,
          how: presence.how,
          nameservers: setup.resolv.nameservers,
          kubeDnsService: setup.service ?? null,
        },
        verdict: judged.verdict,
        lookups: rows,
        endpointSlice: records,
      },
    };
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['name', 'asked from', 'api ip', 'expected', 'dns answer', 'result'],
        wide: ['asked from', 'expected'],
        short: { name: shortDnsNames },
        rows: d.lookups.map((r) => [
          r.name,
          r.from,
          r.expected.join(', ') || '<none>',
          r.expect === 'nxdomain' ? 'no record' : 'api ip',
          r.answer.join(', ') || r.outcome,
          r.ok ? 'PASS' : d.dnsAvailable ? 'FAIL' : 'N/A',
        ]),
      },
      {
        headers: ['endpointslice hostname', 'addresses', 'ready', 'pod'],
        rows: d.endpointSlice.map((r) => [
          r.hostname ?? '<none>',
          r.addresses.join(', '),
          String(r.ready),
          r.pod ?? '<none>',
        ]),
      },
    ],
    notes: verdictLines(d.verdict, verdictText),
  }),
});

/** Each name's outcome, asked from one pod in one exec. */
async function lookupFrom(lab: Lab, from: string, names: string[]): Promise<Map<string, LookupOutcome>> {
  try {
    const r = await lab.exec(from, ['sh', '-c', LOOKUP_SCRIPT, 'sh', ...names], { timeoutMs: LOOKUP_TIMEOUT_MS });
    const parts = splitLookups(r.stdout.toString(), names);
    return new Map(names.map((name) => [name, parseLookup(parts.get(name) ?? r.stderr.toString())]));
  } catch (err) {
    if (err instanceof CliError && /did not finish within/.test(err.message)) {
      return new Map(
        names.map((name) => [name, { kind: 'no-server', detail: `no answer within ${LOOKUP_TIMEOUT_MS / 1000}s` }]),
      );
    }
    throw err;
  }
}

/** The pods' resolver configuration (read inside a lab pod) and the kube-dns Service. */
async function dnsSetup(lab: Lab, pod: string): Promise<DnsSetup> {
  const [resolv, service] = await Promise.all([
    lab.exec(pod, ['cat', '/etc/resolv.conf'], { timeoutMs: 30_000 }),
    lab.clusterDnsService(),
  ]);
  return {
    resolv: parseResolvConf(resolv.code === 0 ? resolv.stdout.toString() : ''),
    service,
    clusterDomain: CLUSTER_DOMAIN,
  };
}

interface Query {
  name: string;
  from: string;
  expected: string[];
  expect: DnsRow['expect'];
}

/**
 * Asks each pod's names again, once a second, until every answer is right or the deadline has
 * passed; each query's row is there as soon as its answer counts.
 */
function settle(lab: Lab, queries: Query[], deadline: number): Map<Query, Promise<DnsRow>> {
  const rows = new Map(queries.map((q) => [q, Promise.withResolvers<DnsRow>()]));
  const byAsker = Map.groupBy(queries, (q) => q.from);
  for (const [from, group] of byAsker) {
    void (async () => {
      let pending = group;
      for (;;) {
        const outcomes = await lookupFrom(
          lab,
          from,
          pending.map((q) => q.name),
        );
        const last = Date.now() >= deadline || lab.interrupt.aborted;
        const again: Query[] = [];
        for (const q of pending) {
          const outcome = outcomes.get(q.name)!;
          const row = judgeLookup(q.name, q.from, q.expected, outcome, q.expect);
          if (row.ok || outcome.kind === 'no-server' || last) rows.get(q)!.resolve(row);
          else again.push(q);
        }
        if (!again.length) return;
        pending = again;
        await sleep(1000, undefined, { signal: lab.interrupt }).catch(() => undefined);
      }
    })().catch((err: unknown) => {
      for (const q of group) rows.get(q)!.reject(err);
    });
  }
  return new Map([...rows].map(([q, r]) => [q, r.promise]));
}
