// The seed scenario: ordered creation, stable names and hostnames, per-pod DNS, data that
// outlives its pod, ordered scaling.
import { TOUR_REPLICAS } from '../report/lab-report.ts';
import { podName } from '../lab/names.ts';
import { combine, passIf } from '../lab/verdict.ts';
import { connectLab } from '../command-support/target.ts';
import checkPersistence from '../lessons/storage/check-persistence.ts';
import dns from '../lessons/dns/dns.ts';
import killPod from '../lessons/identity/kill-pod.ts';
import watchOrder from '../lessons/ordering/watch-order.ts';
import scale from '../lessons/scaling/scale.ts';
import { setupStep, verdictOutcome, writeDataStep, type TourScope, type TourStep } from './scope.ts';

const KILLED = 1;

const scaleTo = (s: TourScope, replicas: number) => s.call(scale, { names: s.names, replicas });

export function seedSteps(s: TourScope): TourStep[] {
  const n = s.names;
  const e = s.evidence;
  return [
    setupStep(s),
    {
      title: 'Observe ordered creation: delete the pods and watch them come back 0, 1, 2',
      run: async () => {
        const r = (e.order = await s.call(watchOrder, { names: n, restart: true }));
        return verdictOutcome(
          r.verdict,
          'The StatefulSet controller (in kube-controller-manager) creates pod N+1 only once pod N is Running and Ready: OrderedReady.',
        );
      },
    },
    {
      title: 'Check stable names and hostnames',
      run: async () => {
        const lab = await connectLab(s.ctx, n);
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
        const r = (e.dns = await s.call(dns, { names: n }));
        return verdictOutcome(r.verdict, 'Cluster DNS builds these records from the headless Service\'s EndpointSlice, which lists each Ready pod with its hostname.');
      },
    },
    writeDataStep(s),
    {
      title: `Delete ${podName(n, KILLED)} and watch it come back`,
      run: async () => {
        const r = (e.kill = await s.call(killPod, { names: n, ordinal: KILLED, force: false }));
        return {
          result: r.verdict.result,
          notes: [`${r.verdict.result}: ${r.verdict.headline}: new UID ${r.after.uid.slice(0, 8)}, same hostname, claim ${r.after.pvc} and volume.`, 'A StatefulSet pod is not replaced by a random new one: the controller re-creates the same ordinal.'],
        };
      },
    },
    {
      title: 'Verify the data survived',
      run: async () => {
        const r = (e.persist = await s.call(checkPersistence, { names: n, ordinals: [] }));
        return verdictOutcome(r.verdict, 'The claim outlived the pod, and the new pod mounted the same volume.');
      },
    },
    {
      title: 'Scale up to 5',
      run: async () => {
        const r = (e.up = await scaleTo(s, 5));
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
        const r = (e.down = await scaleTo(s, 2));
        return {
          result: combine(r.verdict.result, r.claimsVerdict.result),
          notes: [`${r.verdict.result}: ${r.verdict.headline} (${r.deletionOrder.join(', ')}).`, `${r.claimsVerdict.result}: ${r.claimsVerdict.headline}.`],
        };
      },
    },
  ];
}
