// tour: the whole scenario in one command. Each step runs the subcommand a learner would
// type (with its own task list), then says in two or three lines what the cluster did and
// why; the end is a lab report with one PASS/FAIL row per key concept of the scenario.
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Argv } from 'yargs';
import { asUsage, CliError, InterruptedError } from '../errors.ts';
import { formatDuration } from '../lab/duration.ts';
import { reportMarkdown, reportPassed, type LabReport, type ReportRow, type RowResult } from '../lab/lab-report.ts';
import { podName, type LabNames } from '../lab/names.ts';
import { combine } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import type { Report } from '../ui/output.ts';
import checkPersistence from './check-persistence.ts';
import type { Command, RunContext } from '../command-support/command.ts';
import { defineCommand } from '../command-support/command.ts';
import dns from './dns.ts';
import killPod from './kill-pod.ts';
import scale from './scale.ts';
import setup, { podFlags, podSettings } from './setup.ts';
import { connectLab } from '../command-support/target.ts';
import teardown from './teardown.ts';
import watchOrder from './watch-order.ts';
import writeData, { writeHeld, type WriteResult } from './write-data.ts';

interface TourOptions {
  names: LabNames;
  pod: Record<string, unknown>;
  keep: boolean;
  report?: string | undefined;
  stepByStep: boolean;
}

const REPLICAS = 3;
const KILLED = 1;

// Loose views of the subcommands' -o json data: what the report needs of each.
type Verdicted = { verdict: { result: RowResult; headline: string } };
type Any = any;

