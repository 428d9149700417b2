// storage: what to know about a cluster's storage before the lab, or while it stands — the
// StorageClasses, the nodes and their zones, where each lab pod's volume lives and attaches, and
// the combinations known to bite a StatefulSet.
import type { Outcome } from '../command-support/command.ts';
import { defineCommand } from '../command-support/command.ts';
import { allInOrder, connectLab } from '../command-support/target.ts';
import { volumesOf } from '../command-support/volume-pins.ts';
import type { LabNames } from '../lab/names.ts';
import { storageReport, type StorageReport } from '../lab/storage-report.ts';
import { pinText } from '../lab/volumes.ts';
import { paint } from '../ui/color.ts';

const unknown = (what: string) => `${what}: not readable with these credentials (cluster-wide rights needed)`;

export default defineCommand({
  command: 'storage',
  examples: [
    ['kubectl sts-lab storage', "The StorageClasses, the nodes' zones and where each lab pod's volume is pinned"],
    ['kubectl sts-lab storage -o json', 'The same, for a script'],
  ],
  describe: "Show the StorageClasses, the nodes' zones and each lab pod's volume, and warn where they would bite",
  judges: false,
  options: (_a, g): { names: LabNames } => ({ names: g.names }),
  async run({ names }, ctx): Promise<Outcome<StorageReport & { namespace: string }>> {
    const lab = await connectLab(ctx, names);
    const [classes, nodes, sts, pods, claims, attachments] = await allInOrder([
      lab.storageClasses(),
      lab.listNodes(),
      lab.findStatefulSet(),
      lab.listPods(),
      lab.listClaims(),
      lab.volumeAttachments(),
    ]);
    const volumes = await volumesOf(lab, claims);
    const report = storageReport({
      names,
      classes,
      nodes,
      statefulSet: sts,
      pods,
      claims,
      volumes: new Map([...volumes].flatMap(([k, v]) => (v ? [[k, v]] : []))),
      attachments,
    });
    return { ok: true, data: { namespace: names.namespace, ...report } };
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['storageclass', 'provisioner', 'binding mode', 'reclaim', 'expansion', 'topologies', 'default'],
        rows: (d.classes ?? []).map((c) => [
          c.name,
          c.provisioner,
          c.volumeBindingMode,
          c.reclaimPolicy,
          c.allowVolumeExpansion ? 'yes' : 'no',
          c.allowedTopologies.join('; ') || 'any',
          c.isDefault ? 'yes' : '',
        ]),
      },
      {
        headers: ['node', 'zone', 'ready', 'schedulable'],
        rows: (d.nodes ?? []).map((n) => [
          n.name,
          n.zone ?? '<none>',
          n.ready ? 'yes' : 'NO',
          n.schedulable ? 'yes' : 'NO',
        ]),
      },
      {
        headers: ['pod', 'node', 'zone', 'pvc', 'status', 'pv', 'volume node', 'access', 'attachment'],
        rows: d.volumes.map((v) => [
          v.pod,
          v.node ?? '-',
          v.zone ?? '-',
          v.pvc,
          v.pvcStatus ?? '-',
          v.pv ?? '-',
          pinText(v.volumeNodes),
          v.accessModes.join(',') || '-',
          v.attachment ? `${v.attachment.name} (${v.attachment.attached ? 'attached' : 'not attached'})` : 'none',
        ]),
      },
    ],
    notes: [
      ...(d.classes ? [] : [unknown('StorageClasses')]),
      ...(d.nodes ? [] : [unknown('nodes')]),
      ...(d.volumes.length ? [] : [`No claims of the lab in namespace "${d.namespace}".`]),
      ...d.warnings.map((w) => `${paint('yellow', 'warning:')} ${w}`),
    ],
  }),
});
