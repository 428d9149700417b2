// The StatefulSet's revisions (ControllerRevisions), what each changed in the pod template
// against the one before, and which pods run it now: `kubectl rollout history` with the pods.
import { REVISION_LABEL } from './rollout.ts';
import { ON_DELETE_COMPLETES_MINOR } from '../../lab/server-version.ts';

export interface RevisionLike {
  name: string;
  revision: number;
  /** The pod template the revision records (ControllerRevision data.spec.template). */
  template: TemplateLike | undefined;
}

interface TemplateLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { containers?: { name?: string; image?: string }[] };
}

export interface HistoryRow {
  revision: number;
  name: string;
  change: string;
  pods: string[];
  current: boolean;
  update: boolean;
}

/** What changed from one template to the next, in words a learner can check: images and annotations. */
export function templateChange(before: TemplateLike | undefined, after: TemplateLike | undefined): string {
  if (!before) return 'first revision';
  const changes: string[] = [];
  const images = (t: TemplateLike | undefined) =>
    new Map((t?.spec?.containers ?? []).map((c) => [c.name ?? '', c.image ?? '']));
  const was = images(before);
  for (const [name, image] of images(after))
    if (was.get(name) !== image) changes.push(`image ${name}: ${was.get(name) ?? 'none'} → ${image}`);
  const a0 = before.metadata?.annotations ?? {};
  const a1 = after?.metadata?.annotations ?? {};
  for (const key of new Set([...Object.keys(a0), ...Object.keys(a1)])) {
    if (a0[key] !== a1[key]) changes.push(`annotation ${key}: ${a0[key] ?? 'none'} → ${a1[key] ?? 'none'}`);
  }
  return changes.join('; ') || 'other template fields';
}

export function historyRows(
  revisions: RevisionLike[],
  pods: { name: string; labels: Record<string, string> }[],
  status: { currentRevision?: string; updateRevision?: string },
): HistoryRow[] {
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  return sorted.map((r, i) => ({
    revision: r.revision,
    name: r.name,
    change: templateChange(sorted[i - 1]?.template, r.template),
    pods: pods
      .filter((p) => p.labels[REVISION_LABEL] === r.name)
      .map((p) => p.name)
      .sort(),
    current: r.name === status.currentRevision,
    update: r.name === status.updateRevision,
  }));
}

/**
 * Why status.currentRevision may name a revision no pod runs: under OnDelete, Kubernetes before
 * 1.37 never moves it; from 1.37 it becomes the update revision once every pod runs that and is Ready.
 */
export function staleCurrentNote(
  strategy: string | undefined,
  status: { currentRevision?: string | undefined; updateRevision?: string | undefined },
  podRevisions: (string | null)[],
): string | undefined {
  const { currentRevision: current, updateRevision: update } = status;
  if (
    strategy !== 'OnDelete' ||
    !current ||
    !update ||
    current === update ||
    !podRevisions.length ||
    podRevisions.some((r) => r !== update)
  )
    return undefined;
  return `Every pod runs the update revision ${update}, yet status.currentRevision still names ${current}: under OnDelete, Kubernetes before 1.${ON_DELETE_COMPLETES_MINOR} never moves it; from 1.${ON_DELETE_COMPLETES_MINOR} the controller sets it to the update revision once every pod runs that and is Ready.`;
}
