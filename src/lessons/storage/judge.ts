// Stable storage, as data: what write-data records in the journal, and how check-persistence
// judges what it reads back against it.
import { createHash } from 'node:crypto';
import { MOUNT_PATH } from '../../lab/names.ts';
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';

export const MARKER_FILE = `${MOUNT_PATH}/sts-lab.txt`;
export const JOURNAL_NAME = 'sts-lab-journal';

export interface JournalEntry {
  pod: string;
  ordinal: number;
  file: string;
  bytes: number;
  sha256: string;
  podUid: string;
  pvc: string;
  pvcUid: string;
  pv: string | null;
  writtenAt: string;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export const defaultMessage = (pod: string, token: string, at: Date): string =>
  `written by sts-lab into ${pod} at ${at.toISOString()} token ${token}\n`;

/** The journal's ConfigMap data: one key per pod, so writers of different pods do not clash. */
export const journalKey = (pod: string): string => `${pod}.json`;

export function parseJournal(data: Record<string, string> | undefined): JournalEntry[] {
  return Object.entries(data ?? {})
    .filter(([k]) => k.endsWith('.json'))
    .map(([, v]) => JSON.parse(v) as JournalEntry)
    .sort((a, b) => a.ordinal - b.ordinal);
}

export interface Observed {
  podUid: string | null;
  pvcUid: string | null;
  pv: string | null;
  /** The file's bytes, or why they could not be read. */
  content: Buffer | { error: string };
}

export interface PersistenceRow {
  ordinal: number;
  pod: string;
  uidAtWrite: string;
  uidNow: string | null;
  podRecreated: boolean;
  pvcSame: boolean;
  pvSame: boolean;
  contentMatch: boolean;
  ok: boolean;
  reason: string;
}

export function judge(entry: JournalEntry, now: Observed): PersistenceRow {
  const pvcSame = now.pvcUid === entry.pvcUid;
  const pvSame = now.pv === entry.pv;
  const readable = Buffer.isBuffer(now.content);
  const contentMatch = readable && sha256(now.content as Buffer) === entry.sha256;
  const reasons: string[] = [];
  if (!readable) reasons.push((now.content as { error: string }).error);
  else if (!contentMatch)
    reasons.push(
      `content changed (${(now.content as Buffer).length} bytes, sha256 ${sha256(now.content as Buffer).slice(0, 12)} instead of ${entry.sha256.slice(0, 12)})`,
    );
  if (!pvcSame) reasons.push(now.pvcUid ? 'the claim was replaced' : 'the claim is gone');
  if (!pvSame) reasons.push(`the volume changed (${entry.pv} → ${now.pv ?? 'none'})`);
  const ok = reasons.length === 0;
  const podRecreated = now.podUid !== null && now.podUid !== entry.podUid;
  return {
    ordinal: entry.ordinal,
    pod: entry.pod,
    uidAtWrite: entry.podUid,
    uidNow: now.podUid,
    podRecreated,
    pvcSame,
    pvSame,
    contentMatch,
    ok,
    reason: ok
      ? podRecreated
        ? 'same bytes in a new pod: the volume outlived the pod'
        : 'same bytes, same pod'
      : reasons.join('; '),
  };
}

/** The check-persistence verdict: every marker read back as written, from the same claim and volume. */
export function persistenceVerdict(rows: PersistenceRow[]): Verdict<never> {
  const ok = rows.every((r) => r.ok);
  const headline = ok
    ? rows.length === 1
      ? `Stable storage held: the marker read back byte for byte`
      : `Stable storage held: all ${rows.length} markers read back byte for byte`
    : `Stable storage broken for ${rows
        .filter((r) => !r.ok)
        .map((r) => r.pod)
        .join(', ')}`;
  return verdict(passIf(ok), headline, [
    'Each pod mounts its own claim (data-<pod>), which outlives the pod: a re-created pod re-attaches the same volume.',
    ...rows.filter((r) => !r.ok).map((r) => `${r.pod}: ${r.reason}`),
  ]);
}
