// The CLI's argument handling, without a cluster: usage errors exit 2 before any request.
import assert from 'node:assert/strict';
import { test } from 'node:test';

(globalThis as { __VERSION__?: string }).__VERSION__ = '9.9.9-test';
const { main } = await import('../../src/cli.ts');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, new AbortController().signal, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

test('bad input exits 2 with one error line and a pointer to --help', async () => {
  for (const [argv, message] of [
    [['setup', '--replicas', '-1'], /invalid --replicas "-1"/],
    [['setup', '--replicas', 'abc'], /invalid --replicas "abc"/],
    [['setup', '--replicas', '1e9'], /invalid --replicas "1e9"/],
    [['status', '-n', 'Bad_NS'], /invalid namespace "Bad_NS"/],
    [['bogus'], /^error: unknown command "bogus" for "kubectl sts-lab"$/m],
    [['statsu'], /unknown command "statsu" for "kubectl sts-lab"; did you mean status\?/],
    [['status', '--bogus-flag'], /unknown argument: bogus-flag/],
    [['-n', 'lab', '--context', 'x', 'bogus'], /^error: unknown command "bogus" for "kubectl sts-lab"$/m],
    [['status', 'extra'], /unknown argument: extra/],
    [['setup', '--replicas'], /^error: flag needs an argument: --replicas$/m],
    [['setup', '--replicas', '--parallel'], /^error: flag needs an argument: --replicas$/m],
    [['setup', '-n'], /^error: flag needs an argument: -n$/m],
    [['setup', '--image='], /^error: invalid argument "" for "--image" flag: must not be empty$/m],
    [['setup', '--image', ''], /^error: invalid argument "" for "--image" flag: must not be empty$/m],
    [['setup', '--image', 'UPPER:::bad'], /invalid --image "UPPER:::bad": not a valid image reference/],
    [['status', '-o', ''], /^error: invalid argument "" for "--output" flag: must be one of table, wide, json, yaml$/m],
    [['status', '-o'], /^error: flag needs an argument: -o$/m],
    [
      ['status', '-o', 'xml'],
      /^error: invalid argument "xml" for "--output" flag: must be one of table, wide, json, yaml$/m,
    ],
    [['status', '--timeout', 'soon'], /invalid duration "soon"/],
    [['status', '--timeout', '-5s'], /^error: invalid duration "-5s"/m],
    [['setup', '--max-attach', '-5s'], /^error: invalid duration "-5s"/m],
    [['setup', '--max-attach', '--parallel'], /^error: flag needs an argument: --max-attach$/m],
    [['status', '-n', 'good', '-n', 'Bad_NS'], /invalid namespace "Bad_NS"/],
  ] as const) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.equal(r.out, '');
    assert.match(r.err, message);
    assert.equal(r.err.split('\n').filter((l) => l.startsWith('error:')).length, 1);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
});

/** yargs prints --help and --version through console.log. */
async function printed(...argv: string[]) {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    return { ...(await cli(...argv)), printed: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

test('no subcommand prints the help on stdout and exits 0, as kubectl does', async () => {
  for (const argv of [[], ['-n', 'lab']]) {
    const r = await cli(...argv);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, /^kubectl sts-lab <command>/);
    assert.match(r.out, /kubectl sts-lab kill-pod <ordinal>/);
  }
});

test('--version prints the injected version; --help names the plugin as kubectl does', async () => {
  // Alone, --version is answered before yargs is set up; among other flags, yargs prints it.
  const v = await printed('--version');
  assert.equal(v.code, 0);
  assert.equal(v.out, '9.9.9-test\n');
  const among = await printed('-n', 'lab', '--version');
  assert.equal(among.code, 0);
  assert.equal(among.printed, '9.9.9-test');
  const h = await printed('--help');
  assert.equal(h.code, 0);
  assert.match(h.printed, /^kubectl sts-lab <command>/);
  for (const c of ['setup', 'status', 'teardown']) assert.match(h.printed, new RegExp(`kubectl sts-lab ${c} `));
  assert.doesNotMatch(h.printed, /kubectl-sts_lab/);
  assert.match(h.printed, /kubectl sts-lab --context NAME setup/);
});
