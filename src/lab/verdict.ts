// The verdict lines printed under a check's table, and their -o json shape.
import type { OrderingResult, Verdict } from './ordering.ts';

const HEADLINE: Record<Verdict, string> = {
  PASS: 'OrderedReady held: pod N+1 was created only after pod N was Ready',
  FAIL: 'OrderedReady violated',
  'N/A': 'Order not judged',
};

export function orderingHeadline(r: OrderingResult, what = HEADLINE.PASS): string {
  return r.verdict === 'PASS' ? what : HEADLINE[r.verdict];
}

/** "PASS  <headline>" followed by the why lines, indented. */
export function verdictLines(verdict: Verdict, headline: string, why: string[], paintVerdict: (v: Verdict) => string): string[] {
  return [`${paintVerdict(verdict)}  ${headline}`, ...why.map((l) => `      ${l}`)];
}
