// history: the StatefulSet's revisions, what each changed, and which pods run each now.
import type { LabNames } from '../../lab/names.ts';
import { historyRows, staleCurrentNote } from './revisions.ts';
import { revisionOf } from './rollout.ts';
import { defineCommand } from '../../command-support/command.ts';
import { lookAt } from '../../command-support/target.ts';
import { shortRevision } from '../../ui/table.ts';

export default defineCommand({
  command: 'history',
  examples: [
    ['kubectl sts-lab history', 'The revisions, what each changed and which pods run it'],
    ['kubectl sts-lab history -o yaml', 'The same, for a script'],
  ],
  describe: "List the StatefulSet's revisions (ControllerRevisions): what each changed and which pods run it now",
  judges: false,
  options: (_a, g): { names: LabNames } => ({ names: g.names }),
  async run({ names: n }, ctx) {
    const { lab, sts } = await lookAt(ctx, n);
    const [revisions, pods] = await Promise.all([lab.controllerRevisions(sts.metadata?.uid ?? ''), lab.listPods()]);
    const status = { currentRevision: sts.status?.currentRevision, updateRevision: sts.status?.updateRevision };
    const rows = historyRows(
      revisions,
      pods.map((p) => ({ name: p.metadata?.name ?? '', labels: p.metadata?.labels ?? {} })),
      status,
    );
    const stale = staleCurrentNote(sts.spec?.updateStrategy?.type, status, pods.map(revisionOf));
    return {
      ok: true,
      data: {
        namespace: n.namespace,
        statefulSet: n.statefulSet,
        currentRevision: sts.status?.currentRevision ?? null,
        updateRevision: sts.status?.updateRevision ?? null,
        revisions: rows,
      },
      remarks: stale ? [stale] : [],
    };
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['revision', 'name', 'role', 'pods now', 'change from the revision before'],
        short: { name: shortRevision },
        rows: d.revisions.map((r) => [
          String(r.revision),
          r.name,
          [r.current && 'current', r.update && 'update'].filter(Boolean).join(', ') || '-',
          r.pods.join(', ') || '<none>',
          r.change,
        ]),
      },
    ],
  }),
});
