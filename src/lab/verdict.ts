// One verdict for every check sts-lab makes: its -o json shape ({result, headline, why,
// checks}) and the lines printed under a check's table.

export type Result = 'PASS' | 'FAIL' | 'N/A';

export interface Verdict<C = never> {
  result: Result;
  headline: string;
  /** Two or three lines for a learner, then one per failure. */
  why: string[];
  checks: C[];
}

export const verdict = <C = never>(
  result: Result,
  headline: string,
  why: string[] = [],
  checks: C[] = [],
): Verdict<C> => ({ result, headline, why, checks });

export const passIf = (ok: boolean): Result => (ok ? 'PASS' : 'FAIL');

/** FAIL wins, then N/A: a row made of several verdicts. */
export const combine = (...results: Result[]): Result =>
  results.includes('FAIL') ? 'FAIL' : results.includes('N/A') ? 'N/A' : 'PASS';

/** "PASS  <headline>" followed by the why lines, indented. */
export function verdictLines(v: Verdict<unknown>, paintResult: (r: Result) => string): string[] {
  return [`${paintResult(v.result)}  ${v.headline}`, ...v.why.map((l) => `      ${l}`)];
}
