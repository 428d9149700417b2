// verify LESSON: a lesson's guarantees judged from the lab as it is now (the objects, the pods'
// conditions, the journal, DNS from inside the cluster), for a lab platform's verify.sh. What
// only a watch can see is N/A, and says where to see it proved. Exit 1 when a check fails.
import type { Argv } from 'yargs';
import { UsageError } from '../errors.ts';
import { combine, verdict, verdictLines, type Verdict } from '../lab/verdict.ts';
import { verdictText } from '../ui/color.ts';
import { defineCommand, type RunContext } from '../command-support/command.ts';
import { allInOrder, lookAt } from '../command-support/target.ts';
import type { Lab } from '../k8s/index.ts';
import type { LabNames } from '../lab/names.ts';
import { VERIFIABLE } from '../lessons/registry.ts';
import type { Now } from '../lessons/lesson.ts';
import dns from '../lessons/dns/dns.ts';
import { observe } from '../lessons/storage/check-persistence.ts';
import { judge } from '../lessons/storage/judge.ts';

const LESSON_NAMES = VERIFIABLE.map((l) => l.name);

interface VerifyOptions {
  names: LabNames;
  lesson: string;
}

export default defineCommand({
  command: 'verify <lesson>',
  examples: [
    [
      'kubectl sts-lab verify identity',
      "In a lab's verify.sh: pass once the learner deleted a pod and it came back the same",
    ],
    ['kubectl sts-lab verify storage --junit verify.xml', 'Judge the data, and write a JUnit file'],
    ['kubectl sts-lab verify updates -o json', 'The checks and their evidence, for a script'],
  ],
  describe: `Judge one lesson from the lab as it is now, for a lab platform's verify.sh (${LESSON_NAMES.join(', ')})`,
  builder: (y: Argv) => y.positional('lesson', { type: 'string', describe: `One of: ${LESSON_NAMES.join(', ')}` }),
  options: (a, g): VerifyOptions => {
    const lesson = a.lesson === undefined ? '' : String(a.lesson);
    if (!LESSON_NAMES.includes(lesson))
      throw new UsageError(
        `${lesson ? `unknown lesson "${lesson}"` : 'a lesson is required'}: one of ${LESSON_NAMES.join(', ')}`,
      );
    return { names: g.names, lesson };
  },
  async run(o, ctx) {
    const { lab, sts } = await lookAt(ctx, o.names);
    const n = lab.names;
    const [pods, claims] = await allInOrder([lab.listPods(), lab.listClaims()]);
    const now: Now = {
      names: n,
      sts,
      pods,
      claims,
      persistence: () => readBack(lab),
      dns: async () => (await dns.run({ names: n }, quietly(ctx))).data.verdict,
    };
    const checks = await VERIFIABLE.find((l) => l.name === o.lesson)!.verify!(now);
    const result = combine(...checks.map((c) => c.result));
    const v: Verdict<Verdict<unknown>> = verdict(
      result,
      result === 'FAIL'
        ? `Lesson ${o.lesson}: not verified`
        : result === 'PASS'
          ? `Lesson ${o.lesson}: verified from the lab as it is now`
          : `Lesson ${o.lesson}: verified, except what only a watch can see`,
      checks.map((c) => `${c.result}  ${c.headline}`),
      checks,
    );
    return {
      ok: result !== 'FAIL',
      data: { namespace: n.namespace, statefulSet: n.statefulSet, lesson: o.lesson, verdict: v },
    };
  },
  // A lab platform's CI reads one test case per check, named by the lesson.
  cases: (d) =>
    d.verdict.checks.map((c) => ({
      classname: `sts-lab.verify.${d.lesson}`,
      name: c.headline,
      result: c.result,
      message: c.headline,
      details: c.why,
      evidence: [`${c.result}  ${c.headline}`, ...c.why].join('\n'),
    })),
  present: ({ data: d }) => ({
    sections: [],
    notes: [
      ...d.verdict.checks.flatMap((c) => verdictLines(c, verdictText)),
      '',
      verdictLines({ ...d.verdict, why: [] }, verdictText)[0]!,
    ],
  }),
});

/** The journal's markers read back, judged as check-persistence does; undefined when nothing was written. */
async function readBack(lab: Lab) {
  const journal = await lab.readJournal();
  if (!journal.length) return undefined;
  return Promise.all(journal.map(async (e) => judge(e, await observe(lab, e))));
}

/** A command verify calls for its evidence shows no task list of its own. */
const quietly = (ctx: RunContext): RunContext => ({ ...ctx, globals: { ...ctx.globals, progress: 'none' } });
