// Stable identity, as data: what must stay the same when a StatefulSet pod is deleted and
// re-created (name, owner, ordinal label, hostname, claim, volume and where it may run), what must change (UID),
// what may (IP, node), and that the old pod was gone before the new one was created.
import { CLAIM_TEMPLATE } from '../../lab/names.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import { pinText } from '../../lab/volumes.ts';

export interface Identity {
  name: string;
  uid: string;
  owner: string | null;
  podIndex: string | null;
  hostname: string;
  ip: string | null;
  node: string | null;
  pvc: string | null;
  pv: string | null;
  /** Where the volume lets the pod run (its node affinity); null without a volume. */
  volumeNode: string | null;
}

export type Expectation = 'same' | 'new' | 'may differ' | 'old gone first' | 'current revision' | 'update revision';

export interface IdentityRow {
  field: string;
  before: string;
  after: string;
  expected: Expectation;
  ok: boolean;
}

/** The pod object's own words for its identity (everything but what is read inside it). */
export interface IdentityPod {
  metadata?: {
    name?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  };
  spec?: { nodeName?: string; volumes?: { name?: string; persistentVolumeClaim?: { claimName?: string } }[] };
  status?: { podIP?: string };
}

const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export function identityOf(
  pod: IdentityPod,
  hostname: string,
  pv: string | null,
  volumeNodes: string[] | null = null,
): Identity {
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
  return {
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    owner: owner ? `${owner.kind}/${owner.name}` : null,
    podIndex: pod.metadata?.labels?.[POD_INDEX_LABEL] ?? null,
    hostname,
    ip: pod.status?.podIP ?? null,
    node: pod.spec?.nodeName ?? null,
    pvc: claimOf(pod),
    pv,
    volumeNode: pv ? pinText(volumeNodes) : null,
  };
}

/** The claim the pod mounts from the StatefulSet's claim template, as the pod spec names it. */
export const claimOf = (pod: IdentityPod): string | null =>
  pod.spec?.volumes?.find((v) => v.name === CLAIM_TEMPLATE)?.persistentVolumeClaim?.claimName ?? null;

/** Fields a cluster may not set at all: the pod-index label came with Kubernetes 1.28. */
const OPTIONAL = new Set<keyof Identity>(['podIndex']);

const FIELDS: [keyof Identity, string, Expectation][] = [
  ['name', 'name', 'same'],
  ['uid', 'uid', 'new'],
  ['owner', 'owner', 'same'],
  ['podIndex', `label ${POD_INDEX_LABEL}`, 'same'],
  ['hostname', 'hostname (inside the pod)', 'same'],
  ['ip', 'ip', 'may differ'],
  ['node', 'node', 'may differ'],
  ['pvc', 'pvc', 'same'],
  ['pv', 'pv', 'same'],
  ['volumeNode', 'volume node affinity', 'same'],
];

export function compareIdentity(before: Identity, after: Identity): IdentityRow[] {
  return FIELDS.map(([key, field, expected]) => {
    const b = before[key] ?? '<none>';
    const a = after[key] ?? '<none>';
    // A field missing on both sides proves nothing, so it cannot pass as "same" (unless the cluster never sets it).
    const present = (a !== '<none>' && a !== '') || OPTIONAL.has(key);
    const ok = expected === 'same' ? a === b && present : expected === 'new' ? a !== b : true;
    return { field, before: b, after: a, expected, ok };
  });
}

export interface WatchedChange {
  type: 'add' | 'update' | 'delete';
  uid: string;
  at: number;
  initial?: boolean;
}

/**
 * At most one pod per ordinal: in the watch stream (commit order), the old pod's deletion
 * comes before the new pod's creation. Times are ms after t0.
 */
export function atMostOne(history: WatchedChange[], oldUid: string, newUid: string, t0: number): IdentityRow {
  const gone = history.findIndex((c) => c.uid === oldUid && c.type === 'delete');
  const created = history.findIndex((c) => c.uid === newUid && !c.initial);
  const when = (i: number, what: string) =>
    i < 0 ? `${what}: not seen` : `${what} at +${history[i]!.at - t0}ms (event ${i + 1})`;
  return {
    field: 'at most one pod',
    before: when(gone, 'old gone'),
    after: when(created, 'new seen'),
    expected: 'old gone first',
    ok: gone >= 0 && created > gone,
  };
}

/** The re-created pod's revision (controller-revision-hash) against the one the controller should give it. */
export function revisionRow(
  before: string | null,
  after: string | null,
  expected: { revision: string | null; which: 'current revision' | 'update revision' },
): IdentityRow {
  return {
    field: 'revision (controller-revision-hash)',
    before: before ?? '<none>',
    after: after ?? '<none>',
    expected: expected.which,
    ok: after !== null && after === expected.revision,
  };
}

/** The kill-pod verdict: every row held, or the rows that did not, one line each. */
export function identityVerdict(pod: string, claim: string, rows: IdentityRow[]): Verdict<never> {
  const ok = rows.every((r) => r.ok);
  return verdict(
    passIf(ok),
    ok ? `Stable identity held: ${pod} came back as itself` : `Stable identity broken for ${pod}`,
    [
      `The StatefulSet controller re-creates a missing ordinal under the same name, with hostname = pod name and the same claim ${claim}, so it re-attaches the same volume; only the UID (and perhaps the IP) is new, and it creates the new pod only after the old one is gone: never two pods with one identity. It gets the revision its ordinal is due: below a RollingUpdate partition the current (old) one, otherwise the update revision.`,
      ...rows.filter((r) => !r.ok).map((r) => `${r.field}: expected ${r.expected}, was ${r.before} → ${r.after}`),
    ],
  );
}
