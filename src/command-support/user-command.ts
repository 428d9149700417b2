// Runs the user's own command (node-failure --fail-with/--recover-with): sts-lab never stops a
// node itself. {node} is replaced by the node's name; the command runs in sh, bounded, and Ctrl-C
// stops it.
import { spawn } from 'node:child_process';
import { CliError, InterruptedError } from '../errors.ts';

export const withNode = (template: string, node: string): string => template.replaceAll('{node}', node);

/** The command's exit and its last lines of output; a non-zero exit is an error naming the command. */
export function runUserCommand(
  command: string,
  opts: { timeoutMs: number; interrupt: AbortSignal; onLine?: (line: string) => void },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const take = (b: Buffer) => {
      for (const l of b.toString().split('\n').filter(Boolean)) {
        lines.push(l);
        opts.onLine?.(l);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const stop = () => child.kill('SIGTERM');
    const timer = setTimeout(stop, opts.timeoutMs);
    opts.interrupt.addEventListener('abort', stop, { once: true });
    child.on('error', (err) => reject(new CliError(`cannot run "${command}": ${err.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.interrupt.removeEventListener('abort', stop);
      const tail = lines.slice(-3).join(' | ');
      if (opts.interrupt.aborted) reject(new InterruptedError());
      else if (code === 0) resolve(tail);
      else
        reject(
          new CliError(
            `"${command}" ${signal ? `was stopped after ${opts.timeoutMs / 1000}s` : `exited with ${code}`}${tail ? `: ${tail}` : ''}`,
          ),
        );
    });
  });
}
