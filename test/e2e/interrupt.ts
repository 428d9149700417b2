// A command killed as CI kills a job: SIGKILL, so nothing of its own clean-up runs.
import { spawn } from 'node:child_process';
import { cleanEnv } from './harness.ts';

/** Runs `kubectl ARGS` and SIGKILLs it once its progress (stderr) matches `when`; resolves with that progress. */
export function killWhen(args: string[], when: RegExp, timeoutMs = 180_000): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('kubectl', args, { env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`never saw ${when} in ${timeoutMs} ms: kubectl ${args.join(' ')}\n${stderr}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (when.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', (err) => fail(err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') done(stderr);
      else fail(new Error(`kubectl ${args.join(' ')} ended (${code}) before ${when}:\n${stderr}`));
    });
  });
}

/** Runs `kubectl ARGS` to the end, calling `on` once its progress (stderr) first matches `when`. */
export function runSeeing(
  args: string[],
  when: RegExp,
  on: () => Promise<unknown>,
  timeoutMs = 300_000,
): Promise<{ code: number | null; stdout: string; stderr: string; seen: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn('kubectl', args, { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let seen = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!seen && when.test(stderr)) {
        seen = true;
        on().catch(fail);
      }
    });
    child.on('error', (err) => fail(err));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, seen });
    });
  });
}
