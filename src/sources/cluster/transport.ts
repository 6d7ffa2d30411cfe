// HTTP(S) requests to the API server with the kubeconfig's credentials and TLS settings, a
// per-request time limit, and failures sorted into the statuses of cli.md §8.1.
//
// client-node supplies the credentials (tokens, client certificates, exec and auth-provider
// plugins) through KubeConfig.applyToHTTPSOptions; the requests themselves are made here with
// node:http(s) and one keep-alive agent, so that thousands of node-proxy requests reuse their
// connections, bodies stay raw JSON (no model classes, no Date objects), and paths are sent as
// written (client-node's connectGetNodeProxyWithPath would send metrics%2Fcadvisor).

import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { SourceStatusValue } from '../../schema/common.js';

/** Why a request did not give a usable answer. */
export interface Failure {
  readonly status: Exclude<SourceStatusValue, 'ok' | 'absent'>;
  readonly httpStatus: number | null;
  /** "forbidden (403)", "timeout after 30s", "connect ECONNREFUSED", … */
  readonly why: string;
  /** no connection to the API server at all (refused, DNS, TLS) */
  readonly unreachable: boolean;
}

export interface Response {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface RequestSpec {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  /** path and query, as sent */
  readonly path: string;
  readonly accept?: string;
  readonly body?: string;
}

export interface TransportOptions {
  /** per request, body included; 0 = no limit */
  readonly timeoutMs: number;
  /** parallel connections (the node concurrency plus room for the pod list) */
  readonly maxSockets?: number;
  /** one line per request (--debug) */
  readonly log?: (line: string) => void;
}

/** Thrown by Transport.request when no HTTP answer arrived (or it was cut off). */
export class TransportError extends Error {
  constructor(
    readonly failure: Failure,
    options?: { cause?: unknown },
  ) {
    super(failure.why, options);
  }
}

const HTTP_WHY: Readonly<Record<number, string>> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  406: 'not acceptable',
  410: 'gone',
  415: 'unsupported media type',
  422: 'unprocessable entity',
  429: 'too many requests',
  500: 'internal server error',
  501: 'not implemented',
  502: 'bad gateway',
  503: 'unavailable',
  504: 'gateway timeout',
};

/** The failure of an HTTP answer that is not 2xx (the body is never looked at). */
export function httpFailure(code: number): Failure {
  const why = `${HTTP_WHY[code] ?? (code >= 500 ? 'server error' : 'error')} (${code})`;
  const status: Failure['status'] =
    code === 401 || code === 403 ? 'forbidden' : code === 404 ? 'not-found' : 'unavailable';
  return { status, httpStatus: code, why, unreachable: false };
}

/** A Go-style duration for messages: 30s, 1m30s, 1.5s, 250ms. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  return h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** A connection-level error: "connect ECONNREFUSED", "getaddrinfo ENOTFOUND", "tls: …". */
function connectionFailure(e: unknown): Failure {
  const err = e as { code?: string; syscall?: string; message?: string };
  const code = err.code ?? '';
  let why: string;
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    why = `tls: ${(err.message ?? code).toLowerCase().replace(/\.$/, '')}`;
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    why = 'connection reset';
  } else if (err.syscall !== undefined && code !== '') {
    why = `${err.syscall} ${code}`;
  } else {
    why = (err.message ?? String(e)).split('\n', 1)[0]?.toLowerCase() ?? 'connection failed';
  }
  return {
    status: 'unavailable',
    httpStatus: null,
    why,
    unreachable: code !== 'ECONNRESET' && code !== 'EPIPE',
  };
}

class Timeout extends Error {}

/** How long auth headers from client-node are reused before asking it again (exec plugins cache). */
const AUTH_REFRESH_MS = 10_000;

