import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli.ts';
import { LESSON_COMMANDS, LESSONS, TOUR_PLANS } from '../../src/lessons/registry.ts';
import { documented } from '../support/json-shape.ts';

const nameOf = (c: { command: string }) => c.command.split(' ')[0]!;

test("every lesson's commands reach the CLI, once, and each has its -o json documented", () => {
  const names = COMMANDS.map(nameOf);
  assert.equal(new Set(names).size, names.length, 'no command twice');
  for (const c of LESSON_COMMANDS) assert.ok(names.includes(nameOf(c)), nameOf(c));
  const docs = documented();
  for (const n of names.filter((n) => n !== 'completion'))
    assert.ok(docs.has(n), `docs/commands.md documents ${n} -o json`);
});

test('a command whose arguments are ordinals takes a positional argument', () => {
  const ordinals = COMMANDS.filter((c) => c.args === 'ordinals');
  assert.deepEqual(ordinals.map(nameOf).sort(), [
    'check-persistence',
    'drain',
    'kill-pod',
    'node-failure',
    'ready',
    'unready',
    'write-data',
  ]);
  for (const c of ordinals) assert.match(c.command, /<ordinal>|\[ordinals\.\.\]/, c.command);
});

test("the tour's plans are made of the lessons' steps, and every lesson is proved by some row", () => {
  const offered = new Set(LESSONS.flatMap((l) => Object.values(l.steps)));
  for (const [part, plan] of Object.entries(TOUR_PLANS)) {
    assert.ok(plan.length > 0, part);
    for (const step of plan) assert.ok(offered.has(step), `${part}: a step no lesson offers`);
  }
  for (const l of LESSONS) assert.ok(l.rows.length > 0, `${l.name} has a report row`);
  assert.equal(new Set(LESSONS.map((l) => l.name)).size, LESSONS.length);
});
