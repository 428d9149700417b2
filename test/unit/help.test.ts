import assert from 'node:assert/strict';
import { test } from 'node:test';
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
