// The lifecycle part: readiness and what waits on it (scaling, DNS), orphaning and adoption,
// ordinals that start at 1, and (in the teardown) a cascading delete and claims deleted by the
// controller's policy.
import { CliError } from '../errors.ts';
import { TOUR_REPLICAS } from '../report/lab-report.ts';
import { podName } from '../lab/names.ts';
import { combine } from '../lab/verdict.ts';
import checkPersistence from '../lessons/storage/check-persistence.ts';
import dns from '../lessons/dns/dns.ts';
import orphan from '../lessons/orphan/orphan.ts';
import ready from '../lessons/readiness/ready.ts';
import scale from '../lessons/scaling/scale.ts';
import setup from '../commands/setup.ts';
import status from '../commands/status.ts';
import unready from '../lessons/readiness/unready.ts';
import watchOrder from '../lessons/ordering/watch-order.ts';
import { setupStep, verdictOutcome, writeDataStep, type TourScope, type TourStep } from './scope.ts';

const UNREADY = 1;
const ORPHAN_DELETED = 2;
/** The lesson's spec.ordinals.start: the common wish of numbering pods from 1. */
const SHIFTED_START = 1;

export function lifecycleSteps(s: TourScope): TourStep[] {
  const n = s.names;
  const l = (s.evidence.lifecycle ??= {});
  const pod = podName(n, UNREADY);
  l.unreadyPod = pod;
  const settings = { ...n, ...s.pod, replicas: TOUR_REPLICAS, podManagementPolicy: 'OrderedReady' as const };
  const shifted = { ...settings, startOrdinal: SHIFTED_START };
  const shiftedNames = `${podName(n, SHIFTED_START)}..${SHIFTED_START + TOUR_REPLICAS - 1}`;
  const dnsStep = (title: string, keep: (r: Awaited<ReturnType<typeof dns.run>>['data']) => void, why: string): TourStep => ({
    title,
    run: async () => {
      const r = await s.call(dns, { names: n });
      keep(r);
      return verdictOutcome(r.verdict, why);
    },
  });
  return [
    setupStep(s),
    writeDataStep(s),
    {
      title: `Make ${pod} unready: its readiness probe fails, its container keeps running`,
      run: async () => {
        const r = await s.call(unready, { names: n, ordinal: UNREADY });
        return { result: r.verdict.result, notes: [`${r.verdict.result}: ${r.verdict.headline} (${r.tookMs} ms).`, `The lab's probe fails while ${r.switchFile} exists; readiness never restarts a container.`] };
      },
    },
    dnsStep(`Resolve the pods while ${pod} is not Ready`, (r) => (l.dnsWhileUnready = r), 'A headless Service publishes records for Ready pods only: peers that look a pod up by name do not find it while it is not Ready.'),
    {
      title: `Scale up to 5 while ${pod} is not Ready`,
      run: async () => {
        const r = await s.call(scale, { names: n, replicas: 5 });
        l.halted = r;
        const asTaught = r.halted?.pod === pod && r.verdict.checks.every((c) => c.ok === true);
        return { result: asTaught ? 'PASS' : 'FAIL', notes: [`The scale-up failed, as it should: ${r.verdict.headline}.`, 'OrderedReady builds each pod on a healthy predecessor: nothing is created above a pod that is not Ready.'] };
      },
    },
    {
      title: `Make ${pod} Ready again: the controller goes on by itself`,
      run: async () => {
        const r = (l.resumed = await s.call(ready, { names: n, ordinal: UNREADY }));
        return { result: r.verdict.result, notes: [`${r.verdict.result}: ${r.verdict.headline}; then ${r.resumed.join(', ') || 'nothing'} followed.`] };
      },
    },
    dnsStep(`Resolve the pods again, ${pod} Ready`, (r) => (l.dnsAfterReady = r), 'The EndpointSlice lists the pod as ready again, and cluster DNS serves its record.'),
    {
      title: `Scale back to ${TOUR_REPLICAS}`,
      run: async () => {
        const r = await s.call(scale, { names: n, replicas: TOUR_REPLICAS });
        return { result: combine(r.verdict.result, r.claimsVerdict.result), notes: [`${r.verdict.result}: ${r.verdict.headline}.`] };
      },
    },
    {
      title: `Delete the StatefulSet but not its pods (propagationPolicy Orphan), then delete ${podName(n, ORPHAN_DELETED)}`,
      run: async () => {
        const r = (l.orphan = await s.call(orphan, { names: n, deletePod: ORPHAN_DELETED }));
        return verdictOutcome(r.verdict, 'Without an owner, nothing replaces a pod that goes: the identity guarantees come from the StatefulSet, not from the pods.');
      },
    },
    {
      title: 'Create the StatefulSet again: it adopts the orphans',
      run: async () => {
        const r = await s.call(setup, { settings, dryRun: false });
        if (!('pods' in r)) throw new CliError('setup made a dry run');
        l.adopted = r.adopted;
        const adopted = r.adopted.filter((a) => a.owner);
        return {
          result: adopted.length === r.adopted.length && adopted.length > 0 ? 'PASS' : 'FAIL',
          notes: [`Adopted ${adopted.map((a) => a.pod).join(', ') || 'nothing'} with their UIDs; ${podName(n, ORPHAN_DELETED)} was re-created on its old claim.`, 'The controller adopts pods that match its selector and have no controller.'],
        };
      },
    },
    {
      title: 'Verify the data survived the orphaning and the adoption',
      run: async () => {
        const r = (l.persist = await s.call(checkPersistence, { names: n, ordinals: [] }));
        return verdictOutcome(r.verdict);
      },
    },
    {
      title: `Number the pods from ${SHIFTED_START} (spec.ordinals.start ${SHIFTED_START}): ${shiftedNames}`,
      run: async () => {
        const before = await s.call(status, { names: n });
        const r = await s.call(setup, { settings: shifted, dryRun: false });
        if (!('pods' in r) || !before.deployed) throw new CliError('setup made a dry run, or the lab was gone');
        l.shift = { before: before.pods.filter((p) => p.uid).map(({ pod, uid }) => ({ pod, uid })), after: r.pods, verdict: r.startOrdinal.verdict };
        const v = r.startOrdinal.verdict;
        return {
          result: v?.result ?? 'FAIL',
          notes: [`${v?.result ?? 'FAIL'}: ${v?.headline ?? 'the server reports no start ordinal'}.`, 'Pods in both ranges keep their identity; the controller creates the missing one first and removes the one left outside last.'],
        };
      },
    },
    {
      title: `Re-create the pods: they come back in order from ${podName(n, SHIFTED_START)}`,
      run: async () => {
        const r = (l.reordered = await s.call(watchOrder, { names: n, restart: true }));
        return verdictOutcome(r.verdict, 'OrderedReady counts from the first ordinal: nothing waits for a pod below it.');
      },
    },
    {
      title: 'Set the claims\' retention to whenDeleted: Delete, for the teardown to show',
      run: async () => {
        const r = await s.call(setup, { settings: { ...shifted, retention: { whenScaled: 'Retain', whenDeleted: 'Delete' } }, dryRun: false });
        if (!('pods' in r)) throw new CliError('setup made a dry run');
        return { result: 'PASS', notes: ['The StatefulSet controller now marks each claim as owned by the StatefulSet: deleting the StatefulSet will delete them.'] };
      },
    },
  ];
}
