/**
 * The renderer's only door to the lab backend (Netron's "host" pattern). Components and stores
 * call `host()`; they never touch `window.lab`. In Electron the preload's bridge is used; in
 * browser mode (served by bin/serve.mjs) an HTTP client implements the same `LabApi`:
 * `POST /api/<channel>` per call and one shared Server-Sent Events stream for the push events.
 */
import { fromIpcMessage, type WireError } from '../../shared/schema/wire';
import {
  bindLabMethods,
  isLabEventName,
  LAB_CHANNELS,
  LAB_METHODS,
  LAB_EVENTS,
  type LabApi,
  type LabChannel,
  type LabEventListener,
  type LabEventName,
} from '../../shared/lab-api';

/** Header the browser-mode server expects the access token in (see src/main/server/guard.ts). */
const TOKEN_HEADER = 'x-lab-token';
const TOKEN_KEY = 'sen-lab-token';

/** An error the server reported; `name` is the server-side error's name (e.g. 'LabValidationError'). */
export class LabRemoteError extends Error {
  readonly status: number;
  /** dotted path of the offending value when the server's validation named one ('training.epochs') */
  readonly field?: string;
  constructor(name: string, message: string, status: number, field?: string) {
    super(message);
    this.name = name;
    this.status = status;
    if (field) this.field = field;
  }
}

/**
 * The access token: from the page URL (`?token=...`, as printed by `npm run serve`), remembered
 * for this tab so it survives navigation within the app.
 */
export function readToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  try {
    if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return fromUrl ?? ''; // storage disabled: the URL is all there is
  }
}

export interface HttpHostOptions {
  /** origin + path prefix of the server; '' = the page's own origin */
  base?: string;
  /** default: readToken() */
  token?: string;
}

/** Why `saveFile` is not offered in browser mode (src/renderer/src/composables/use-export.ts downloads instead). */
export const BROWSER_SAVE_MESSAGE =
  'saveFile is only available in the desktop app; in the browser the file is downloaded instead';

/** Browser-mode client of the lab's HTTP API. */
export function createHttpHost(opts: HttpHostOptions = {}): LabApi {
  const base = opts.base ?? '';
  const token = opts.token ?? readToken();
  const events = new EventStream(`${base}/api/events?token=${encodeURIComponent(token)}`);
  return {
    ...bindLabMethods((channel, args) => call(base, token, channel, args)),
    // the server refuses it too (501); answering here spares uploading the file first
    saveFile: () => Promise.reject(new LabRemoteError('LabUnsupportedError', BROWSER_SAVE_MESSAGE, 501)),
    on: (event, listener) => events.on(event, listener),
  };
}

async function call(base: string, token: string, channel: LabChannel, args: unknown[]): Promise<unknown> {
  // JSON turns a trailing `undefined` argument into null, which the server's checks refuse
  const trimmed = args.slice();
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
  let res: Response;
  try {
    res = await fetch(`${base}/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ args: trimmed }),
      cache: 'no-store',
    });
  } catch (err) {
    throw new LabRemoteError(
      'NetworkError',
      `the SEN Lab server is not reachable (${(err as Error).message}); is it still running?`,
      0,
    );
  }
  let body: { ok?: boolean; result?: unknown; error?: Partial<WireError> };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new LabRemoteError(
      'ProtocolError',
      `${channel}: the server answered ${res.status} without a JSON body`,
      res.status,
    );
  }
  if (res.ok && body.ok) return body.result;
  const e = body.error ?? {};
  throw new LabRemoteError(
    e.name ?? 'Error',
    e.message ?? `${channel} failed (HTTP ${res.status})`,
    res.status,
    e.field,
  );
}

/**
 * One EventSource for all subscriptions, opened on the first `on` and closed with the last
 * unsubscribe. EventSource retries dropped connections by itself, but gives up for good when a
 * (re)connect is answered with an error status (server restarted, token refused); then a new one
 * is opened after a growing delay (1 s .. 30 s).
 */
class EventStream {
  private source: EventSource | null = null;
  private readonly listeners = new Map<LabEventName, Set<(payload: never) => void>>();
  private retryMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly url: string) {}

  on<E extends LabEventName>(event: E, listener: LabEventListener<E>): () => void {
    if (!isLabEventName(event)) throw new Error(`unknown lab event: ${String(event)}`);
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    this.open();
    return () => {
      set.delete(listener);
      if ([...this.listeners.values()].every((s) => s.size === 0)) this.shut();
    };
  }

  private open(): void {
    if (this.source || this.retryTimer) return;
    const source = new EventSource(this.url);
    this.source = source;
    source.onopen = () => (this.retryMs = 1000);
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) return; // the browser is retrying on its own
      this.source = null;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.listeners.size > 0) this.open();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
    for (const name of LAB_EVENTS)
      source.addEventListener(name, (e) => this.dispatch(name, (e as MessageEvent<string>).data));
  }

  private dispatch(name: LabEventName, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      console.error(`SEN Lab: malformed '${name}' event`, data);
      return;
    }
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (err) {
        console.error(`SEN Lab: a '${name}' listener failed`, err); // the others still get the event
      }
    }
  }

  private shut(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.source?.close();
    this.source = null;
    this.listeners.clear();
  }
}

let current: LabApi | undefined;

/** The lab: Electron's bridge when present, else the browser-mode HTTP client. */
export function host(): LabApi {
  current ??= window.lab ? electronHost(window.lab) : createHttpHost();
  return current;
}

/** The preload's bridge, its rejections turned back into errors with name and field (see shared/schema/wire.ts). */
function electronHost(bridge: LabApi): LabApi {
  const methods = bindLabMethods(async (channel, args) => {
    const method = LAB_METHODS.find((m) => LAB_CHANNELS[m] === channel)!;
    try {
      return await (bridge[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (err) {
      const wire = err instanceof Error ? fromIpcMessage(err.message) : undefined;
      throw wire ? new LabRemoteError(wire.name, wire.message, 0, wire.field) : err;
    }
  });
  return { ...methods, on: bridge.on };
}

export type HostKind = 'electron' | 'browser';
export const hostKind = (): HostKind => (window.lab ? 'electron' : 'browser');
