// Process entry: wires Ctrl-C to an AbortSignal and turns main()'s result into the exit code.
// Built into a V8 startup snapshot (the local single executable), everything up to here is
// loaded at build time (and the top-level help laid out), and start() runs when the executable starts.
import { startupSnapshot } from 'node:v8';
import { hideBin } from 'yargs/helpers';
import { main, prerenderHelp } from './cli.ts';
import { EXIT } from './errors.ts';

function start(): void {
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    // First Ctrl-C: abort watches, exec sockets and requests, then exit 130 through main().
    // A second one, or a shutdown that hangs, ends the process at once.
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    interrupt.abort();
    setTimeout(() => process.exit(EXIT.interrupted), 3000).unref();
  });
  void main(hideBin(process.argv), interrupt.signal).then((code) => {
    // Idle keep-alive sockets would hold the process open for seconds; stdout is flushed first.
    process.stdout.write('', () => process.exit(code));
  });
}

if (startupSnapshot.isBuildingSnapshot()) {
  startupSnapshot.setDeserializeMainFunction(start);
  void prerenderHelp();
} else start();
