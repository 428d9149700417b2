// check-persistence: read every journaled marker back through exec and compare it byte for
// byte with what write-data recorded; also show which pods are new and whether each claim
// and volume is still the one written to.
import { CliError } from '../../errors.ts';
import type { Lab, V1StatefulSet } from '../../k8s/index.ts';
import type { LabNames } from '../../lab/names.ts';
import {
  JOURNAL_NAME,
  judge,
  type JournalEntry,
  type Observed,
  type PersistenceRow,
  persistenceVerdict,
} from './judge.ts';
import { isReady } from '../../lab/pods.ts';
import { verdict, verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks, type Task } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { connectLab, lookAt, parseOrdinals } from '../../command-support/target.ts';
import { isManaged, ordinalOf } from '../../lab/names.ts';
import { labOrdinals } from '../../lab/ordinals.ts';
import { claimMountPath, recordBaseline, TUTORIAL_FILE } from './baseline.ts';

interface CheckOptions {
  names: LabNames;
  ordinals: number[];
  /** What to record on a StatefulSet sts-lab did not make (default: the tutorial's index.html). */
  file?: string;
}

export default defineCommand({
  command: 'check-persistence [ordinals..]',
  examples: [
    ['kubectl sts-lab check-persistence', 'Read every journaled marker back and prove the data survived'],
    ['kubectl sts-lab check-persistence 1', 'Only nginx-sts-1'],
    [
      'kubectl sts-lab check-persistence -n default --name web --service nginx',
      "The tutorial's web: record each pod's index.html the first time, compare after",
    ],
  ],
  settlesFirst: true,
  describe: 'Read the markers back and prove the data survived (default: every journaled pod)',
  builder: (y) =>
    y
      .positional('ordinals', { type: 'string', array: true, describe: 'Pod ordinals (default: all in the journal)' })
      .option('file', {
        type: 'string',
        default: TUTORIAL_FILE,
        describe: "On a StatefulSet sts-lab did not make: the file to record, under the claim's mount",
      }),
  args: 'ordinals',
  options: (a, g): CheckOptions => ({
    names: g.names,
    ordinals: parseOrdinals(a.ordinals),
    file: String(a.file ?? TUTORIAL_FILE),
  }),
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const journal = (await lab.readJournal()).filter((e) => ordinalOf(n, e.pod) === e.ordinal);
    if (!journal.length) {
      const { lab: theirs, sts } = await lookAt(ctx, n);
      if (!isManaged(sts.metadata?.labels)) return baseline(theirs, sts, o);
    }
    if (!journal.length) {
      throw new CliError(
        `nothing to check: no journal in namespace "${n.namespace}"`,
        'run `kubectl sts-lab write-data` first',
      );
    }
    const wanted = o.ordinals.length ? new Set(o.ordinals) : undefined;
    const entries = journal.filter((e) => !wanted || wanted.has(e.ordinal));
    const missing = [...(wanted ?? [])].filter((ord) => !journal.some((e) => e.ordinal === ord));
    if (missing.length)
      throw new CliError(
        `nothing was written to ordinal ${missing.join(', ')}`,
        'run `kubectl sts-lab write-data` for it first',
      );
    const rows: PersistenceRow[] = [];
    await runTasks(
      entries.map((entry): Task => ({
        title: `${entry.pod}: read ${entry.file}`,
        task: async (_c, t) => {
          const row = judge(entry, await observe(lab, entry));
          rows.push(row);
          t.title = `${entry.pod}: ${row.ok ? 'matches' : 'DIFFERS'} (${row.reason})`;
        },
      })),
      { progress: ctx.globals.progress },
    );
    rows.sort((a, b) => a.ordinal - b.ordinal);
    const v = persistenceVerdict(rows);
    return {
      ok: v.result === 'PASS',
      data: {
        namespace: n.namespace,
        statefulSet: n.statefulSet,
        verdict: v,
        pods: rows,
        recorded: undefined as JournalEntry[] | undefined,
      },
    };
  },
  present: ({ data: d }) => ({
    sections: [
      d.recorded
        ? {
            headers: ['ordinal', 'pod', 'pvc', 'pv', 'bytes', 'sha256'],
            wide: ['pv'],
            rows: d.recorded.map((e) => [
              String(e.ordinal),
              e.pod,
              e.pvc,
              e.pv ?? '<none>',
              String(e.bytes),
              e.sha256.slice(0, 12),
            ]),
          }
        : {
            headers: ['ordinal', 'pod', 'uid at write', 'uid now', 'pvc/pv unchanged', 'content', 'result'],
            wide: ['ordinal'],
            rows: d.pods.map((r) => [
              String(r.ordinal),
              r.pod,
              r.uidAtWrite.slice(0, 8),
              r.uidNow ? `${r.uidNow.slice(0, 8)}${r.podRecreated ? ' (new pod)' : ''}` : '<none>',
              r.pvcSame && r.pvSame ? 'yes' : 'NO',
              r.contentMatch ? 'match' : 'DIFFERS',
              r.ok ? 'PASS' : 'FAIL',
            ]),
          },
    ],
    notes: verdictLines(d.verdict, verdictText),
  }),
});

/** The first run on a StatefulSet sts-lab did not make: what the pods' file holds now, recorded to compare with. */
async function baseline(lab: Lab, sts: V1StatefulSet, o: CheckOptions) {
  const n = lab.names;
  const name = o.file ?? TUTORIAL_FILE;
  const file = name.startsWith('/') ? name : `${claimMountPath(n, sts)}/${name}`;
  const recorded = await recordBaseline(lab, o.ordinals.length ? o.ordinals : labOrdinals(sts), file);
  const v = verdict('N/A', `Recorded what ${file} holds in each pod now: nothing to compare yet`, [
    `sts-lab keeps it in configmap/${JOURNAL_NAME} (kubectl -n ${n.namespace} delete configmap ${JOURNAL_NAME} removes it).`,
    `Delete a pod (kubectl -n ${n.namespace} delete pod ${recorded[0]!.pod}) and run check-persistence again.`,
  ]);
  return {
    ok: true,
    data: { namespace: n.namespace, statefulSet: n.statefulSet, verdict: v, pods: [] as PersistenceRow[], recorded },
  };
}

export async function observe(lab: Lab, e: JournalEntry): Promise<Observed> {
  const [pod, claim] = await Promise.all([lab.findPod(e.pod), lab.findClaim(e.pvc)]);
  const base = {
    podUid: pod?.metadata?.uid ?? null,
    pvcUid: claim?.metadata?.uid ?? null,
    pv: claim?.spec?.volumeName ?? null,
  };
  if (!pod || !isReady(pod))
    return { ...base, content: { error: `pod ${e.pod} is not Ready, so the file cannot be read` } };
  const r = await lab.exec(e.pod, ['cat', e.file], { timeoutMs: 60_000 });
  if (r.code !== 0)
    return {
      ...base,
      content: { error: `cannot read ${e.file}: ${r.stderr.toString().trim() || `exit code ${r.code}`}` },
    };
  return { ...base, content: r.stdout };
}
