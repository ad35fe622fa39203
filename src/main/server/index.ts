/**
 * Browser mode: the lab over plain `node:http` on the loopback interface. Serves the built
 * renderer and the contract (`POST /api/<channel>`, events at `GET /api/events`) to one user:
 * whoever has the token printed at start. See ./guard.ts for the checks every request passes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createLabHandlers } from '../ipc/handlers';
import type { LabService } from '../services/lab-service';
import { handleApiCall } from './api';
import { allowedHosts, checkHost, checkOrigin, newToken, requestToken, tokenMatches } from './guard';
import { sendJson, sendText, setSecurityHeaders } from './http-util';
import { SseHub } from './sse';
import { serveStatic } from './static';

/** Loopback names browser mode may listen on. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];

export interface LabServerOptions {
  service: LabService;
  /** folder of the built renderer (index.html + assets) */
  rendererDir: string;
  /** default 127.0.0.1 */
  host?: LoopbackHost;
  /** 0 picks a free port */
  port: number;
  /** default: a fresh random token */
  token?: string;
  /** SSE keep-alive comment interval (default 15 s) */
  keepAliveMs?: number;
  /** limits against slow or greedy clients (defaults: SERVER_LIMITS) */
  limits?: Partial<ServerLimits>;
}

/** How long a client may take and how many connections it may hold. */
export interface ServerLimits {
  /** all request headers must arrive within this (ms) */
  headersTimeoutMs: number;
  /** the whole request (headers and body) must arrive within this (ms); event streams are responses, not limited */
  requestTimeoutMs: number;
  /** idle keep-alive connections close after this (ms) */
  keepAliveTimeoutMs: number;
  /** open connections at most (one user, a few tabs: event streams, parallel calls) */
  maxConnections: number;
  /** how often Node checks the two timeouts above (ms) */
  checkIntervalMs: number;
}

export const SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 64,
  checkIntervalMs: 1_000,
};

export interface LabServer {
  /** the page to open, token included: `http://127.0.0.1:PORT/?token=...#/` */
  url: string;
  port: number;
  token: string;
  /** ends event streams and stops listening; the service stays open (its owner closes it) */
  close(): Promise<void>;
}

/**
 * Starts listening. Rejects with the listen error (e.g. code 'EADDRINUSE') when the port is taken.
 */
export async function startLabServer(opts: LabServerOptions): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const rendererDir = resolve(opts.rendererDir);
  const handlers = createLabHandlers(opts.service);
  const hub = new SseHub(opts.keepAliveMs);
  let hosts: ReadonlySet<string> = new Set();

  const limits = { ...SERVER_LIMITS, ...opts.limits };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        console.error('SEN Lab: request failed:', err);
        if (!res.headersSent) sendText(res, 500, 'internal error');
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    // only the path is used; the Host header is checked before anything is answered
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    const refuse = (status: number, name: string, message: string): void =>
      isApi ? sendJson(res, status, { ok: false, error: { name, message } }) : sendText(res, status, message);
    const hostHeader = checkHost(req, hosts);
    if (hostHeader === null) return refuse(403, 'Forbidden', 'forbidden: unexpected Host header');
    if (!checkOrigin(req, hostHeader)) return refuse(403, 'Forbidden', 'forbidden: cross-origin request');
    if (!isApi) return serveStatic(req, res, rendererDir, url.pathname);
    if (!tokenMatches(requestToken(req, url), token)) {
      return refuse(
        401,
        'Unauthorized',
        'missing or wrong access token: open the URL that `npm run serve` printed (it carries the token)',
      );
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return refuse(405, 'MethodNotAllowed', '/api/events: use GET');
      return hub.add(req, res);
    }
    return handleApiCall(req, res, url.pathname.slice('/api/'.length), handlers);
  }

  const unsubscribe = opts.service.onAny((event, payload) => hub.broadcast(event, payload));
  try {
    await listen(server, opts.port, host);
  } catch (err) {
    unsubscribe();
    hub.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);
  const urlHost = host === '::1' ? '[::1]' : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token}#/`,
    port,
    token,
    close: () => {
      unsubscribe();
      hub.close();
      return new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections(); // idle keep-alive sockets would hold close() open
      });
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
}
