// setup: preflight, then namespace + headless Service + StatefulSet, then follow the pods
// to Ready one ordinal at a time.
import type { Argv } from 'yargs';
import { asUsage, CliError, UsageError } from '../errors.ts';
import type { Applied, Lab, PodChange, PodWatch, V1Namespace, V1Pod, V1StatefulSet } from '../k8s/index.ts';
import { phaseChart } from '../ui/phases.ts';
import { CLAIM_TEMPLATE, isManaged, podName } from '../lab/names.ts';
import { labOrdinals, ordinalsText, startOrdinal } from '../lab/ordinals.ts';
import { isReady, type PodLike } from '../lab/pods.ts';
import { revisionOf } from '../lessons/updates/rollout.ts';
import { adoptionVerdict, isOrphan, type Adoption } from '../lessons/orphan/judge.ts';
import { passIf, verdict, verdictLines } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import type { LabObjects, LabSettings } from '../lab/manifests.ts';
import { CREATE_NAMESPACE, LAB_PERMISSIONS, missingPermissionsMessage, PERMISSIONS_HINT } from '../lab/permissions.ts';
import { podRows, type PodRow } from '../lab/pod-rows.ts';
import { podSection } from '../ui/cells.ts';
import { minorOf, RETENTION_MINOR } from '../lab/server-version.ts';
import { POD_INDEX_LABEL, startOrdinalVerdict, type StartOrdinalCheck } from '../lessons/start-ordinal/judge.ts';
import {
  image,
  parseRetention,
  quantity,
  replicaCount,
  startOrdinal as startOrdinalFlag,
  tolerationSeconds as tolerationSecondsFlag,
} from '../lab/validate.ts';
import type { Verdict } from '../lab/verdict.ts';
import { runTasks, type Task } from '../ui/tasks.ts';
import { defineCommand, type Outcome, type Presentation } from '../command-support/command.ts';
import { connectLab } from '../command-support/target.ts';
import { goneTasks, readyTasks } from '../command-support/wait-ready.ts';
import { pinsOf, volumesOf } from '../command-support/volume-pins.ts';
import { attachTiming, slowestAttach, type AttachTiming } from '../lab/attach.ts';

export const DEFAULT_IMAGE = 'nginx:1.27-alpine';

/** The pod and storage flags, shared with tour. */
export const podFlags = (y: Argv) =>
  y
    .option('image', {
      type: 'string',
      default: DEFAULT_IMAGE,
      describe: 'Container image (must serve /usr/share/nginx/html on port 80 and have sh)',
    })
    .option('storage-class', {
      type: 'string',
      describe: "StorageClass for the claims (default: the cluster's default class)",
    })
    .option('storage-size', { type: 'string', default: '1Gi', describe: 'Size of each claim' });

export type PodSettings = Pick<LabSettings, 'image' | 'storageSize' | 'storageClass'>;

/** The pod and storage flags, validated (a usage error before anything is sent). */
export const podSettings = (a: Record<string, unknown>): PodSettings => ({
  image: image(String(a.image)),
  storageSize: quantity('--storage-size', String(a['storage-size'])),
  storageClass: a['storage-class'] === undefined ? undefined : String(a['storage-class']),
});

export interface SetupResult {
  context: string;
  server: string;
  serverVersion: string | undefined;
  namespace: string;
  statefulSet: string;
  service: string;
  applied: Applied[];
  pods: PodRow[];
  /** Orphaned lab pods (kubectl sts-lab orphan) the new StatefulSet adopted. */
  adopted: Adoption[];
  /** --start-ordinal as asked and as the server kept it; the verdict is null when neither is set. */
  startOrdinal: { requested: number; onServer: number; verdict: Verdict<StartOrdinalCheck> | null };
  /** Pods seen becoming Ready while setup watched, with the instant each event arrived. */
  readySeen: { pod: string; uid: string; at: string }[];
  /** From the first write to every pod Ready (0 when they all were already); what --max-ready judges. */
  readyMs: number | null;
  /** Each pod's claim bound and volume attached; attachMs the slowest, what --max-attach judges. */
  attach: AttachTiming[];
  attachMs: number | null;
  /** Every pod Ready with a Bound claim and a volume of its own, as read after the wait. */
  verdict: Verdict<never>;
}

/** --dry-run: what would be applied, as a v1 List. */
export interface DryRunList {
  apiVersion: 'v1';
  kind: 'List';
  items: LabObjects[keyof LabObjects][];
}

export type SetupData = SetupResult | DryRunList;

export interface SetupOptions {
  settings: LabSettings;
  dryRun: boolean;
}

