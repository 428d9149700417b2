// What every request to the API server carries, from one resolved kubeconfig context: the credential (a token
// re-read from its file every minute, an exec plugin's result), the impersonation headers, and one connection pool
// with the TLS material and the proxy kubectl would use. A rotated client certificate from a plugin replaces the
// pool, so that new connections present it (client-go closes its connections for the same reason).
import type { ClientOptions as WebSocketOptions } from 'ws';
import { Agent, Pool, ProxyAgent, Socks5ProxyAgent, type Dispatcher } from 'undici';
import { CliError } from '../errors.ts';
import { ExecCredentialPlugin, type ExecCredential } from './exec-credential.ts';
import { readTokenFile, type Connection } from './kubeconfig-connection.ts';
import { proxyFor } from './proxy-env.ts';
import { TunnelAgent } from './tunnel-agent.ts';

/** client-go's CachedFileTokenSource period. */
const TOKEN_FILE_REREAD_MS = 60_000;

export interface Prepared {
  /** Authorization and User-Agent (the impersonation headers are added by the pool, one line per value). */
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  /** The plugin's credential this request carries, for a 401 to retire. */
  exec: ExecCredential | undefined;
}

type Tls = { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string; rejectUnauthorized: boolean };

export class Transport {
  readonly conn: Connection;
  readonly proxy: URL | undefined;
  private readonly plugin: ExecCredentialPlugin | undefined;
  private fileToken: { token: string; readAt: number } | undefined;
  private pool: { dispatcher: Dispatcher; cert: Buffer | undefined } | undefined;

  constructor(conn: Connection, env: NodeJS.ProcessEnv = process.env) {
    this.conn = conn;
    this.proxy = proxyFor(conn.server, conn.proxyUrl, env);
    const c = conn.credential;
    this.plugin = c.kind === 'exec' ? new ExecCredentialPlugin(c.exec, c.cluster, { env }) : undefined;
    if (c.kind === 'token' && c.file) this.fileToken = { token: c.token, readAt: Date.now() };
  }

  /** The headers and the pool for one request; runs the exec plugin when it has no valid credential. */
  async prepare(): Promise<Prepared> {
    const exec = await this.plugin?.get();
    const headers: Record<string, string> = { 'User-Agent': `kubectl-sts_lab/${__VERSION__}` };
    const auth = this.authorization(exec);
    if (auth) headers['Authorization'] = auth;
    return { headers, dispatcher: this.dispatcher(exec?.cert ? exec : undefined), exec };
  }

  /** After a 401: whether a fresh credential is worth one more try (a plugin run again, a token file re-read). */
  async unauthorized(p: Prepared): Promise<boolean> {
    if (this.plugin && p.exec) {
      const fresh = await this.plugin.refresh(p.exec);
      return fresh !== p.exec;
    }
    if (this.fileToken) {
      const before = this.fileToken.token;
      this.fileToken.readAt = 0;
      return this.authorization(undefined) !== `Bearer ${before}`;
    }
    return false;
  }

  private authorization(exec: ExecCredential | undefined): string | undefined {
    const c = this.conn.credential;
    switch (c.kind) {
      case 'token':
        return `Bearer ${this.tokenNow(c.token)}`;
      case 'basic':
        return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
      case 'oidc':
        return `Bearer ${c.idToken}`;
      case 'exec':
        return exec?.token ? `Bearer ${exec.token}` : undefined;
      default:
        return undefined;
    }
  }

  /** The token file's content, re-read once a minute; the last good one (or the inline token) if it cannot be read. */
  private tokenNow(inline: string): string {
    const f = this.fileToken;
    const c = this.conn.credential;
    if (!f || c.kind !== 'token' || !c.file) return inline;
    if (Date.now() - f.readAt >= TOKEN_FILE_REREAD_MS) {
      try {
        const token = readTokenFile(c.file);
        if (token) f.token = token;
      } catch {
        // client-go keeps the token it has when the file cannot be read
      }
      f.readAt = Date.now();
    }
    return f.token;
  }

  private tls(exec: ExecCredential | undefined): Tls {
    const { ca, servername, insecure } = this.conn;
    const cert = exec?.cert ?? this.conn.cert;
    const key = exec?.key ?? this.conn.key;
    return {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(servername ? { servername } : {}),
      rejectUnauthorized: !insecure,
    };
  }

