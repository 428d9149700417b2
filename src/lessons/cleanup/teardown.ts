// teardown: scale to 0 (so pods go in reverse ordinal order, which a plain delete does not
// promise), then delete the StatefulSet, the Service, the claims, and the namespace if
// sts-lab created it and nothing else lives there.
import type { Argv } from 'yargs';
import type { Lab, PodWatch } from '../../k8s/index.ts';
import { absent, deleted, kept, notOurs, type Removal } from '../../lab/removal.ts';
import { phaseChart } from '../../ui/phases.ts';
import { analyseCascade, cascadeRows } from './cascade.ts';
import { CliError } from '../../errors.ts';
import {
  CLAIM_TEMPLATE,
  claimName,
  isLabClaim,
  isManaged,
  ordinalOf,
  podName,
  type LabNames,
} from '../../lab/names.ts';
import { claimsOwnedBy, ownedClaimsVerdict, type OwnedClaimRow } from '../retention/judge.ts';
import { iso } from '../../lab/timeline.ts';
import { instant, relative } from '../../ui/cells.ts';
import { verdictLines } from '../../lab/verdict.ts';
import { verdictText } from '../../ui/color.ts';
import { runTasks, type Task } from '../../ui/tasks.ts';
import { defineCommand, type RunContext } from '../../command-support/command.ts';
import { scaling } from '../scaling/scale.ts';
import { deleteStatefulSet } from '../../command-support/delete-statefulset.ts';
import { connectLab } from '../../command-support/target.ts';
import { labOrdinals, startOrdinal } from '../../lab/ordinals.ts';
import { goneTasks } from '../../command-support/wait-ready.ts';
import { policyOf } from '../../lab/manifests.ts';

const OWNER_GRACE_MS = 30_000;
/** Pods deleted all at once (cascade, orphans): nothing waits for anything. */
const UNORDERED = { policy: 'Parallel' as const, start: 0 };

export interface TeardownOptions {
  names: LabNames;
  keepPvcs: boolean;
  keepNamespace: boolean;
  /** Delete the StatefulSet with its pods at once (a cascading delete) instead of scaling to 0 first. */
  noScaleDown?: boolean;
}

interface TeardownState {
  removals: Removal[];
  /** The lab's cordons, taints, budget and hold finalizers, undone first (a held pod would never go). */
  undone: string[];
  watch?: PodWatch;
  cascaded?: boolean;
  /** Claims the StatefulSet owns (whenDeleted: Delete): the garbage collector's to delete. */
  owned: { pvc: string; owner: string }[];
  ownedGone: OwnedClaimRow[];
}

type TaskHandle = Parameters<Task<TeardownState>['task']>[1];