interface SetupState {
  version?: string;
  applied: Applied[];
  /** The StatefulSet as the server kept it after the apply. */
  live?: V1StatefulSet;
  watch?: PodWatch;
  orphans?: Map<string, V1Pod>;
  adoption?: ReturnType<typeof adoptionVerdict>;
  /** The namespace as preflight read it (null: absent; undefined: not readable). */
  namespace?: V1Namespace | null;
}

export default defineCommand({
  command: 'setup',
  examples: [
    ['kubectl sts-lab setup', 'Create the lab in namespace scenarios: 3 pods, a 1Gi claim each'],
    [
      'kubectl sts-lab setup --replicas 5 --storage-class standard',
      'Five pods, their claims from the StorageClass standard',
    ],
    [
      'kubectl sts-lab setup --parallel --update-strategy OnDelete',
      'No ordering, and template changes wait for you to delete pods',
    ],
    ['kubectl sts-lab setup --dry-run -o yaml', 'Print the objects setup would apply, and change nothing'],
  ],
  describe: 'Create the namespace, the headless Service and the StatefulSet, and follow the pods to Ready',
  builder: (y: Argv) =>
    podFlags(y)
      .option('replicas', { type: 'string', default: '3', describe: 'Number of pods' })
      .option('start-ordinal', {
        type: 'string',
        default: '0',
        describe: 'Number the pods from this ordinal (spec.ordinals.start, Kubernetes 1.31+)',
      })
      .option('parallel', {
        type: 'boolean',
        default: false,
        describe: 'podManagementPolicy Parallel: no ordering, to compare with OrderedReady',
      })
      .option('update-strategy', {
        type: 'string',
        choices: ['RollingUpdate', 'OnDelete'],
        describe: 'OnDelete: a template change replaces no pod until you delete it (default: RollingUpdate)',
      })
      .option('publish-not-ready', {
        type: 'boolean',
        default: false,
        describe: 'Service publishNotReadyAddresses: DNS records for pods that are not Ready too',
      })
      .option('retention', {
        type: 'string',
        describe: 'PVC retention policy, e.g. whenScaled=Delete,whenDeleted=Retain (default: Retain both)',
      })
      .option('toleration-seconds', {
        type: 'string',
        describe:
          "How long pods stay on a node that stops answering before they are evicted (default: the cluster's, 300 s)",
      })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print what would be applied (with -o yaml|json) and change nothing',
      }),
  options(a, g): SetupOptions {
    if (g.names.claim !== undefined && g.names.claim !== CLAIM_TEMPLATE)
      throw new UsageError(
        `--claim ${g.names.claim} is for looking at a StatefulSet sts-lab did not make: setup names its claim template ${CLAIM_TEMPLATE}`,
      );
    return asUsage(() => {
      const replicas = replicaCount('--replicas', a.replicas);
      return {
        settings: {
          ...g.names,
          replicas,
          startOrdinal: startOrdinalFlag(a['start-ordinal'], replicas),
          ...podSettings(a),
          podManagementPolicy: a.parallel === true ? ('Parallel' as const) : ('OrderedReady' as const),
          retention: a.retention === undefined ? undefined : parseRetention(String(a.retention)),
          updateStrategy: a['update-strategy'] === 'OnDelete' ? ('OnDelete' as const) : undefined,
          publishNotReady: a['publish-not-ready'] === true,
          tolerationSeconds:
            a['toleration-seconds'] === undefined ? undefined : tolerationSecondsFlag(a['toleration-seconds']),
        },
        dryRun: a['dry-run'] === true,
      };
    });
  },
  async run(o, ctx): Promise<Outcome<SetupData>> {
    // YAML parsing is loaded only when manifests are needed.
    const [{ MANIFESTS }, { renderManifests }] = await Promise.all([
      import('../lab/manifest-sources.ts'),
      import('../lab/manifests.ts'),
    ]);
    const objects = renderManifests(MANIFESTS, o.settings);
    if (o.dryRun) return dryRunReport(objects);

    const lab = await connectLab(ctx, o.settings);
    const state: SetupState = { applied: [] };
    const startedAt = Date.now();
    // The pods' watch opens while preflight asks its questions; it is needed only once creating starts.
    const watching = lab.watchPods();
    watching.catch(() => undefined); // reported by the step that needs it
    try {
      await runTasks<SetupState>(
        setupTasks(lab, o.settings, objects, state, watching, ctx.globals.timeoutMs),
        { progress: ctx.globals.progress },
        state,
      );
      const [watch, live] = [await watching, state.live];
      if (!live) throw new CliError(`statefulset.apps "${o.settings.statefulSet}" was not applied`);
      const pods = watch.byOrdinal();
      const claims = await lab.listClaims();
      const volumes = await volumesOf(lab, claims);
      const rows = podRows(o.settings, labOrdinals(live), pods, claims, pinsOf(volumes));
      const attach = rows.flatMap((r) => {
        const pod = pods.get(r.ordinal);
        const claim = claims.find((c) => c.metadata?.name === r.pvc);
        return pod && claim ? [attachTiming(pod, claim, volumes.get(r.pv ?? ''))] : [];
      });
      const requested = o.settings.startOrdinal ?? 0;
      const onServer = startOrdinal(live);
      const shifted = startOrdinalVerdict({
        names: o.settings,
        requested,
        onServer,
        serverVersion: state.version ?? 'unknown',
        wanted: labOrdinals(live),
        pods: rows,
        podIndex: (i) => pods.get(i)?.metadata?.labels?.[POD_INDEX_LABEL],
      });
      return {
        ok: state.adoption?.verdict.result !== 'FAIL' && shifted?.result !== 'FAIL' && claimsHeld(rows),
        data: {
          context: lab.context,
          server: lab.server,
          serverVersion: state.version,
          namespace: o.settings.namespace,
          statefulSet: o.settings.statefulSet,
          service: o.settings.service,
          applied: state.applied,
          pods: rows,
          adopted: state.adoption?.adopted ?? [],
          startOrdinal: { requested, onServer, verdict: shifted },
          readySeen: readySeen(watch.history),
          readyMs: readyAfter(watch.history, rows, startedAt),
          attach,
          attachMs: slowestAttach(attach),
          verdict: storageVerdict(rows),
        },
        chart: phaseChart(
          `The pods of statefulset.apps/${o.settings.statefulSet} (${o.settings.podManagementPolicy})`,
          watch.history,
          (i) => podName(o.settings, i),
        ),
        remarks: state.adoption ? verdictLines(state.adoption.verdict, verdictText) : [],
      };
    } finally {
      void watching.then(
        (w) => w.stop(),
        () => undefined,
      );
    }
  },
  present,
  measures: {
    flags: ['max-ready', 'max-attach'],
    measured: (d) =>
      'pods' in d
        ? {
            'max-ready': { what: `${d.pods.length} pods Ready`, ms: d.readyMs },
            'max-attach': { what: 'slowest claim bound and attached', ms: d.attachMs },
          }
        : {},
  },
});

