// Which proxy a request takes, as kubectl decides it: the cluster's proxy-url if set, else Go's
// http.ProxyFromEnvironment (golang.org/x/net/http/httpproxy): HTTPS_PROXY for https, HTTP_PROXY for http (upper
// case first), never for localhost or a loopback address, and not for hosts NO_PROXY lists.
import { BlockList, isIP } from 'node:net';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };

const env1 = (env: NodeJS.ProcessEnv, ...names: string[]): string => {
  for (const n of names) if (env[n]) return env[n];
  return '';
};

/** Go's parseProxy: a bare host:port means http://host:port. */
export function parseProxy(value: string): URL | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    if (u.host && /^[a-z][a-z0-9+.-]*:$/i.test(u.protocol)) return u;
  } catch {
    // not a URL: tried with http:// below
  }
  try {
    return new URL(`http://${value}`);
  } catch {
    return undefined;
  }
}

const unbracket = (h: string) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

function isLoopback(ip: string): boolean {
  if (isIP(ip) === 4) return ip.startsWith('127.');
  return ip === '::1' || /^::ffff:127\./i.test(ip);
}

/** Whether NO_PROXY keeps this host:port away from the proxy. */
export function bypassesProxy(hostname: string, port: string, noProxy: string): boolean {
  const host = unbracket(hostname.toLowerCase().trim());
  const ipFamily = isIP(host);
  for (const raw of noProxy.split(',')) {
    const p = raw.toLowerCase().trim();
    if (!p) continue;
    if (p === '*') return true;
    const cidr = /^(.+)\/(\d+)$/.exec(p);
    if (cidr && isIP(cidr[1]!)) {
      if (ipFamily) {
        const list = new BlockList();
        const family = isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4';
        list.addSubnet(cidr[1]!, Number(cidr[2]), family);
        if (list.check(host, ipFamily === 6 ? 'ipv6' : 'ipv4')) return true;
      }
      continue;
    }
    // host:port, [v6]:port, or a bare host / IP
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(p);
    let phost = withPort ? unbracket(withPort[1]!) : p;
    const pport = withPort ? withPort[2]! : '';
    if (!phost) continue;
    if (isIP(phost)) {
      if (ipFamily && phost === host && (!pport || pport === port)) return true;
      continue;
    }
    if (ipFamily) continue; // a domain entry never matches an IP address
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    if ((host.endsWith(phost) || (matchHost && host === phost.slice(1))) && (!pport || pport === port)) return true;
  }
  return false;
}

/** The proxy for a request to this server, or undefined to connect directly. */
export function proxyFor(server: string, proxyUrl: string | undefined, env: NodeJS.ProcessEnv): URL | undefined {
  if (proxyUrl) return new URL(proxyUrl);
  const target = new URL(server);
  const value =
    target.protocol === 'https:'
      ? env1(env, 'HTTPS_PROXY', 'https_proxy')
      : target.protocol === 'http:' && !env.REQUEST_METHOD
        ? env1(env, 'HTTP_PROXY', 'http_proxy')
        : '';
  const proxy = parseProxy(value);
  if (!proxy) return undefined;
  const host = unbracket(target.hostname);
  if (host === 'localhost' || (isIP(host) && isLoopback(host))) return undefined;
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  return bypassesProxy(host, port, env1(env, 'NO_PROXY', 'no_proxy')) ? undefined : proxy;
}
