// Every failure from the API or the network becomes one line in kubectl's words.
import { ApiException } from '@kubernetes/client-node';
import { CliError, InterruptedError } from '../errors.ts';

interface StatusBody {
  message?: string;
  reason?: string;
}

function statusOf(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body.trim() };
    }
  }
  return body ?? {};
}

export function httpCode(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  if (err instanceof CliError) return err.status;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.code === 'number' ? e.code : undefined;
}

export const isNotFound = (err: unknown): boolean => httpCode(err) === 404;
export const isConflict = (err: unknown): boolean => httpCode(err) === 409;
export const isForbidden = (err: unknown): boolean => httpCode(err) === 403;

/** A read these credentials may not make answers undefined (the caller says what that means); others throw. */
export async function unlessForbidden<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isForbidden(err)) return undefined;
    throw err;
  }
}

// OpenSSL's verification codes as Go's crypto/x509 words them (what kubectl prints).
const UNKNOWN_AUTHORITY = 'x509: certificate signed by unknown authority';
const X509_WORDS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNKNOWN_AUTHORITY,
  UNABLE_TO_GET_ISSUER_CERT: UNKNOWN_AUTHORITY,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNKNOWN_AUTHORITY,
  SELF_SIGNED_CERT_IN_CHAIN: UNKNOWN_AUTHORITY,
  DEPTH_ZERO_SELF_SIGNED_CERT: UNKNOWN_AUTHORITY,
  CERT_UNTRUSTED: UNKNOWN_AUTHORITY,
  CERT_HAS_EXPIRED: 'x509: certificate has expired or is not yet valid',
  CERT_NOT_YET_VALID: 'x509: certificate has expired or is not yet valid',
  CERT_SIGNATURE_FAILURE: 'x509: certificate signature is invalid',
  CERT_REVOKED: 'x509: certificate has been revoked',
};

/** Go's "x509: certificate is valid for A, B, not C" from Node's altname error. */
function altnameWords(cause: { host?: string; cert?: { subjectaltname?: string } }, host: string): string {
  const names = (cause.cert?.subjectaltname ?? '')
    .split(',')
    .map((n) => n.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return `x509: certificate is valid for ${names.join(', ') || 'other names'}, not ${cause.host ?? host.split(':')[0]}`;
}

/** The innermost Node system error behind undici's "fetch failed" and friends. */
function rootCause(err: unknown): {
  code?: string;
  message?: string;
  host?: string;
  cert?: { subjectaltname?: string };
} {
  let e = err as { cause?: unknown; code?: string; message?: string } | undefined;
  for (let i = 0; i < 5 && e?.cause; i++) e = e.cause;
  return e ?? {};
}

export function describeApiError(err: unknown, server: string): string {
  if (err instanceof ApiException) {
    const status = statusOf(err.body);
    if (err.code === 401) return 'You must be logged in to the server (Unauthorized)';
    if (err.code >= 400 && err.code < 500 && status.message) return status.message;
    return `Error from server (${status.reason ?? `HTTP ${err.code}`}): ${status.message ?? 'no details'}`;
  }
  const host = hostOf(server);
  const cause = rootCause(err);
  switch (cause.code ?? '') {
    case 'ECONNREFUSED':
      return `The connection to the server ${host} was refused - did you specify the right host or port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Unable to connect to the server: dial tcp: lookup ${host.split(':')[0]}: no such host`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `Unable to connect to the server: dial tcp ${host}: i/o timeout`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `Unable to connect to the server ${host}: connection reset by peer`;
  }
  const x509 =
    cause.code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? altnameWords(cause, host) : cause.code && X509_WORDS[cause.code];
  if (x509) return `Unable to connect to the server: tls: failed to verify certificate: ${x509}`;
  const msg = (err as Error)?.message ?? String(err);
  return `Unable to connect to the server ${host}: ${cause.message ?? msg}`;
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

/**
 * The error to throw for a failed API call: Ctrl-C stays an interruption, a spent
 * --request-timeout says so, and everything else is a kubectl-style one-liner.
 */
export function toCliError(err: unknown, server: string, interrupt: AbortSignal, requestTimeoutMs: number): Error {
  if (err instanceof CliError || err instanceof InterruptedError) return err;
  if (interrupt.aborted) return new InterruptedError();
  const name = (err as Error)?.name;
  if (name === 'TimeoutError' || (name === 'AbortError' && requestTimeoutMs > 0)) {
    return new CliError(
      `the server ${hostOf(server)} did not answer within ${requestTimeoutMs / 1000}s (--request-timeout)`,
    );
  }
  return new CliError(describeApiError(err, server), undefined, httpCode(err), err);
}
