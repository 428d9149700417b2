// users[].user.exec, as client-go runs it (plugin/pkg/client/auth/exec/exec.go): KUBERNETES_EXEC_INFO in the
// environment, the user's stderr for the plugin's messages, stdin only when interactive, one run shared by
// concurrent requests, the result kept until its expirationTimestamp, a new run after a 401. sts-lab adds a time
// limit, so that a plugin waiting for input it will never get cannot hang a CI job.
import { spawn } from 'node:child_process';
import { createSecureContext } from 'node:tls';
import { CliError } from '../errors.ts';
import type { ExecCluster } from './kubeconfig-connection.ts';
import type { ExecConfig } from './kubeconfig.ts';

export interface ExecCredential {
  token: string | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  /** ms since the epoch; undefined: valid until a 401 says otherwise. */
  expiresAt: number | undefined;
}

export interface PluginOptions {
  env?: NodeJS.ProcessEnv;
  stdinIsTTY?: boolean;
  /** How long one run may take; interactive runs (a login prompt) get five minutes. */
  timeoutMs?: number;
}

const NOT_INSTALLED =
  'It looks like you are trying to use a client-go credential plugin that is not installed. To learn more about this feature, consult the documentation available at: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins';
const PREFIX = 'Unable to connect to the server: getting credentials: ';

const fail = (why: string, hint?: string) => new CliError(`${PREFIX}${why}`, hint);

export class ExecCredentialPlugin {
  private cached: ExecCredential | undefined;
  private running: Promise<ExecCredential> | undefined;
  /** How many times the plugin ran (tests read it). */
  runs = 0;

  private readonly exec: ExecConfig;
  private readonly cluster: ExecCluster | undefined;
  private readonly opts: PluginOptions;

  constructor(exec: ExecConfig, cluster: ExecCluster | undefined, opts: PluginOptions = {}) {
    this.exec = exec;
    this.cluster = cluster;
    this.opts = opts;
  }

  /** The cached credential while it is valid, else one run shared by every caller waiting for it. */
  get(): Promise<ExecCredential> {
    const c = this.cached;
    if (c && (c.expiresAt === undefined || Date.now() < c.expiresAt)) return Promise.resolve(c);
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** After a 401 with `used`: run the plugin again, unless another request already did. */
  refresh(used: ExecCredential): Promise<ExecCredential> {
    if (this.cached === used) this.cached = undefined;
    return this.get();
  }

  private interactive(): boolean {
    const tty = this.opts.stdinIsTTY ?? Boolean(process.stdin.isTTY);
    switch (this.exec.interactiveMode) {
      case 'Never':
        return false;
      case 'Always':
        if (!tty) throw fail('exec plugin cannot support interactive mode: standard input is not a terminal');
        return true;
      default:
        return tty;
    }
  }

  /** KUBERNETES_EXEC_INFO, in kubectl's field order. */
  execInfo(interactive: boolean): string {
    const spec = this.cluster ? { cluster: this.cluster, interactive } : { interactive };
    return JSON.stringify({ kind: 'ExecCredential', apiVersion: this.exec.apiVersion, spec });
  }

  private async run(): Promise<ExecCredential> {
    const interactive = this.interactive();
    const command = this.exec.command!;
    const env: NodeJS.ProcessEnv = { ...(this.opts.env ?? process.env) };
    for (const v of this.exec.env ?? []) if (v.name) env[v.name] = v.value ?? '';
    env.KUBERNETES_EXEC_INFO = this.execInfo(interactive);
    const timeoutMs = this.opts.timeoutMs ?? (interactive ? 300_000 : 60_000);
    this.runs++;
    const stdout = await new Promise<string>((resolve, reject) => {
      // stdin: the terminal only when interactive, else nothing (a plugin that reads it sees EOF); stderr: the user's.
      const child = spawn(command, this.exec.args ?? [], {
        env,
        stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'],
      });
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        child.stdout.destroy();
        reject(
          fail(
            `exec: executable ${command} did not finish within ${timeoutMs / 1000}s`,
            interactive
              ? undefined
              : 'the plugin may be waiting for input: it runs without stdin (interactiveMode Never, or no terminal)',
          ),
        );
      }, timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err.code === 'ENOENT')
          reject(fail(`exec: executable ${command} not found`, this.exec.installHint || NOT_INSTALLED));
        else reject(fail(`exec: fork/exec ${command}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(fail(`exec: executable ${command} failed with exit code ${code ?? -1}`));
      });
    });
    const credential = this.decode(stdout);
    this.cached = credential;
    return credential;
  }

  /** The plugin's ExecCredential, checked as client-go checks it, in its words. */
  decode(stdout: string): ExecCredential {
    let obj: { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
    try {
      obj = JSON.parse(stdout) as typeof obj;
      if (typeof obj !== 'object' || obj === null) throw new Error('not a JSON object');
    } catch (err) {
      throw fail(`decoding stdout: couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
    if (obj.apiVersion !== this.exec.apiVersion)
      throw fail(
        `exec plugin is configured to use API version ${this.exec.apiVersion}, plugin returned version ${String(obj.apiVersion ?? '')}`,
      );
    if (obj.kind !== 'ExecCredential') throw fail(`decoding stdout: unexpected kind "${String(obj.kind ?? '')}"`);
    const s = obj.status;
    if (!s || typeof s !== 'object') throw fail("exec plugin didn't return a status field");
    const str = (k: string) => (typeof s[k] === 'string' && s[k] !== '' ? s[k] : undefined);
    const token = str('token');
    const cert = str('clientCertificateData');
    const key = str('clientKeyData');
    if (!token && !cert && !key) throw fail("exec plugin didn't return a token or cert/key pair");
    if (!cert !== !key) throw fail('exec plugin returned only certificate or key, not both');
    if (cert && key) {
      try {
        createSecureContext({ cert, key });
      } catch (err) {
        throw fail(`failed parsing client key/certificate: ${(err as Error).message}`);
      }
    }
    const exp = str('expirationTimestamp');
    return {
      token,
      cert: cert ? Buffer.from(cert) : undefined,
      key: key ? Buffer.from(key) : undefined,
      expiresAt: exp ? Date.parse(exp) : undefined,
    };
  }
}
