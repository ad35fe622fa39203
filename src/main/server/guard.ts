/**
 * Who may talk to the browser-mode server. It listens on loopback only, but any web page the
 * user opens can still send requests to 127.0.0.1, so every request is checked:
 *   - Host must name this server (a DNS-rebinding page reaches us under its own host name),
 *   - Origin, when sent, must be this server's own origin (cross-site fetches and forms),
 *   - API calls must carry the random per-process token from the printed URL.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Header carrying the token on API calls; EventSource cannot set headers, so `?token=` works too. */
export const TOKEN_HEADER = 'x-lab-token';

/** A fresh 192-bit token, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The Host header values this server answers to. */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Host is one of ours; returns the normalised value (lower case) or null. */
export function checkHost(req: IncomingMessage, hosts: ReadonlySet<string>): string | null {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && hosts.has(host) ? host : null;
}

/** No Origin (same-origin GETs, curl) is fine; otherwise it must be the page's own origin. */
export function checkOrigin(req: IncomingMessage, host: string): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin.toLowerCase() === `http://${host}`;
}

/** The token sent with a request (header first, then the query string), or null. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  return url.searchParams.get('token');
}

/** Constant-time comparison, so response timing reveals nothing about the token. */
export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
