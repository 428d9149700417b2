// An https.Agent whose connections go through an HTTP(S) proxy by CONNECT, for the WebSocket of exec in a pod
// (the ws library takes an Agent, not an undici dispatcher). The TLS to the API server runs inside the tunnel.
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export class TunnelAgent extends Agent {
  private readonly proxy: URL;

  constructor(proxy: URL, options: AgentOptions) {
    super(options);
    this.proxy = proxy;
  }

  override createConnection(
    requestOptions: RequestOptions,
    done?: (err: Error | null, socket: Duplex) => void,
  ): Duplex | undefined {
    const options = requestOptions as ConnectionOptions & { host?: string; port?: number };
    const target = `${options.host ?? 'localhost'}:${options.port ?? 443}`;
    const auth = this.proxy.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`
      : undefined;
    const req = (this.proxy.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: this.proxy.hostname.replace(/^\[|\]$/g, ''),
      port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        done?.(new Error(`proxyconnect tcp: the proxy answered CONNECT ${target} with ${res.statusCode}`), socket);
        return;
      }
      done?.(null, tlsConnect({ ...options, socket }));
    });
    req.once('error', (err) => done?.(err, req.socket!));
    req.end();
    return undefined;
  }
}