export default defineCommand<TourOptions>({
  command: 'tour',
  describe: 'Run the whole lab, step by step, and end with a lab report (PASS/FAIL per StatefulSet guarantee)',
  builder: (y: Argv) =>
    podFlags(y)
      .option('keep', { type: 'boolean', default: false, describe: 'Keep the lab at the end instead of tearing it down' })
      .option('report', { type: 'string', describe: 'Also write the report as Markdown to this file' })
      .option('step-by-step', { type: 'boolean', default: false, describe: 'Wait for Enter between steps (on a terminal)' }),
  options: (a) => ({
    names: a.names as LabNames,
    pod: podFlagsChecked(a),
    keep: a.keep === true,
    report: a.report === undefined ? undefined : writableFile('--report', String(a.report)),
    stepByStep: a['step-by-step'] === true,
  }),
  async run(o, ctx) {
    const n = o.names;
    const narrate = ctx.globals.progress !== 'none';
    const say = (lines: string[]) => narrate && process.stderr.write(`${lines.join('\n')}\n`);
    const sub = (cmd: Command<unknown>, raw: Record<string, unknown> = {}): Promise<Report> =>
      cmd.run(cmd.options({ names: n, ...raw }), ctx satisfies RunContext);
    const startedAt = new Date();
    const steps: LabReport['steps'] = [];
    const evidence: Record<string, Any> = {};

    const plan: { title: string; run: () => Promise<{ result: RowResult; notes: string[] }> }[] = [
      {
        title: 'Create the namespace, the headless Service and the StatefulSet',
        run: async () => {
          const r = (evidence.setup = (await sub(setup, { ...o.pod, replicas: String(REPLICAS) })).data as Any);
          const sts = r.pods.length;
          // A lab left scaled by an interrupted tour is brought back to the scenario's 3 replicas.
          if (sts !== REPLICAS || r.pods.some((p: Any) => p.ordinal >= REPLICAS)) await sub(scale, { replicas: String(REPLICAS) });
          evidence.serverVersion = r.serverVersion;
          // Each pod Ready with a Bound claim of its own: read back from the cluster by setup.
          const pods = (r.pods as Any[]).filter((p) => p.ordinal < REPLICAS);
          const volumes = new Set(pods.map((p) => p.pv).filter(Boolean));
          const held = pods.length === REPLICAS && pods.every((p) => p.ready && p.pvcStatus === 'Bound') && volumes.size === REPLICAS;
          return {
            result: held ? 'PASS' : 'FAIL',
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
          const r = (evidence.order = (await sub(watchOrder, { restart: true })).data as Any & Verdicted);
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
          const { k, kube } = await connectLab(ctx);
          const rows = await Promise.all(
            Array.from({ length: REPLICAS }, async (_, i) => {
              const r = await k.execInPod(kube, n.namespace, podName(n, i), ['hostname'], { timeoutMs: 30_000 });
              return { pod: podName(n, i), hostname: r.stdout.toString().trim() };
            }),
          );
          evidence.hostnames = rows;
          const ok = rows.every((r) => r.hostname === r.pod);
          return {
            result: ok ? 'PASS' : 'FAIL',
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
          const r = (evidence.dns = (await sub(dns)).data as Any & Verdicted);
          return { result: r.verdict.result, notes: [`${r.verdict.result}: ${r.verdict.headline}.`, 'Cluster DNS builds these records from the headless Service\'s EndpointSlice, which lists each Ready pod with its hostname.'] };
        },
      },
      {
        title: 'Write data into every pod\'s volume',
        run: async () => {
          const r = (evidence.write = (await sub(writeData, { all: true })).data as Any);
          const held = r.written.length === REPLICAS && (r.written as WriteResult[]).every(writeHeld);
          return {
            result: held ? 'PASS' : 'FAIL',
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
          const r = (evidence.kill = (await sub(killPod, { ordinal: String(KILLED) })).data as Any & Verdicted);
          return {
            result: r.verdict.result,
            notes: [`${r.verdict.result}: ${r.verdict.headline}: new UID ${String(r.after.uid).slice(0, 8)}, same hostname, claim ${r.after.pvc} and volume.`, 'A StatefulSet pod is not replaced by a random new one: the controller re-creates the same ordinal.'],
          };
        },
      },
      {
        title: 'Verify the data survived',
        run: async () => {
          const r = (evidence.persist = (await sub(checkPersistence)).data as Any & Verdicted);
          return { result: r.verdict.result, notes: [`${r.verdict.result}: ${r.verdict.headline}.`, 'The claim outlived the pod, and the new pod mounted the same volume.'] };
        },
      },
      {
        title: 'Scale up to 5',
        run: async () => {
          const r = (evidence.up = (await sub(scale, { replicas: '5' })).data as Any & Verdicted);
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
          const r = (evidence.down = (await sub(scale, { replicas: '2' })).data as Any & Verdicted);
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
                const r = (evidence.teardown = (await sub(teardown)).data as Any);
                const left = r.removals.filter((x: Any) => x.action === 'kept' && x.detail !== 'not created by sts-lab');
                return { result: (left.length ? 'FAIL' : 'PASS') as RowResult, notes: [`Removed: ${r.removals.filter((x: Any) => x.action === 'deleted').map((x: Any) => x.resource).join(', ')}.`] };
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

    const rows = reportRows(n, evidence, o.keep);
    const report: LabReport = {
      namespace: n.namespace,
      statefulSet: n.statefulSet,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      serverVersion: evidence.serverVersion ?? null,
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

/** The pod flags as setup takes them, refused here (exit 2) rather than at the tour's first step. */
function podFlagsChecked(a: Record<string, unknown>): Record<string, unknown> {
  asUsage(() => podSettings(a));
  return { image: a.image, 'storage-class': a['storage-class'], 'storage-size': a['storage-size'] };
}

const short = (uid: unknown) => String(uid ?? '').slice(0, 8);

/** One row per Key Concept / Expected Outcome; a step never reached is a FAIL row saying so. */
function reportRows(n: LabNames, e: Record<string, Any>, keep: boolean): ReportRow[] {
  const missing = (concept: string, outcome: string): ReportRow => ({ concept, outcome, result: 'FAIL', evidence: 'not reached' });
  const rows: ReportRow[] = [];
  const names = `${podName(n, 0)}..${podName(n, REPLICAS - 1)}`;

  rows.push(
    e.order
      ? {
          concept: 'Ordered deployment',
          outcome: 'Pods created in order: 0, then 1, then 2',
          result: e.order.verdict.result,
          evidence: e.order.timeline
            .filter((r: Any) => r.afterPreviousReadyMs !== null)
            .map((r: Any) => `${r.pod} created ${formatDuration(r.afterPreviousReadyMs)} after ${podName(n, r.ordinal - 1)} was Ready`)
            .join('; '),
        }
      : missing('Ordered deployment', 'Pods created in order: 0, then 1, then 2'),
  );

  rows.push(
    e.hostnames && e.kill
      ? {
          concept: 'Stable identity',
          outcome: `Predictable names (${names}) and hostnames, kept when a pod is re-created`,
          result: combine(e.hostnames.every((h: Any) => h.hostname === h.pod) ? 'PASS' : 'FAIL', e.kill.verdict.result),
          evidence: `hostnames ${e.hostnames.map((h: Any) => h.hostname).join(', ')}; ${e.kill.pod} re-created: uid ${short(e.kill.before.uid)} → ${short(e.kill.after.uid)}, hostname ${e.kill.after.hostname}, ip ${e.kill.before.ip} → ${e.kill.after.ip}`,
        }
      : missing('Stable identity', `Predictable names (${names}) and hostnames, kept when a pod is re-created`),
  );

  rows.push(
    e.dns
      ? {
          concept: 'Headless Service DNS',
          outcome: `A DNS record per pod: <pod>.${n.service}.${n.namespace}.svc.cluster.local`,
          result: e.dns.verdict.result,
          evidence: e.dns.lookups.map((l: Any) => `${l.name.split('.')[0]}${l.name.startsWith(n.service) ? ' (service)' : ''} → ${l.answer.join(',') || l.outcome}`).join('; '),
        }
      : missing('Headless Service DNS', 'A DNS record per pod'),
  );

  const pods = (e.setup?.pods as Any[] | undefined)?.filter((p) => p.ordinal < REPLICAS);
  const pvs = new Set((pods ?? []).map((p) => p.pv).filter(Boolean));
  rows.push(
    pods
      ? {
          concept: 'PVC per pod',
          outcome: 'Each pod gets its own claim and volume',
          result: pods.length === REPLICAS && pods.every((p) => p.pvcStatus === 'Bound') && pvs.size === pods.length ? 'PASS' : 'FAIL',
          evidence: pods.map((p) => `${p.pvc} ${p.pvcStatus ?? 'missing'} → ${p.pv ?? 'no volume'}`).join('; '),
        }
      : missing('PVC per pod', 'Each pod gets its own claim and volume'),
  );

  rows.push(
    e.persist
      ? {
          concept: 'Stable storage',
          outcome: 'Data persists after pod deletion',
          result: e.persist.verdict.result,
          evidence: e.persist.pods.map((p: Any) => `${p.pod}${p.podRecreated ? ' (new pod)' : ''}: ${p.contentMatch ? 'same bytes' : p.reason}`).join('; '),
        }
      : missing('Stable storage', 'Data persists after pod deletion'),
  );

  rows.push(
    e.up && e.down
      ? {
          concept: 'Ordered scaling',
          outcome: 'Up 3→5 one pod at a time in order; down 5→2 from the highest ordinal; claims kept',
          result: combine(e.up.verdict.result, e.up.claimsVerdict.result, e.down.verdict.result, e.down.claimsVerdict.result),
          evidence: `created ${e.up.timeline.map((r: Any) => r.pod).join(', ')}; deleted ${e.down.deletionOrder.join(', ')}; ${e.down.claims.filter((c: Any) => c.expected === 'retained' && c.ok).map((c: Any) => c.pvc).join(', ')} still Bound`,
        }
      : missing('Ordered scaling', 'Up 3→5 in order; down 5→2 from the highest ordinal; claims kept'),
  );

  if (!keep) {
    rows.push(
      e.teardown
        ? {
            concept: 'Cleanup',
            outcome: 'Everything the lab created is gone, claims included',
            result: e.teardown.removals.some((x: Any) => x.action === 'kept' && x.detail !== 'not created by sts-lab') ? 'FAIL' : 'PASS',
            evidence: `${e.teardown.removals.filter((x: Any) => x.action === 'deleted').length} objects deleted; pods removed in order ${e.teardown.deletionOrder.join(', ')}`,
          }
        : missing('Cleanup', 'Everything the lab created is gone, claims included'),
    );
  }
  return rows;
}

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