  /** The kept pool, or a new one when the plugin's client certificate changed. */
  private dispatcher(exec: ExecCredential | undefined): Dispatcher {
    const cert = exec?.cert;
    if (this.pool && (!cert || this.pool.cert?.equals(cert))) return this.pool.dispatcher;
    const old = this.pool?.dispatcher;
    this.pool = { dispatcher: this.newDispatcher(this.tls(exec)), cert };
    void old?.close().catch(() => undefined); // open requests (watches) finish on it; no new ones start there
    return this.pool.dispatcher;
  }

  private newDispatcher(tls: Tls): Dispatcher {
    // undici's default of 60 s races cloud load balancers' idle timeouts; client-go uses 30 s.
    const connect = { keepAlive: true, keepAliveInitialDelay: 30_000 };
    const extra = this.staticHeaders();
    // undici's HTTP/2 joins repeated headers into one ("a, b"), which the API server reads as one group.
    const names = extra.map(([k]) => k.toLowerCase());
    const allowH2 = new Set(names).size === names.length;
    const inject: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
      dispatch({ ...opts, headers: withHeaders(opts.headers, extra) }, handler);
    // Added on each origin's pool (again: withHeaders replaces its names): ProxyAgent rebuilds the headers as an
    // object, one value per name, before they reach it.
    const factory = (origin: string | URL, opts: object) => new Pool(origin, opts).compose(inject);
    const p = this.proxy;
    if (p?.protocol === 'socks5:')
      return quietly(() => new Socks5ProxyAgent(p.href, { requestTls: tls })).compose(inject);
    // Also outside: a plain-http server behind a proxy is sent to the proxy's own client, not to a pool.
    if (p)
      return new ProxyAgent({ uri: p.href, requestTls: { ...tls, allowH2 }, connect, allowH2, factory }).compose(
        inject,
      );
    return new Agent({ connect: { ...tls, ...connect }, allowH2, factory });
  }

  /** Impersonation (a name may repeat: one header line per group) and, with disable-compression, no gzip. */
  private staticHeaders(): [string, string][] {
    const h = [...this.conn.impersonation];
    if (this.conn.disableCompression) h.push(['Accept-Encoding', 'identity']);
    return h;
  }

  /** The same credentials, TLS and proxy for the ws library (exec in a pod). */
  async applyToWebSocket(opts: WebSocketOptions): Promise<void> {
    const p = await this.prepare();
    const headers: Record<string, string | string[]> = { ...p.headers };
    for (const [k, v] of this.staticHeaders()) {
      const prev = headers[k];
      headers[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    // ws hands them to http.request, where an array value is one header line each.
    opts.headers = headers as Record<string, string>;
    const tls = this.tls(p.exec?.cert ? p.exec : undefined);
    Object.assign(opts, tls);
    if (this.proxy?.protocol === 'socks5:')
      throw new CliError('exec in a pod through a socks5 proxy-url is not supported; use an http or https proxy');
    if (this.proxy) opts.agent = new TunnelAgent(this.proxy, { ...tls, keepAlive: false });
  }
}

/** Adds header pairs to undici's dispatch headers (an object, a flat array, or an iterable of pairs). */
export function withHeaders(headers: Dispatcher.DispatchOptions['headers'], extra: [string, string][]): string[] {
  const flat: string[] = [];
  if (Array.isArray(headers)) flat.push(...headers.flat());
  else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function')
    for (const [k, v] of headers as Iterable<[string, string | string[]]>)
      for (const one of Array.isArray(v) ? v : [v]) flat.push(k, one);
  else if (headers)
    for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>))
      if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) flat.push(k, one);
  const replaced = new Set(extra.map(([k]) => k.toLowerCase()));
  const kept: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2)
    if (!replaced.has(flat[i]!.toLowerCase())) kept.push(flat[i]!, flat[i + 1]!);
  for (const [k, v] of extra) kept.push(k, v);
  return kept;
}

/** undici's SOCKS5 agent announces itself as experimental on stderr; sts-lab's output stays its own. */
function quietly<T>(make: () => T): T {
  const own = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  process.emitWarning = () => undefined;
  try {
    return make();
  } finally {
    if (own) Object.defineProperty(process, 'emitWarning', own);
    else Reflect.deleteProperty(process, 'emitWarning');
  }
}
