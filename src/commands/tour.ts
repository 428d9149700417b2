// tour: the whole scenario in one command. Each step runs the subcommand a learner would
// type (with its own task list), then says in two or three lines what the cluster did and
// why; the end is a lab report with one PASS/FAIL row per key concept of the scenario.
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { asUsage, CliError, InterruptedError } from '../errors.ts';
import { cleanupHeld, claimsHeld, reportMarkdown, reportPassed, reportRows, TOUR_REPLICAS, type LabReport, type RowResult, type TourEvidence } from '../lab/lab-report.ts';
import { podName, type LabNames } from '../lab/names.ts';
import { combine, passIf } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import type { Command, RunContext } from '../command-support/command.ts';
import { defineCommand } from '../command-support/command.ts';
import { connectLab } from '../command-support/target.ts';
import checkPersistence from './check-persistence.ts';
import dns from './dns.ts';
import killPod from './kill-pod.ts';
import scale from './scale.ts';
import setup, { podFlags, podSettings, type PodSettings } from './setup.ts';
import teardown from './teardown.ts';
import watchOrder from './watch-order.ts';
import writeData, { writeHeld } from './write-data.ts';

interface TourOptions {
  names: LabNames;
  pod: PodSettings;
  keep: boolean;
  report?: string | undefined;
  stepByStep: boolean;
}

const KILLED = 1;