export class Transport {
  private agent: HttpAgent | null = null;
  private auth: { at: number; headers: OutgoingHttpHeaders } | null = null;
  private readonly https: boolean;

  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
    private readonly opts: TransportOptions,
  ) {
    this.https = server.startsWith('https:');
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  private async credentials(): Promise<{ headers: OutgoingHttpHeaders }> {
    const now = Date.now();
    if (this.auth !== null && now - this.auth.at < AUTH_REFRESH_MS) return this.auth;
    const o: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(o);
    // client-node writes headers as a record (RequestOptions also allows a raw header list)
    const headers: OutgoingHttpHeaders = {};
    if (o.headers !== undefined && !Array.isArray(o.headers)) Object.assign(headers, o.headers);
    if (typeof o.auth === 'string' && o.auth !== '') {
      headers.authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    }
    if (this.agent === null) {
      const proxied = this.kc.getCurrentCluster()?.proxyUrl;
      if (proxied !== undefined && proxied !== '' && o.agent instanceof HttpAgent) {
        // kubeconfig proxy-url: client-node's proxy agent
        this.agent = o.agent;
      } else {
        const common = { keepAlive: true, maxSockets: this.opts.maxSockets ?? 16 };
        this.agent = this.https
          ? new HttpsAgent({
              ...common,
              ca: o.ca,
              cert: o.cert,
              key: o.key,
              pfx: o.pfx,
              passphrase: o.passphrase,
              servername: o.servername,
              rejectUnauthorized: o.rejectUnauthorized ?? true,
            })
          : new HttpAgent(common);
      }
    }
    this.auth = { at: now, headers };
    return this.auth;
  }

  /** One request; resolves with any HTTP answer, rejects with TransportError otherwise. */
  async request(spec: RequestSpec): Promise<Response> {
    let creds: { headers: OutgoingHttpHeaders };
    try {
      creds = await this.credentials();
    } catch (e) {
      throw new TransportError(
        {
          status: 'forbidden',
          httpStatus: null,
          why: `cannot get credentials: ${firstLine(e)}`,
          unreachable: true,
        },
        { cause: e },
      );
    }
    const url = new URL(this.server + spec.path);
    const headers: OutgoingHttpHeaders = {
      ...creds.headers,
      accept: spec.accept ?? 'application/json',
      'user-agent': 'kubectl-podres',
    };
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(spec.body);
    }
    const started = Date.now();
    const method = spec.method ?? 'GET';
    try {
      const res = await this.send(url, method, headers, spec.body);
      this.opts.log?.(`${method} ${url.href} ${res.status} ${Date.now() - started}ms`);
      return res;
    } catch (e) {
      const failure =
        e instanceof Timeout
          ? {
              status: 'timeout' as const,
              httpStatus: null,
              why: `timeout after ${formatDuration(this.opts.timeoutMs)}`,
              unreachable: false,
            }
          : connectionFailure(e);
      this.opts.log?.(`${method} ${url.href} failed after ${Date.now() - started}ms: ${failure.why}`);
      throw new TransportError(failure, { cause: e });
    }
  }

  private send(
    url: URL,
    method: string,
    headers: OutgoingHttpHeaders,
    body: string | undefined,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const fail = (e: unknown): void => {
        clearTimeout(timer);
        // Node's system errors (code, syscall) as they are: `instanceof Error` fails across realms
        reject(timedOut ? new Timeout('timeout') : (e as Error));
      };
      const req = (this.https ? httpsRequest : httpRequest)(
        url,
        { method, headers, agent: this.agent ?? undefined },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'] ?? '',
              body: Buffer.concat(chunks),
            });
          });
          res.on('error', fail);
          res.on('aborted', () => {
            fail(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
          });
        },
      );
      const timer =
        this.opts.timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              req.destroy(new Timeout('timeout'));
            }, this.opts.timeoutMs)
          : undefined;
      req.on('error', fail);
      req.end(body);
    });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent?.destroy();
    this.agent = null;
  }
}

function firstLine(e: unknown): string {
  return ((e instanceof Error ? e.message : String(e)).split('\n', 1)[0] ?? '').toLowerCase();
}
