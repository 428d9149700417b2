// status: the lab as it is now — StatefulSet, headless Service, pods with their nodes, claims
// and where each volume lets its pod run, and the DNS name each pod is reachable at.
import { staleCurrentNote } from '../lessons/updates/revisions.ts';
import { byOrdinal, podDnsName, serviceDnsName, type LabNames } from '../lab/names.ts';
import { labOrdinals, ordinalSpan, startOrdinal } from '../lab/ordinals.ts';
import { podRows, type PodRow } from '../lab/pod-rows.ts';
import { podSection } from '../ui/cells.ts';
import { revisionOf } from '../lessons/updates/rollout.ts';
import type { Outcome } from '../command-support/command.ts';
import { defineCommand } from '../command-support/command.ts';
import { allInOrder, connectLab } from '../command-support/target.ts';
import { resolveNames } from '../lab/foreign.ts';
import { volumePins } from '../command-support/volume-pins.ts';
import { policyOf, type PodManagementPolicy } from '../lab/manifests.ts';
import { shortRevision } from '../ui/table.ts';

export interface StatusStatefulSet {
  name: string;
  replicas: number;
  /** spec.ordinals.start: the first pod's ordinal (0 unless set). */
  startOrdinal: number;
  readyReplicas: number;
  currentRevision: string | null;
  updateRevision: string | null;
  podManagementPolicy: PodManagementPolicy;
  serviceName: string | null;
}

export interface StatusService {
  name: string;
  clusterIP: string | null;
  headless: boolean;
  selector: Record<string, string>;
  dns: string;
}

export type StatusData =
  | { deployed: false; namespace: string; statefulSet: string }
  | {
      deployed: true;
      namespace: string;
      statefulSet: StatusStatefulSet | null;
      service: StatusService | null;
      pods: PodRow[];
    };

export default defineCommand({
  command: 'status',
  examples: [
    ['kubectl sts-lab status', "The lab's StatefulSet, Service, pods, claims and DNS names"],
    ['kubectl sts-lab status -o wide', 'The same with IPs, nodes, volumes and both revisions'],
    [
      'kubectl sts-lab status -n default --name web --service nginx',
      "The tutorial's web StatefulSet, which sts-lab did not make",
    ],
  ],
  describe: 'Show the StatefulSet, the headless Service, the pods, their claims and DNS names',
  judges: false,
  options: (_a, g): { names: LabNames } => ({ names: g.names }),
  async run({ names }, ctx): Promise<Outcome<StatusData>> {
    const first = await connectLab(ctx, names);
    // One round trip: the four reads go out together (on one HTTP/2 connection).
    const [sts, svc, ownPods, ownClaims] = await allInOrder([
      first.findStatefulSet(),
      first.findService(),
      first.listPods(),
      first.listClaims(),
    ]);
    // A StatefulSet sts-lab did not make: its pods and claims are found by its own selector.
    const n = sts ? resolveNames(names, sts) : names;
    const lab = n === names ? first : await connectLab(ctx, n);
    const [pods, claims] = n === names ? [ownPods, ownClaims] : await allInOrder([lab.listPods(), lab.listClaims()]);
    if (!sts && !svc) {
      return { ok: true, data: { deployed: false, namespace: n.namespace, statefulSet: n.statefulSet } };
    }
    const replicas = sts?.spec?.replicas ?? 0;
    const wanted = sts ? labOrdinals(sts) : [];
    const rows = podRows(n, wanted, byOrdinal(n, pods), claims, await volumePins(lab, claims));
    const statefulSet = sts && {
      name: n.statefulSet,
      replicas,
      startOrdinal: startOrdinal(sts),
      readyReplicas: sts.status?.readyReplicas ?? 0,
      currentRevision: sts.status?.currentRevision ?? null,
      updateRevision: sts.status?.updateRevision ?? null,
      podManagementPolicy: policyOf(sts.spec),
      serviceName: sts.spec?.serviceName ?? null,
    };
    const service = svc && {
      name: n.service,
      clusterIP: svc.spec?.clusterIP ?? null,
      headless: svc.spec?.clusterIP === 'None',
      selector: svc.spec?.selector ?? {},
      dns: serviceDnsName(n),
    };
    const stale = sts
      ? staleCurrentNote(sts.spec?.updateStrategy?.type, sts.status ?? {}, pods.map(revisionOf))
      : undefined;
    return {
      ok: true,
      data: {
        deployed: true,
        namespace: n.namespace,
        statefulSet: statefulSet ?? null,
        service: service ?? null,
        pods: rows,
      },
      remarks: [
        ...(stale ? [stale] : []),
        ...(n === names
          ? []
          : [
              `statefulset.apps/${n.statefulSet} was not created by sts-lab: its pods are those of selector ${n.selector}, its claims those of template ${n.claim}; sts-lab only looks at it`,
            ]),
      ],
    };
  },
  present: ({ data: d }, { names: n }) => {
    if (!d.deployed) {
      return {
        sections: [],
        notes: [
          `No lab in namespace "${n.namespace}": statefulset.apps/${n.statefulSet} does not exist. Run \`kubectl sts-lab setup\` to create it.`,
        ],
      };
    }
    const { statefulSet: sts, service } = d;
    return {
      sections: [
        {
          headers: ['statefulset', 'replicas', 'ordinals', 'ready', 'policy', 'current rev', 'update rev'],
          short: { 'current rev': shortRevision, 'update rev': shortRevision },
          rows: sts
            ? [
                [
                  sts.name,
                  String(sts.replicas),
                  ordinalSpan(labOrdinals({ spec: { replicas: sts.replicas, ordinals: { start: sts.startOrdinal } } })),
                  `${sts.readyReplicas}/${sts.replicas}`,
                  sts.podManagementPolicy,
                  sts.currentRevision ?? '<none>',
                  sts.updateRevision ?? '<none>',
                ],
              ]
            : [],
        },
        {
          headers: ['service', 'cluster-ip', 'selector', 'dns'],
          wide: ['dns'],
          rows: service
            ? [
                [
                  service.name,
                  service.clusterIP ?? '<none>',
                  Object.entries(service.selector)
                    .map(([a, b]) => `${a}=${b}`)
                    .join(','),
                  service.dns,
                ],
              ]
            : [],
        },
        podSection(d.pods),
        { headers: ['pod', 'dns name'], rows: d.pods.map((r) => [r.pod, podDnsName(n, r.ordinal)]) },
      ],
    };
  },
});