export default defineCommand({
  command: 'teardown',
  examples: [
    ['kubectl sts-lab teardown', 'Scale to 0 in order, then delete everything sts-lab made, claims included'],
    ['kubectl sts-lab teardown --keep-pvcs', 'The same, but keep the claims and their data'],
  ],
  describe: 'Scale the StatefulSet to 0 in order, then delete everything sts-lab created, claims included',
  builder: (y: Argv) =>
    y
      .option('keep-pvcs', {
        type: 'boolean',
        default: false,
        describe: 'Keep the PersistentVolumeClaims (and so the data)',
      })
      .option('keep-namespace', {
        type: 'boolean',
        default: false,
        describe: 'Keep the namespace even if sts-lab created it',
      })
      .option('no-scale-down', {
        type: 'boolean',
        default: false,
        describe: 'Delete the StatefulSet with its pods at once (cascading) and show they go in no order',
      }),
  options: (a, g): TeardownOptions => ({
    names: g.names,
    keepPvcs: a['keep-pvcs'] === true,
    keepNamespace: a['keep-namespace'] === true,
    noScaleDown: a['no-scale-down'] === true,
  }),
  async run(o, ctx) {
    const lab = await connectLab(ctx, o.names);
    const n = o.names;
    const sts = await lab.findStatefulSet();
    const byController =
      isManaged(sts?.metadata?.labels) && sts?.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    if (byController && o.keepPvcs)
      throw new CliError(
        '--keep-pvcs cannot keep these claims: the StatefulSet owns them (whenDeleted: Delete), so they go with it',
        'kubectl sts-lab setup --retention whenDeleted=Retain first, or teardown without --keep-pvcs',
      );
    const stsUid = sts?.metadata?.uid ?? '';
    // The controller marks the claims of its pods; a claim above the replica count (left by a
    // scale-down) is owned only if it was made under this policy. Those it does not own, sts-lab deletes.
    const claimNames = byController && sts ? labOrdinals(sts).map((i) => claimName(n, i)) : [];
    const claims = byController
      ? (await lab.waitForClaimOwner(stsUid, claimNames, OWNER_GRACE_MS)).filter((c) =>
          isLabClaim(n, c.metadata?.name ?? ''),
        )
      : [];
    const state: TeardownState = { removals: [], undone: [], owned: claimsOwnedBy(claims, stsUid), ownedGone: [] };
    try {
      await runTasks<TeardownState>(
        [
          {
            title: "Undo the lab's disruptions: cordons, taints, budget, hold finalizers",
            task: async (_c, t) => {
              state.undone = await lab.undoDisruptions();
              t.title = state.undone.length
                ? state.undone.join('; ')
                : 'no cordon, taint, budget or finalizer of the lab';
            },
          },
          {
            title: o.noScaleDown
              ? `Delete statefulset.apps/${n.statefulSet} with its pods at once (cascading, no scale to 0 first)`
              : `Scale statefulset.apps/${n.statefulSet} to 0, highest ordinal first`,
            task: (_c, t) => removePods(lab, ctx, state, t, o.noScaleDown === true),
          },
          {
            title: 'Delete what sts-lab created',
            task: (_c, t) => t.newListr(deleteTasks(lab, o, state, ctx.globals.timeoutMs)),
          },
          {
            title: `namespace/${n.namespace}`,
            task: async (_c, t) => {
              const r = await removeNamespace(lab, o, ctx.globals.timeoutMs);
              state.removals.push(r);
              t.title = describe(r);
            },
          },
        ],
        { progress: ctx.globals.progress },
        state,
      );
    } finally {
      state.watch?.stop();
    }
    const history = state.watch?.history ?? [];
    const rows = state.cascaded ? cascadeRows(history, (i) => podName(n, i)) : [];
    const cascadeVerdict = state.cascaded ? analyseCascade(rows) : null;
    // Judged on the claims the server has: one never made (its pod refused) is not the controller's to delete.
    const madeClaims = claimNames.filter((name) => claims.some((c) => c.metadata?.name === name));
    const ownedVerdict = byController ? ownedClaimsVerdict(madeClaims, state.ownedGone) : undefined;
    return {
      ok: ownedVerdict?.result !== 'FAIL',
      data: {
        namespace: n.namespace,
        statefulSet: n.statefulSet,
        deletionOrder: deletionOrder(state),
        removals: state.removals,
        undone: state.undone,
        claimsByController: ownedVerdict ? { claims: state.ownedGone, verdict: ownedVerdict } : null,
        cascade: cascadeVerdict && {
          pods: rows.map((r) => ({ ...r, terminating: iso(r.terminating), gone: iso(r.gone) })),
          verdict: cascadeVerdict,
        },
      },
      chart:
        state.watch &&
        phaseChart(
          state.cascaded
            ? 'Teardown: the StatefulSet deleted with its pods (cascading)'
            : 'Teardown: scaled to 0, highest ordinal first',
          history,
          (i) => podName(n, i),
        ),
    };
  },
  present: ({ data: d }) => {
    const pods = d.cascade?.pods ?? [];
    const t0 = Math.min(...pods.map((r) => instant(r.terminating) ?? Infinity));
    const order = d.deletionOrder;
    const orderNotes = d.cascade
      ? verdictLines(d.cascade.verdict, verdictText)
      : order.length > 1
        ? [
            `Pods removed in order ${order.join(', ')}: teardown scales to 0 first, because deleting a StatefulSet with its pods removes them all at once (teardown --no-scale-down shows it).`,
          ]
        : [];
    return {
      sections: [
        { headers: ['resource', 'action', 'detail'], rows: d.removals.map((r) => [r.resource, r.action, r.detail]) },
        {
          headers: ['pod', 'terminating', 'gone'],
          rows: pods.map((r) => [r.pod, relative(instant(r.terminating), t0), relative(instant(r.gone), t0)]),
        },
      ],
      notes: [...(d.claimsByController ? verdictLines(d.claimsByController.verdict, verdictText) : []), ...orderNotes],
    };
  },
});

/** Pods in the order the API reported them gone. */
const deletionOrder = (s: TeardownState): string[] => (s.watch?.deletions() ?? []).map((c) => c.name);

const describe = (r: Removal): string => `${r.resource} ${r.action}${r.detail ? ` (${r.detail})` : ''}`;

/**
 * The pods go first: by scaling to 0 (the controller removes them from the highest ordinal
 * down), or, cascading, by deleting the StatefulSet with them (the garbage collector, in no order).
 */