export default defineCommand({
  command: 'tour',
  describe: 'Run the whole lab, step by step, and end with a lab report (PASS/FAIL per StatefulSet guarantee)',
  builder: (y: Argv) =>
    podFlags(y)
      .option('keep', { type: 'boolean', default: false, describe: 'Keep the lab at the end instead of tearing it down' })
      .option('report', { type: 'string', describe: 'Also write the report as Markdown to this file' })
      .option('step-by-step', { type: 'boolean', default: false, describe: 'Wait for Enter between steps (on a terminal)' }),
  options: (a): TourOptions => ({
    names: a.names as LabNames,
    pod: asUsage(() => podSettings(a)),
    keep: a.keep === true,
    report: a.report === undefined ? undefined : writableFile('--report', String(a.report)),
    stepByStep: a['step-by-step'] === true,
  }),
  async run(o, ctx) {
    const n = o.names;
    const narrate = ctx.globals.progress !== 'none';
    const say = (lines: string[]) => narrate && process.stderr.write(`${lines.join('\n')}\n`);
    // Each step runs a subcommand with options as data and reads its typed -o json data.
    const call = async <O, D>(cmd: Command<O, D>, options: O): Promise<D> => (await cmd.run(options, ctx satisfies RunContext)).data;
    const startedAt = new Date();
    const steps: LabReport['steps'] = [];
    const e: TourEvidence = {};
    let serverVersion: string | null = null;
    const scaleTo = (replicas: number) => call(scale, { names: n, replicas });

    const plan: { title: string; run: () => Promise<{ result: RowResult; notes: string[] }> }[] = [
      {
        title: 'Create the namespace, the headless Service and the StatefulSet',
        run: async () => {
          const settings = { ...n, ...o.pod, replicas: TOUR_REPLICAS, podManagementPolicy: 'OrderedReady' as const };
          const r = await call(setup, { settings, dryRun: false });
          if (!('pods' in r)) throw new CliError('setup made a dry run');
          e.setupPods = r.pods;
          serverVersion = r.serverVersion ?? null;
          // A lab left scaled by an interrupted tour is brought back to the scenario's 3 replicas.
          if (r.pods.length !== TOUR_REPLICAS || r.pods.some((p) => p.ordinal >= TOUR_REPLICAS)) await scaleTo(TOUR_REPLICAS);
          return {
            result: passIf(claimsHeld(r.pods.filter((p) => p.ordinal < TOUR_REPLICAS))),
            notes: [
              `The headless Service ${n.service} has clusterIP None: DNS will hand out one record per pod instead of one virtual IP.`,
              `The StatefulSet's claim template "data" gave each pod its own PersistentVolumeClaim, data-${n.statefulSet}-N, bound by the StorageClass's provisioner.`,
            ],
          };
        },
      },
      {
        title: 'Observe ordered creation: delete the pods and watch them come back 0, 1, 2',
        run: async () => {
          const r = (e.order = await call(watchOrder, { names: n, restart: true }));
          return {
            result: r.verdict.result,
            notes: [
              `${r.verdict.result}: ${r.verdict.headline}.`,
              'The StatefulSet controller (in kube-controller-manager) creates pod N+1 only once pod N is Running and Ready: OrderedReady.',
            ],
          };
        },
      },
      {
        title: 'Check stable names and hostnames',
        run: async () => {
          const lab = await connectLab(ctx, n);
          const rows = await Promise.all(
            Array.from({ length: TOUR_REPLICAS }, async (_, i) => {
              const r = await lab.exec(podName(n, i), ['hostname'], { timeoutMs: 30_000 });
              return { pod: podName(n, i), hostname: r.stdout.toString().trim() };
            }),
          );
          e.hostnames = rows;
          return {
            result: passIf(rows.every((r) => r.hostname === r.pod)),
            notes: [
              `Pods are named <statefulset>-<ordinal>: ${rows.map((r) => r.pod).join(', ')}; inside each, hostname prints ${rows.map((r) => r.hostname).join(', ')}.`,
              'The controller sets spec.hostname to the pod name and spec.subdomain to the governing Service.',
            ],
          };
        },
      },
      {
        title: 'Resolve every pod by its DNS name',
        run: async () => {
          const r = (e.dns = await call(dns, { names: n }));
          return { result: r.verdict.result, notes: [`${r.verdict.result}: ${r.verdict.headline}.`, 'Cluster DNS builds these records from the headless Service\'s EndpointSlice, which lists each Ready pod with its hostname.'] };
        },
      },
      {
        title: 'Write data into every pod\'s volume',
        run: async () => {
          const r = await call(writeData, { names: n, ordinals: [], execTimeoutMs: 60_000 });
          return {
            result: passIf(r.written.length === TOUR_REPLICAS && r.written.every(writeHeld)),
            notes: [
              `Wrote ${r.written.length} marker files (${r.file}) through exec, and recorded their sha256 in configmap/sts-lab-journal.`,
              `Each file lands on its pod's own volume (claim data-${n.statefulSet}-N), not in the container's throw-away filesystem.`,
            ],
          };
        },
      },
      {
        title: `Delete ${podName(n, KILLED)} and watch it come back`,
        run: async () => {
          const r = (e.kill = await call(killPod, { names: n, ordinal: KILLED, force: false }));
          return {
            result: r.verdict.result,
            notes: [`${r.verdict.result}: ${r.verdict.headline}: new UID ${r.after.uid.slice(0, 8)}, same hostname, claim ${r.after.pvc} and volume.`, 'A StatefulSet pod is not replaced by a random new one: the controller re-creates the same ordinal.'],
          };
        },
      },
      {
        title: 'Verify the data survived',
        run: async () => {
          const r = (e.persist = await call(checkPersistence, { names: n, ordinals: [] }));
          return { result: r.verdict.result, notes: [`${r.verdict.result}: ${r.verdict.headline}.`, 'The claim outlived the pod, and the new pod mounted the same volume.'] };
        },
      },
      {
        title: 'Scale up to 5',
        run: async () => {
          const r = (e.up = await scaleTo(5));
          return {
            result: combine(r.verdict.result, r.claimsVerdict.result),
            notes: [
              `${r.verdict.result}: ${r.verdict.headline}.`,
              'The StatefulSet controller added the new ordinals one at a time, each with a fresh claim from the template (or the one a scale-down left behind).',
            ],
          };
        },
      },
      {
        title: 'Scale down to 2',
        run: async () => {
          const r = (e.down = await scaleTo(2));
          return {
            result: combine(r.verdict.result, r.claimsVerdict.result),
            notes: [`${r.verdict.result}: ${r.verdict.headline} (${r.deletionOrder.join(', ')}).`, `${r.claimsVerdict.result}: ${r.claimsVerdict.headline}.`],
          };
        },
      },
      ...(o.keep
        ? []
        : [
            {
              title: 'Tear everything down, claims included',
              run: async () => {
                const r = (e.teardown = await call(teardown, { names: n, keepPvcs: false, keepNamespace: false }));
                return { result: passIf(cleanupHeld(r)), notes: [`Removed: ${r.removals.filter((x) => x.action === 'deleted').map((x) => x.resource).join(', ')}.`] };
              },
            },
          ]),
    ];

    let failure: string | undefined;
    for (const [i, step] of plan.entries()) {
      if (i > 0 && o.stepByStep) await pressEnter(`Next: ${step.title}`, ctx.interrupt);
      say([``, `== Step ${i + 1}/${plan.length}: ${step.title}`]);
      const t0 = Date.now();
      try {
        const { result, notes } = await step.run();
        steps.push({ step: step.title, result, durationMs: Date.now() - t0, notes });
        say(notes.map((l) => `   ${l}`));
      } catch (err) {
        if (err instanceof InterruptedError) throw err;
        failure = `${step.title}: ${(err as Error).message}`;
        steps.push({ step: step.title, result: 'FAIL', durationMs: Date.now() - t0, notes: [(err as Error).message] });
        const hint = err instanceof CliError && err.hint ? [`   hint: ${err.hint}`] : [];
        say([`   FAIL: ${(err as Error).message}`, ...hint, '   The lab is left in place for a look (kubectl sts-lab status); kubectl sts-lab teardown removes it.']);
        break;
      }
    }

    const rows = reportRows(n, e, o.keep);
    const report: LabReport = {
      namespace: n.namespace,
      statefulSet: n.statefulSet,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      serverVersion,
      rows,
      steps,
      passed: !failure && reportPassed(rows),
    };
    if (o.report) {
      try {
        writeFileSync(o.report, reportMarkdown(report));
      } catch (e) {
        throw new CliError(`cannot write the report to ${o.report}: ${(e as Error).message}`);
      }
    }
    return {
      ok: report.passed,
      data: report,
      sections: [{ headers: ['key concept', 'expected outcome', 'result', 'evidence'], rows: rows.map((r) => [r.concept, r.outcome, r.result, r.evidence]) }],
      notes: [
        `${verdictText(report.passed ? 'PASS' : 'FAIL')}  ${report.passed ? 'Every StatefulSet guarantee of the scenario held on this cluster' : failure ? `The tour stopped: ${failure}` : 'Some guarantees did not hold (see the rows above)'}`,
        ...(o.report ? [`      Report written to ${o.report}`] : []),
      ],
    };
  },
});

/** An output path is checked before anything changes in the cluster, not after a whole tour. */
function writableFile(flag: string, file: string): string {
  const dir = dirname(resolve(file));
  const fail = (why: string) => {
    throw new CliError(`cannot write ${flag} ${file}: ${why}`);
  };
  if (!existsSync(dir)) fail(`no such directory ${dir}`);
  if (existsSync(file) && statSync(file).isDirectory()) fail('it is a directory');
  try {
    accessSync(existsSync(file) ? file : dir, constants.W_OK);
  } catch {
    fail('permission denied');
  }
  return file;
}

/** --step-by-step: on a terminal, wait for Enter; elsewhere a no-op. */
async function pressEnter(next: string, interrupt: AbortSignal): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    await rl.question(`\n${next} — press Enter to continue `, { signal: interrupt });
  } catch {
    throw new InterruptedError();
  } finally {
    rl.close();
  }
}