/** Each pod Ready, its claim Bound, and a volume of its own. */
export const claimsHeld = (pods: PodRow[]): boolean =>
  pods.every((p) => p.ready && p.pvcStatus === 'Bound') &&
  new Set(pods.map((p) => p.pv).filter(Boolean)).size === pods.length;

function storageVerdict(rows: PodRow[]): Verdict<never> {
  const bad = rows.filter((p) => !p.ready || p.pvcStatus !== 'Bound');
  const shared = new Set(rows.map((p) => p.pv).filter(Boolean)).size !== rows.length;
  return verdict(
    passIf(claimsHeld(rows)),
    claimsHeld(rows)
      ? `${rows.length} pods Ready, each with its own Bound claim and volume`
      : `Not every pod is Ready with a claim of its own`,
    [
      ...bad.map((p) => `${p.pod}: ${p.ready ? 'Ready' : p.phase}, claim ${p.pvc} ${p.pvcStatus ?? 'absent'}`),
      ...(shared ? ['two pods share a volume'] : []),
    ],
  );
}

/** Write → every wanted pod Ready, from the watch: a pod Ready before setup looked counts as Ready at once. */
function readyAfter(history: PodChange[], rows: PodRow[], startedAt: number): number | null {
  const times = rows.map((r) => {
    const seen = history.find((c) => c.uid === r.uid && c.stage === 'Ready');
    return seen ? Math.max(0, (seen.initial ? startedAt : seen.at) - startedAt) : null;
  });
  return times.length && times.every((t) => t !== null) ? Math.max(...times) : null;
}

