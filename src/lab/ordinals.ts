// Which ordinals a StatefulSet's pods have: spec.replicas of them from spec.ordinals.start (0
// when unset, or on a server that dropped the field). The controller counts a rolling update's
// partition from that start, not from 0.

export interface OrdinalSpec {
  spec?: { replicas?: number; ordinals?: { start?: number } };
}

export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

export const startOrdinal = (sts: OrdinalSpec): number => sts.spec?.ordinals?.start ?? 0;

/** The ordinals the spec asks for, lowest first. */
export const labOrdinals = (sts: OrdinalSpec): number[] =>
  range(startOrdinal(sts), startOrdinal(sts) + (sts.spec?.replicas ?? 0));

/** "0..2", "5", or "none": ordinals as a learner reads them. */
export function ordinalSpan(ordinals: number[]): string {
  if (!ordinals.length) return 'none';
  return ordinals.length === 1 ? String(ordinals[0]) : `${ordinals[0]}..${ordinals[ordinals.length - 1]}`;
}

/** "ordinal 0", "ordinals 5..7", "no ordinals". */
export const ordinalsText = (ordinals: number[]): string =>
  ordinals.length ? `ordinal${ordinals.length === 1 ? '' : 's'} ${ordinalSpan(ordinals)}` : 'no ordinals';
