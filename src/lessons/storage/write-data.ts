// write-data: put a marker file into each chosen pod's volume (where nginx serves it), byte
// for byte: the bytes travel on the exec's stdin, never inside a shell string. What was
// written is recorded in the in-cluster journal for check-persistence.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { CliError, UsageError } from '../../errors.ts';
import type { Lab } from '../../k8s/index.ts';
import { claimName, podName, type LabNames } from '../../lab/names.ts';
import { defaultMessage, MARKER_FILE, sha256, type JournalEntry } from './judge.ts';
import { isReady } from '../../lab/pods.ts';
import { runTasks, type Task } from '../../ui/tasks.ts';
import { defineCommand } from '../../command-support/command.ts';
import { checkOrdinals, connectLab, ownStatefulSet, parseOrdinals } from '../../command-support/target.ts';
import { labOrdinals } from '../../lab/ordinals.ts';

interface WriteOptions {
  names: LabNames;
  ordinals: number[];
  message?: Buffer | undefined;
  execTimeoutMs: number;
}

// Written to a temporary name first, so a reader never sees half a file.
// Prints the size the file has on the volume afterwards: evidence, not the size that was sent.
const WRITE_SCRIPT = 'cat > "$1.tmp" && mv "$1.tmp" "$1" && wc -c < "$1"';

/** A journal entry and what the pod said about the write. */
export interface WriteResult extends JournalEntry {
  exitCode: number;
  bytesOnDisk: number | null;
}

export const writeHeld = (w: WriteResult): boolean => w.exitCode === 0 && w.bytesOnDisk === w.bytes;

export default defineCommand({
  command: 'write-data [ordinals..]',
  examples: [
    ['kubectl sts-lab write-data', "Write a marker into every pod's volume"],
    ["kubectl sts-lab write-data 1 --message 'hello from pod 1'", 'Write your own text into nginx-sts-1'],
  ],
  settlesFirst: true,
  describe: "Write a marker file into pods' volumes (default: every pod) and record it in the journal",
  builder: (y: Argv) =>
    y
      .positional('ordinals', { type: 'string', array: true, describe: 'Pod ordinals (default: all)' })
      .option('all', { type: 'boolean', default: false, describe: 'Every pod of the StatefulSet' })
      .option('message', {
        type: 'string',
        describe: 'Text to write instead of the default (pod name, random token, time)',
        judges: false,
      })
      .option('message-file', {
        type: 'string',
        describe: "Write this file's bytes ('-' for stdin), for large or binary content",
      }),
  args: 'ordinals',
  options(a, g): WriteOptions {
    const ordinals = parseOrdinals(a.ordinals);
    if (a.all === true && ordinals.length) throw new UsageError('give ordinals or --all, not both');
    if (a.message !== undefined && a['message-file'] !== undefined)
      throw new UsageError('give --message or --message-file, not both');
    const file = a['message-file'] === undefined ? undefined : String(a['message-file']);
    let message: Buffer | undefined = a.message === undefined ? undefined : Buffer.from(String(a.message), 'utf8');
    if (file !== undefined) {
      try {
        message = readFileSync(file === '-' ? 0 : file);
      } catch (e) {
        throw new UsageError(`cannot read --message-file "${file}": ${(e as Error).message}`);
      }
    }
    return { names: g.names, ordinals, message, execTimeoutMs: 60_000 };
  },
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await ownStatefulSet(lab);
    checkOrdinals(o.ordinals, sts, n);
    const chosen = o.ordinals.length ? [...new Set(o.ordinals)].sort((a, b) => a - b) : labOrdinals(sts);
    const entries: WriteResult[] = [];
    await runTasks(
      [
        ...chosen.map((ordinal): Task => ({
          title: `${podName(n, ordinal)}: write ${MARKER_FILE}`,
          task: async (_c, t) => {
            const entry = await writeMarker(lab, ordinal, o);
            entries.push(entry);
            t.title = `${entry.pod}: wrote ${entry.bytes} bytes (${entry.bytesOnDisk} on the volume, sha256 ${entry.sha256.slice(0, 12)}) to ${entry.pvc} on ${entry.pv}`;
          },
        })),
        { title: 'Record it in configmap/sts-lab-journal', task: () => lab.recordInJournal(entries) },
      ],
      { progress: ctx.globals.progress },
    );
    entries.sort((a, b) => a.ordinal - b.ordinal);
    return {
      ok: entries.every(writeHeld),
      data: { namespace: n.namespace, statefulSet: n.statefulSet, file: MARKER_FILE, written: entries },
    };
  },
  present: ({ data: d }) => ({
    sections: [
      {
        headers: ['ordinal', 'pod', 'pvc', 'pv', 'bytes', 'on the volume', 'sha256'],
        wide: ['pv'],
        rows: d.written.map((e) => [
          String(e.ordinal),
          e.pod,
          e.pvc,
          e.pv ?? '<none>',
          String(e.bytes),
          String(e.bytesOnDisk ?? '?'),
          e.sha256.slice(0, 12),
        ]),
      },
    ],
    notes: d.written
      .filter((e) => !writeHeld(e))
      .map((e) => `FAIL  ${e.pod}: sent ${e.bytes} bytes, the volume holds ${e.bytesOnDisk ?? 'an unknown size'}`),
  }),
});

async function writeMarker(lab: Lab, ordinal: number, o: WriteOptions): Promise<WriteResult> {
  const n = lab.names;
  const name = podName(n, ordinal);
  const pod = await lab.findPod(name);
  if (!pod || !isReady(pod))
    throw new CliError(
      `pod ${name} is not Ready, so its volume cannot be written now`,
      'wait for it: kubectl sts-lab status',
    );
  const claim = await lab.findClaim(claimName(n, ordinal));
  const content = o.message ?? Buffer.from(defaultMessage(name, randomBytes(8).toString('hex'), new Date()), 'utf8');
  const r = await lab.exec(name, ['sh', '-c', WRITE_SCRIPT, 'sh', MARKER_FILE], {
    stdin: content,
    timeoutMs: o.execTimeoutMs,
  });
  if (r.code !== 0)
    throw new CliError(
      `writing ${MARKER_FILE} in pod ${name} failed (exit code ${r.code}): ${r.stderr.toString().trim()}`,
    );
  return {
    pod: name,
    ordinal,
    file: MARKER_FILE,
    bytes: content.length,
    sha256: sha256(content),
    podUid: pod.metadata?.uid ?? '',
    pvc: claimName(n, ordinal),
    pvcUid: claim?.metadata?.uid ?? '',
    pv: claim?.spec?.volumeName ?? null,
    writtenAt: new Date().toISOString(),
    exitCode: r.code,
    bytesOnDisk: /^\s*\d+\s*$/.test(r.stdout.toString()) ? Number(r.stdout.toString().trim()) : null,
  };
}