/** Preflight, create, then follow the pods: to Ready, away when outside the ordinals, adopted when orphans. */
function setupTasks(
  lab: Lab,
  settings: LabSettings,
  objects: LabObjects,
  state: SetupState,
  watching: Promise<PodWatch>,
  timeoutMs: number,
): Task<SetupState>[] {
  return [
    { title: 'Preflight', task: (_c, t) => t.newListr(preflightTasks(lab, settings, state)) },
    {
      title: 'Create the lab',
      task: async (_c, t) => {
        // Watch before creating, so every pod's whole life is seen.
        state.watch = await watching;
        // Lab pods without a controller: left by an orphaning delete, for the new StatefulSet to adopt.
        state.orphans = new Map(
          [...state.watch.byOrdinal().values()]
            .filter((p) => isManaged(p.metadata?.labels) && isOrphan(p))
            .map((p) => [p.metadata?.name ?? '', p]),
        );
        return t.newListr(applyTasks(lab, objects, state));
      },
    },
    {
      title: `Wait for ${settings.replicas} pod${settings.replicas === 1 ? '' : 's'} to be Ready (${settings.podManagementPolicy})`,
      task: async (_c, t) => {
        const live = state.live!;
        // A re-configured template, or adopted pods made from another one, roll (RollingUpdate): wait for the
        // pods on the new revision, not just Ready.
        const configured = state.applied.some((a) => a.kind === 'statefulset.apps' && a.action === 'configured');
        const rolls = !settings.updateStrategy && (configured || Boolean(state.orphans?.size));
        const revision = rolls ? await lab.updateRevision(live.metadata?.generation ?? 0, timeoutMs) : undefined;
        const accept = (_i: number, pod: PodLike) => isReady(pod) && (!revision || revisionOf(pod) === revision);
        t.title = `Wait for ${ordinalsText(labOrdinals(live))} to be Ready (${settings.podManagementPolicy})`;
        return t.newListr(
          readyTasks(state.watch!, labOrdinals(live), {
            timeoutMs,
            policy: settings.podManagementPolicy,
            start: startOrdinal(live),
            accept,
          }),
          { concurrent: true },
        );
      },
    },
    {
      // Fewer replicas, or ordinals that start elsewhere: the controller removes the pods outside the range,
      // highest first.
      title: 'Wait for the pods outside the ordinals to be removed',
      enabled: () => condemned(state).length > 0,
      task: (_c, t) => {
        const outside = condemned(state);
        t.title = `Wait for ${outside.map((i) => podName(settings, i)).join(', ')} to be removed (outside ${ordinalsText(labOrdinals(state.live!))})`;
        return t.newListr(
          goneTasks(state.watch!, outside, timeoutMs, {
            policy: settings.podManagementPolicy,
            start: startOrdinal(state.live!),
          }),
          { concurrent: true },
        );
      },
    },
    {
      title: 'Adoption: the new StatefulSet takes the orphaned pods as its own',
      enabled: () => Boolean(state.orphans?.size),
      task: async (_c, t) => {
        const stsUid = state.live!.metadata?.uid ?? '';
        const mine = (p: V1Pod | undefined) =>
          !p || p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === stsUid);
        const names = [...state.orphans!.keys()];
        await state.watch!.until(
          (pods) => names.every((name) => mine([...pods.values()].find((p) => p.metadata?.name === name))),
          'the StatefulSet controller to adopt the orphaned pods',
          timeoutMs,
        );
        const now = new Map([...state.watch!.byOrdinal().values()].map((p) => [p.metadata?.name ?? '', p]));
        state.adoption = adoptionVerdict(state.orphans!, state.watch!.history, now, stsUid);
        t.title = state.adoption.verdict.headline;
      },
    },
  ];
}

/** Lab pods the StatefulSet's range leaves out, highest first. */
function condemned(state: SetupState): number[] {
  if (!state.live || !state.watch) return [];
  const wanted = labOrdinals(state.live);
  return [...state.watch.byOrdinal().keys()].filter((i) => !wanted.includes(i)).sort((a, b) => b - a);
}

