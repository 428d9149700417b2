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
