/**
 * Server-Sent Events for the contract's push events: `GET /api/events?token=...`, one
 * `event: <name>` / `data: <json>` block per event, a comment every 15 s so proxies and idle
 * timeouts never close a quiet stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LabEventName, LabEvents } from '../../shared/lab-api';

/**
 * Live-only events a slow client can miss without harm (the next one supersedes them). They are
 * skipped for a client whose socket buffer is still full, so a stalled tab cannot make the
 * server buffer positions without bound.
 */
const DROPPABLE: ReadonlySet<LabEventName> = new Set(['run/progress', 'run/positions']);

/** Every open event stream. */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly timer: NodeJS.Timeout;

  constructor(keepAliveMs = 15_000) {
    this.timer = setInterval(() => this.writeAll(': keep-alive\n\n'), keepAliveMs);
    this.timer.unref();
  }

  /** Turns a request into an event stream until the client goes away or the hub closes. */
  add(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // no proxy buffering (harmless without a proxy)
      'X-Accel-Buffering': 'no',
    });
    // reconnect after 2 s when the connection drops (EventSource's own retry)
    res.write('retry: 2000\n: connected\n\n');
    this.clients.add(res);
    req.socket.setNoDelay(true);
    const remove = (): void => void this.clients.delete(res);
    req.on('close', remove);
    res.on('error', remove);
  }

  /** Sends one event to every stream. */
  broadcast<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    if (this.clients.size === 0) return;
    // JSON.stringify escapes newlines inside strings, so one data line always suffices
    const block = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of this.clients) {
      if (DROPPABLE.has(event) && res.writableNeedDrain) continue;
      res.write(block);
    }
  }

  /** Number of open streams (for tests and diagnostics). */
  get size(): number {
    return this.clients.size;
  }

  /** Ends every stream and stops the keep-alive timer. */
  close(): void {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private writeAll(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}
