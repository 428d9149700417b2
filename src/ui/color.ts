// One colour decision for the whole process. listr2 and util.styleText read NO_COLOR /
// FORCE_COLOR, so the decision is published through those variables.
import { styleText } from 'node:util';
import type { Result } from '../lab/verdict.ts';
import type { ColorMode } from '../options.ts';

let enabled = false;

export function decideColor(mode: ColorMode, env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stdoutIsTTY;
}

export function applyColor(mode: ColorMode): void {
  enabled = decideColor(mode, process.env, Boolean(process.stdout.isTTY));
  if (enabled) {
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = '1';
  } else {
    delete process.env.FORCE_COLOR;
    process.env.NO_COLOR = '1';
  }
}

type Style = Parameters<typeof styleText>[0];

export function paint(style: Style, text: string): string {
  return enabled ? styleText(style, text, { validateStream: false }) : text;
}

export const verdictText = (v: Result): string =>
  v === 'PASS' ? paint('green', 'PASS') : v === 'FAIL' ? paint('red', 'FAIL') : paint('yellow', 'N/A ');
