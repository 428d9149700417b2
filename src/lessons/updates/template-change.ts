// The change an update makes, as the lab sends it (one patch) or as the learner types it: the
// partition first, then the template, in the tutorial's order. The StatefulSet's watch shows
// each done; a template changed before the partition is named, since every pod then rolls.
import { perform, type TaskLine } from '../../command-support/hands-on.ts';
import type { RunContext } from '../../command-support/command.ts';
import type { LabNames } from '../../lab/names.ts';
import { NEVER_READY_PROBE } from '../../lab/names.ts';
import type { Lab, V1StatefulSet } from '../../k8s/index.ts';

export type TemplateChange = Parameters<Lab['patchTemplate']>[1];

const partitionOf = (s: V1StatefulSet | undefined) => s?.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
const templateOf = (s: V1StatefulSet | undefined) => JSON.stringify(s?.spec?.template ?? null);
const quoted = (body: unknown) => `'${JSON.stringify(body)}'`;

/** What the learner types to set the partition (and maxUnavailable, when asked for). */
export function partitionKubectl(n: LabNames, c: TemplateChange): string {
  const rollingUpdate = {
    partition: c.partition,
    ...(c.maxUnavailable === undefined ? {} : { maxUnavailable: c.maxUnavailable }),
  };
  const body = { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate } } };
  return `kubectl -n ${n.namespace} patch statefulset ${n.statefulSet} -p ${quoted(body)}`;
}

/** What the learner types to change the template: a new image, a broken probe, or a restart stamp. */
export function templateKubectl(n: LabNames, container: string, c: TemplateChange): string {
  const sts = `statefulset/${n.statefulSet}`;
  if (c.breakReadiness) {
    const op = { op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe', value: NEVER_READY_PROBE };
    return `kubectl -n ${n.namespace} patch ${sts} --type=json -p ${quoted([op])}`;
  }
  if (c.image) return `kubectl -n ${n.namespace} set image ${sts} ${container}=${c.image}`;
  return `kubectl -n ${n.namespace} rollout restart ${sts}`;
}

const generation = (s: V1StatefulSet | undefined) => s?.metadata?.generation ?? -1;
const latest = (a: V1StatefulSet | undefined, b: V1StatefulSet | undefined) => (generation(a) >= generation(b) ? a : b);

/** Makes the change; returns the StatefulSet as changed (its generation, what the server kept). */
export async function changeTemplate(
  lab: Lab,
  ctx: RunContext,
  t: TaskLine,
  current: V1StatefulSet,
  c: TemplateChange,
  n: LabNames,
): Promise<V1StatefulSet> {
  if (!ctx.handsOn) return lab.patchTemplate(current, c);
  const w = await lab.watchStatefulSet();
  const now = () => w.list.current()[0];
  const templateChanged = () => templateOf(now()) !== templateOf(current);
  // The lab's own patch answers with the object as changed, before the watch may show it.
  let patched: V1StatefulSet | undefined;
  const patch = async (change: TemplateChange) => void (patched = await lab.patchTemplate(patched ?? current, change));
  try {
    if (!c.onDelete && (partitionOf(current) !== c.partition || c.maxUnavailable !== undefined))
      await perform(ctx, t, {
        kubectl: partitionKubectl(n, c),
        awaiting: `partition ${c.partition}`,
        byLab: () => patch({ ...c, partitionOnly: true }),
        watch: w.list,
        seen: () => partitionOf(now()) === c.partition,
        wrong: () =>
          templateChanged()
            ? `the template changed before the partition was set: pods below partition ${c.partition} roll too`
            : partitionOf(now()) !== partitionOf(current)
              ? `partition is ${partitionOf(now())}, and this step sets ${c.partition}`
              : undefined,
      });
    if (!c.partitionOnly)
      await perform(ctx, t, {
        kubectl: templateKubectl(n, current.spec?.template.spec?.containers[0]?.name ?? 'nginx', c),
        awaiting: 'a new pod template',
        byLab: () => patch(c),
        watch: w.list,
        seen: templateChanged,
      });
    return latest(patched, now()) ?? current;
  } finally {
    w.release();
  }
}