/** s: this setup's settings (a lab session shared by a tour's steps knows the names only). */
function preflightTasks(lab: Lab, s: LabSettings, state: SetupState): Task<SetupState>[] {
  // The three checks ask the API at once; each is judged in turn, so the first failure reported is always the same.
  const asked = {
    version: lab.serverVersion(),
    permissions: lab.readNamespace().then((ns) => {
      state.namespace = ns === 'unreadable' ? undefined : (ns ?? null);
      // unreadable: a namespace-scoped user's own namespace.
      const wanted = ns !== undefined ? LAB_PERMISSIONS : [CREATE_NAMESPACE, ...LAB_PERMISSIONS];
      return lab.deniedPermissions(wanted).then((denied) => ({ wanted, denied }));
    }),
    classes: lab.storageClasses(),
  };
  for (const answer of Object.values(asked)) answer.catch(() => undefined); // judged by its task
  return [
    {
      title: 'API server reachable',
      task: async (_c, t) => {
        state.version = await asked.version;
        t.title = `API server ${lab.server} answers: Kubernetes ${state.version}`;
        if (s.retention && (minorOf(state.version) ?? 0) < RETENTION_MINOR) {
          throw new CliError(
            `--retention needs Kubernetes 1.${RETENTION_MINOR} or newer (persistentVolumeClaimRetentionPolicy); this cluster runs ${state.version}`,
          );
        }
      },
    },
    {
      title: 'Permissions',
      task: async (_c, t) => {
        const { wanted, denied } = await asked.permissions;
        if (denied.length) throw new CliError(missingPermissionsMessage(denied, s.namespace), PERMISSIONS_HINT);
        t.title = `Permissions: all ${wanted.length} granted in namespace "${s.namespace}"`;
      },
    },
    {
      title: 'Storage',
      task: async (_c, t) => {
        const classes = await asked.classes;
        if (!classes) {
          t.skip('Storage: may not list StorageClasses with these credentials; trusting the cluster');
          return;
        }
        const names = classes.map((c) => c.metadata?.name ?? '').join(', ') || 'none';
        if (s.storageClass) {
          if (!classes.some((c) => c.metadata?.name === s.storageClass)) {
            throw new CliError(`storage class "${s.storageClass}" not found (available: ${names})`);
          }
          t.title = `Storage: StorageClass "${s.storageClass}"`;
          return;
        }
        const def = classes.find((c) => lab.isDefaultClass(c));
        if (!def) {
          throw new CliError(
            `no default StorageClass, so the claims of the StatefulSet would never bind (available: ${names})`,
            'pass --storage-class NAME, or mark one as default: kubectl patch storageclass NAME -p \'{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}\'',
          );
        }
        t.title = `Storage: default StorageClass "${def.metadata?.name}" (${def.provisioner})`;
      },
    },
  ];
}

function applyTasks(lab: Lab, objects: LabObjects, state: SetupState): Task<SetupState>[] {
  const step = (title: string, apply: () => Promise<Applied>): Task<SetupState> => ({
    title,
    task: async (_c, t) => {
      // The server's copy is for setup's own checks, not for -o json.
      const { object: _kept, ...result } = await apply();
      state.applied.push(result);
      t.title = `${result.kind}/${result.name} ${result.action}${result.detail ? ` (${result.detail})` : ''}`;
    },
  });
  return [
    step(`namespace/${objects.namespace.metadata.name}`, () => lab.ensureNamespace(objects.namespace, state.namespace)),
    step(`service/${objects.service.metadata.name} (headless)`, () => lab.ensureService(objects.service)),
    step(`statefulset.apps/${objects.statefulSet.metadata.name}`, async () => {
      const applied = await lab.ensureStatefulSet(objects.statefulSet);
      // What the server kept: a server without a feature drops its field without a word.
      state.live = applied.object ?? (await lab.findStatefulSet());
      if (!state.live)
        throw new CliError(
          `statefulset.apps "${objects.statefulSet.metadata.name}" disappeared right after it was applied`,
        );
      if (objects.statefulSet.spec.persistentVolumeClaimRetentionPolicy) {
        if (!state.live.spec?.persistentVolumeClaimRetentionPolicy) {
          throw new CliError(
            'this cluster ignores persistentVolumeClaimRetentionPolicy (feature gate StatefulSetAutoDeletePVC is off)',
            'run teardown, then setup without --retention',
          );
        }
      }
      return applied;
    }),
  ];
}

function dryRunReport(objects: LabObjects): Outcome<DryRunList> {
  return {
    ok: true,
    data: { apiVersion: 'v1', kind: 'List', items: [objects.namespace, objects.service, objects.statefulSet] },
  };
}

function present({ data }: Outcome<SetupData>): Presentation {
  if (!('pods' in data)) {
    return {
      sections: [
        {
          headers: ['resource', 'action'],
          rows: data.items.map((i) => [
            `${String(i.kind).toLowerCase()}/${i.metadata.name}`,
            'would be applied (dry run)',
          ]),
        },
      ],
    };
  }
  return {
    sections: [
      {
        headers: ['resource', 'action', 'detail'],
        rows: data.applied.map((a) => [`${a.kind}/${a.name}`, a.action, a.detail]),
      },
      podSection(data.pods),
    ],
    notes: data.startOrdinal.verdict ? verdictLines(data.startOrdinal.verdict, verdictText) : [],
  };
}

/** Each pod this setup saw become Ready: when its watch event arrived (the benchmark's notice latency). */
function readySeen(history: PodChange[]): { pod: string; uid: string; at: string }[] {
  const seen = new Map<string, PodChange>();
  for (const c of history) if (!c.initial && c.stage === 'Ready' && !seen.has(c.uid)) seen.set(c.uid, c);
  return [...seen.values()].map((c) => ({ pod: c.name, uid: c.uid, at: new Date(c.at).toISOString() }));
}
