import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../support/from-source.ts';
import { main, prerenderHelp } from '../../src/cli.ts';

(globalThis as { __VERSION__?: string }).__VERSION__ ??= 'test';

const helpAt = async (argv: string[], columns: number): Promise<string> => {
  let out = '';
  const code = await main(
    argv,
    new AbortController().signal,
    { out: (t) => (out += t), err: () => undefined },
    columns,
  );
  assert.equal(code, 0);
  return out;
};

test('the help laid out at build time is the help yargs lays out, for a pipe and a wide terminal; other widths are laid out live', async () => {
  const live = { pipe: await helpAt([], 0), wide: await helpAt([], 140), narrow: await helpAt([], 60) };
  assert.notEqual(live.pipe, live.wide);
  await prerenderHelp();
  assert.equal(await helpAt([], 0), live.pipe);
  assert.equal(await helpAt([], 140), live.wide);
  assert.equal(await helpAt(['--help'], 0), `${live.pipe}\n`);
  assert.equal(await helpAt(['-h'], 120), `${live.wide}\n`);
  assert.equal(await helpAt([], 60), live.narrow);
  assert.match(live.narrow, /^Walks you through a StatefulSet lab on your cluster and$/m);
});

test('every command has two to four examples, and each is a real invocation: no usage error', async (t) => {
  const { COMMANDS } = await import('../../src/cli.ts');
  const dir = await mkdtemp(join(tmpdir(), 'sts-lab-examples-'));
  // A cluster that refuses connections: what is left to prove is that the flags and arguments parse.
  await writeFile(join(dir, 'kubeconfig'), REFUSING_KUBECONFIG);
  const kubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = join(dir, 'kubeconfig');
  t.after(() => (kubeconfig === undefined ? delete process.env.KUBECONFIG : (process.env.KUBECONFIG = kubeconfig)));
  const cwd = process.cwd();
  process.chdir(dir); // --junit and --report examples write their files here
  t.after(() => process.chdir(cwd));
  for (const c of COMMANDS) {
    assert.ok(c.examples.length >= 2 && c.examples.length <= 4, `${c.command}: ${c.examples.length} examples`);
    for (const [line, what] of c.examples) {
      assert.ok(what.length > 0 && !what.endsWith('.'), `${line}: a short description, no full stop`);
      const argv = shellWords(/kubectl sts-lab ([^)>]*)/.exec(line)![1]!.trim());
      let err = '';
      // --progress none: the task lists would draw on the test's own terminal.
      const code = await main(
        [...argv, '--progress', 'none'],
        new AbortController().signal,
        { out: () => undefined, err: (e) => (err += e) },
        100,
      );
      assert.notEqual(code, 2, `${line}: ${err}`);
    }
  }
});

test("a command's help ends with its examples, as kubectl prints them, and the pointer to the global flags", async () => {
  const help = await yargsPrinted(() => helpAt(['kill-pod', '--help'], 0));
  assert.match(help, /\nExamples:\n {2}# Delete nginx-sts-1 [^\n]+\n {2}kubectl sts-lab kill-pod 1\n\n {2}# /);
  assert.match(
    help,
    /\n\nUse "kubectl sts-lab options" for a list of global command-line options \(applies to all commands\)\.\n$/,
  );
  assert.doesNotMatch(help, /--kubeconfig|--context|--namespace/, 'the global flags are in `options`');
  assert.doesNotMatch(help, /--version/, "the plugin's flag, not the command's");
  const options = await helpAt(['options'], 0);
  for (const flag of ['--kubeconfig', '--context', '-n, --namespace', '-o, --output', '--no-headers', '--junit'])
    assert.ok(options.includes(flag), flag);
});

const REFUSING_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:2' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

/** What yargs printed itself: a subcommand's help goes to console.log, not through main's io. */
async function yargsPrinted(run: () => Promise<string>): Promise<string> {
  const log = console.log;
  let printed = '';
  console.log = (...args: unknown[]) => (printed += `${args.join(' ')}\n`);
  try {
    return (await run()) + printed;
  } finally {
    console.log = log;
  }
}

/** Words as a shell splits them, for the examples' single-quoted arguments. */
const shellWords = (line: string): string[] => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
