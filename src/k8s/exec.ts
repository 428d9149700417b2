// Runs a command in a pod over client-node's WebSocket exec, as a promise that always
// settles: on the exit status, on a timeout, on Ctrl-C, or when the socket closes without
// ever sending a status (client-node does not report that case by itself).
import { Writable, Readable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import { CliError, InterruptedError } from '../errors.ts';
import { formatDuration } from '../lab/duration.ts';
import type { Kube } from './client.ts';
import type { ExecOptions, ExecResult } from './cluster.ts';

export type { ExecOptions, ExecResult } from './cluster.ts';

function collector(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
}

export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && cause?.message) return Number(cause.message);
  throw new CliError(`exec failed: ${status.message ?? status.reason ?? 'unknown error'}`);
}

export function execInPod(
  kube: Kube,
  namespace: string,
  pod: string,
  command: string[],
  opts: ExecOptions,
): Promise<ExecResult> {
  const where = `pod ${pod}`;
  return new Promise<ExecResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let status: V1Status | undefined;
    let socket: { close(): void; protocol: string } | undefined;
    let settled = false;
    const settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      kube.interrupt.removeEventListener('abort', onAbort);
      socket?.close();
      if (e) return reject(e);
      if (!status)
        return reject(new CliError(`exec in ${where} ended without an exit status (the connection closed early)`));
      try {
        resolve({ code: exitCodeOf(status), stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
      } catch (statusError) {
        reject(statusError);
      }
    };
    const onAbort = () => settle(new InterruptedError());
    const timer = setTimeout(
      () =>
        settle(
          new CliError(
            `exec in ${where} did not finish within ${formatDuration(opts.timeoutMs)}: ${command.join(' ')}`,
          ),
        ),
      opts.timeoutMs,
    );
    kube.interrupt.addEventListener('abort', onAbort, { once: true });
    const stdin = opts.stdin ? Readable.from([opts.stdin]) : null;
    new Exec(kube.webSocketConfig)
      .exec(namespace, pod, '', command, collector(out), collector(err), stdin, false, (s) => {
        status = s;
      })
      .then((ws) => {
        socket = ws;
        if (settled) return ws.close();
        if (stdin && ws.protocol !== 'v5.channel.k8s.io') {
          settle(
            new CliError(
              `the API server cannot close exec stdin (protocol ${ws.protocol || 'unknown'}; needs Kubernetes 1.30 or newer)`,
            ),
          );
          return;
        }
        ws.on('close', () => settle());
        ws.on('error', (e: Error) => settle(kube.fail(e)));
      })
      .catch((e: unknown) => settle(connectError(kube, e, namespace, pod)));
  });
}

/** ws reports a refused upgrade only as "Unexpected server response: 403": say what it means. */
function connectError(kube: Kube, e: unknown, namespace: string, pod: string): Error {
  const code = Number(/Unexpected server response: (\d+)/.exec(String((e as Error)?.message ?? e))?.[1]);
  if (code === 401) return new CliError('You must be logged in to the server (Unauthorized)', undefined, 401);
  if (code === 403)
    return new CliError(
      `pods "${pod}" is forbidden: cannot create pods/exec in the namespace "${namespace}"`,
      undefined,
      403,
    );
  if (code === 404) return new CliError(`pods "${pod}" not found in namespace "${namespace}"`, undefined, 404);
  return kube.fail(e);
}