async function removePods(lab: Lab, ctx: RunContext, state: TeardownState, t: TaskHandle, cascade: boolean) {
  const n = lab.names;
  const timeoutMs = ctx.globals.timeoutMs;
  const sts = await lab.findStatefulSet();
  if (!sts) return removeOrphans(lab, timeoutMs, state, t);
  if (!isManaged(sts.metadata?.labels))
    return t.skip(`statefulset.apps/${n.statefulSet}: not created by sts-lab, left alone`);
  state.watch = await lab.watchPods();
  const ordinals = [...state.watch.byOrdinal().keys()].sort((a, b) => b - a);
  if (!cascade) {
    await scaling(lab, ctx, t, n, sts.spec?.replicas ?? 0, 0);
    return t.newListr(
      goneTasks(state.watch, ordinals, timeoutMs, { policy: policyOf(sts.spec), start: startOrdinal(sts) }),
      { concurrent: true },
    );
  }
  await deleteStatefulSet(lab, ctx, t, 'Background');
  state.cascaded = true;
  state.removals.push(
    deleted(`statefulset.apps/${n.statefulSet}`, 'with its pods at once (propagationPolicy Background)'),
  );
  return t.newListr(goneTasks(state.watch, ordinals, timeoutMs, UNORDERED), { concurrent: true });
}

/** No StatefulSet, but its orphaned pods (kubectl sts-lab orphan): delete them and see them go. */
async function removeOrphans(lab: Lab, timeoutMs: number, state: TeardownState, t: TaskHandle) {
  state.watch = await lab.watchPods();
  const removed = (await lab.deleteOrphanPods()).filter((r) => r.action === 'deleted');
  if (!removed.length) return t.skip(`statefulset.apps/${lab.names.statefulSet}: not found, nothing to scale`);
  state.removals.push(...removed);
  t.title = `No StatefulSet: delete its ${removed.length} orphaned pods`;
  const ordinals = [...state.watch.byOrdinal().keys()].sort((a, b) => b - a);
  // Nothing orders them: no controller is left to wait for anything.
  return t.newListr(goneTasks(state.watch, ordinals, timeoutMs, UNORDERED), { concurrent: true });
}

function deleteTasks(lab: Lab, o: TeardownOptions, state: TeardownState, timeoutMs: number): Task<TeardownState>[] {
  const n = o.names;
  const step = (title: string, removals: () => Promise<Removal[]>): Task<TeardownState> => ({
    title,
    task: async (_c, t) => {
      const done = await removals();
      state.removals.push(...done);
      t.title = done.length ? done.map(describe).join(', ') : `${title}: none`;
    },
  });
  return [
    step(`statefulset.apps/${n.statefulSet}`, async () => {
      if (state.cascaded) return [];
      const removal = await lab.deleteStatefulSet();
      const order = deletionOrder(state);
      return [
        order.length && removal.action === 'deleted'
          ? { ...removal, detail: `pods deleted in order ${order.join(', ')}` }
          : removal,
      ];
    }),
    step(`service/${n.service}`, async () => [await lab.deleteService()]),
    step('persistentvolumeclaims', async () => {
      // Owned claims: sts-lab waits for the garbage collector and deletes none of them itself.
      const owned = state.owned
        .map((c) => ordinalOf(n, c.pvc.slice(`${CLAIM_TEMPLATE}-`.length)))
        .filter((i): i is number => i !== undefined);
      if (owned.length) {
        await lab.claimsGone(owned, timeoutMs);
        const goneAt = new Date().toISOString();
        state.ownedGone = state.owned.map((c) => ({ ...c, goneAt }));
      }
      const byGc = state.owned.map((c) =>
        deleted(
          `persistentvolumeclaim/${c.pvc}`,
          `by the garbage collector: owned by ${c.owner} (whenDeleted: Delete)`,
        ),
      );
      return [...byGc, ...(await lab.deleteClaims(o.keepPvcs ? '--keep-pvcs' : undefined))];
    }),
    step('configmaps', () => lab.deleteOwnConfigMaps()),
  ];
}

async function removeNamespace(lab: Lab, o: TeardownOptions, timeoutMs: number): Promise<Removal> {
  const name = o.names.namespace;
  const resource = `namespace/${name}`;
  const ns = await lab.readNamespace();
  if (ns === 'unreadable') return kept(resource, 'not readable with these credentials', null);
  if (!ns) return absent(resource);
  if (!isManaged(ns.metadata?.labels)) return notOurs(resource);
  if (o.keepNamespace) return kept(resource, '--keep-namespace');
  const foreign = await lab.foreignObjects();
  if (foreign.length) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ', …' : '');
    return kept(resource, `holds objects sts-lab did not create: ${shown}`);
  }
  await lab.deleteNamespace(timeoutMs);
  return deleted(resource);
}
