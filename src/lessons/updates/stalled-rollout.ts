// A roll-out that cannot finish: the controller replaced a pod whose new template never
// becomes Ready, and (RollingUpdate) replaces nothing below it while that lasts.
import { stallSentence, type Stall } from '../../lab/diagnosis.ts';
import { formatDuration } from '../../lab/duration.ts';
import { rolloutOrdinals, rolloutRows, type RolloutAnalysis, type RolloutCheck, type RolloutInput } from './rollout.ts';
import { verdict } from '../../lab/verdict.ts';
import { peakUnavailable } from './availability.ts';

export function analyseStalled(r: RolloutInput, stall: Stall, now: number): RolloutAnalysis {
  const rows = rolloutRows(r);
  const stuck = rows.find((x) => x.ordinal === stall.ordinal);
  const since = stuck?.created ?? stuck?.gone ?? stuck?.terminating ?? now;
  const watched = formatDuration(now - since);
  const firstToMove = Math.max(-1, ...rows.filter((x) => x.moves).map((x) => x.ordinal));
  const checks: RolloutCheck[] = [];
  checks.push({
    kind: 'stalled first',
    ordinal: stall.ordinal,
    ok: stall.ordinal === firstToMove && stuck?.newRevision === r.updateRevision,
    detail:
      stall.ordinal === firstToMove
        ? `${stall.pod} was replaced first, runs revision ${stuck?.newRevision ?? 'none'} and ${stall.state}: ${stall.reason}`
        : `the roll-out stalled at ${stall.pod}, not at the first pod it replaces (${r.podName(firstToMove)})`,
  });
  for (const row of rows) {
    if (row.ordinal === stall.ordinal) continue;
    const ok =
      row.ordinal < stall.ordinal
        ? row.newUid === null && row.newRevision === row.oldRevision
        : row.newRevision === r.updateRevision;
    checks.push({
      kind: row.ordinal < stall.ordinal ? 'untouched below the stall' : 'above the stall',
      ordinal: row.ordinal,
      ok,
      detail:
        row.ordinal < stall.ordinal
          ? ok
            ? `${row.pod} untouched for ${watched} after ${stall.pod} was re-created (same UID, revision ${row.oldRevision})`
            : `${row.pod} was replaced or changed revision while ${stall.pod} was not Ready`
          : `${row.pod} is on revision ${row.newRevision ?? 'none'}${ok ? '' : `, not ${r.updateRevision}`}`,
    });
  }
  const failed = checks.filter((c) => !c.ok);
  const lower = rows.filter((x) => x.ordinal < stall.ordinal).map((x) => x.pod);
  const headline = failed.length
    ? `Roll-out stalled at ${stall.pod}, and not as a StatefulSet promises`
    : `Roll-out stalled at ${stall.pod} (${stall.reason})${lower.length ? `; ${lower.join(', ')} untouched for ${watched}` : ''}`;
  const why = [
    'The controller replaces the next pod only once the one it replaced is Running and Ready, so a template whose pods never become Ready stops the roll-out at its first pod. Reverting the template may not free it: kubectl sts-lab rollback.',
    stallSentence(stall),
    ...failed.map((c) => c.detail),
  ];
  return {
    rows,
    peak: peakUnavailable(r.history, rolloutOrdinals(r)),
    verdict: verdict('FAIL', headline, why, checks),
  };
}
