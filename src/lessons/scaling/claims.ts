// What scaling must do to the claims: keep every claim of a removed ordinal bound to the
// same volume (whenScaled: Retain, the default), or delete it (whenScaled: Delete).
import { passIf, verdict, type Verdict } from '../../lab/verdict.ts';
import { claimName, type LabNames } from '../../lab/names.ts';
import type { ClaimLike } from '../../lab/pod-rows.ts';

export type ClaimOutcome = 'in use' | 'retained' | 'deleted';

export interface ClaimRow {
  ordinal: number;
  pvc: string;
  status: string | null;
  pv: string | null;
  pvBefore: string | null;
  expected: ClaimOutcome;
  ok: boolean;
  detail: string;
}

/** from/to: replica counts; start: the first ordinal (spec.ordinals.start). */
export function claimRows(
  n: LabNames,
  opts: { start: number; from: number; to: number; whenScaled: string },
  before: ClaimLike[],
  after: ClaimLike[],
): ClaimRow[] {
  const byName = (list: ClaimLike[]) => new Map(list.map((c) => [c.metadata?.name ?? '', c]));
  const was = byName(before);
  const now = byName(after);
  const rows: ClaimRow[] = [];
  for (let ordinal = opts.start; ordinal < opts.start + Math.max(opts.from, opts.to); ordinal++) {
    const pvc = claimName(n, ordinal);
    const c = now.get(pvc);
    const pvBefore = was.get(pvc)?.spec?.volumeName ?? null;
    const status = c?.status?.phase ?? null;
    const pv = c?.spec?.volumeName ?? null;
    const removed = ordinal >= opts.start + opts.to;
    const expected: ClaimOutcome = !removed ? 'in use' : opts.whenScaled === 'Delete' ? 'deleted' : 'retained';
    let ok: boolean;
    let detail: string;
    if (expected === 'deleted') {
      ok = !c;
      detail = ok ? 'deleted by the controller (whenScaled: Delete)' : 'still exists although whenScaled is Delete';
    } else if (status !== 'Bound') {
      ok = false;
      detail = c ? `not Bound (${status ?? 'unknown'})` : 'missing';
    } else if (pvBefore && pv !== pvBefore) {
      ok = false;
      detail = `volume changed from ${pvBefore} to ${pv}`;
    } else {
      ok = true;
      detail =
        expected === 'retained'
          ? `kept with its volume after the pod went (whenScaled: Retain)`
          : pvBefore
            ? 'same volume as before'
            : 'new claim, bound';
    }
    rows.push({ ordinal, pvc, status, pv, pvBefore, expected, ok, detail });
  }
  return rows;
}

export const CLAIM_HEADERS = ['ordinal', 'pvc', 'status', 'pv', 'expected', 'ok', 'detail'];

export const claimCells = (r: ClaimRow): string[] => [
  String(r.ordinal),
  r.pvc,
  r.status ?? '<none>',
  r.pv ?? '<none>',
  r.expected,
  r.ok ? 'yes' : 'NO',
  r.detail,
];

/** The claims verdict of a scale: N/A when it halted, otherwise every claim as whenScaled wants it. */
export function claimsVerdict(claims: ClaimRow[], up: boolean, whenScaled: string, halted: boolean): Verdict<never> {
  if (halted) return verdict('N/A', 'Claims: not judged, the scale did not complete');
  const removed = claims.filter((c) => c.expected !== 'in use');
  const headline = up
    ? 'Claims: every pod has its own claim, Bound'
    : whenScaled === 'Delete'
      ? `Claims: the claims of the ${removed.length} removed pods were deleted (whenScaled: Delete)`
      : `Claims: the claims of the ${removed.length} removed pods stay Bound to the same volumes, ready for a scale-up`;
  return verdict(
    passIf(claims.every((c) => c.ok)),
    headline,
    claims.filter((c) => !c.ok).map((c) => `${c.pvc}: ${c.detail}`),
  );
}
