/**
 * The one typed contract between the main process (or, later, the browser-mode server) and the
 * renderer. Exposed to the renderer as `window.lab` by the preload.
 *
 * Adding a request/response method:
 *   1. add it to `LabMethods` (must return a Promise of structured-clonable data),
 *   2. add its channel to `LAB_CHANNELS` (the compiler insists, `domain/action` naming),
 *   3. implement it with an argument validator in `src/main/ipc/<domain>.ts` (the compiler insists).
 * The preload and the renderer's host pick it up from `LAB_CHANNELS` without changes.
 *
 * Adding a main -> renderer event: add it to `LabEvents` and `LAB_EVENTS`, push it with
 * `sendLabEvent` (src/main/ipc/events.ts), listen with `host.on(name, listener)`.
 */

export interface VersionInfo {
  app: string;
  /** null when not running inside Electron (browser mode) */
  electron: string | null;
  node: string;
}

export interface PresetSummary {
  name: string;
  description: string;
}

/** Request/response methods (renderer -> main). */
export interface LabMethods {
  getVersion(): Promise<VersionInfo>;
  listPresets(): Promise<PresetSummary[]>;
}

/** Channel name `domain/action` */
export type ChannelName = `${string}/${string}`;

/** Method -> IPC channel. `satisfies` makes a missing or extra method a compile error. */
export const LAB_CHANNELS = {
  getVersion: 'app/getVersion',
  listPresets: 'presets/list',
} as const satisfies { readonly [M in keyof LabMethods]: ChannelName };

export type LabMethod = keyof LabMethods;
export type LabChannel = (typeof LAB_CHANNELS)[LabMethod];
export type LabArgs<M extends LabMethod> = Parameters<LabMethods[M]>;
export type LabResult<M extends LabMethod> = Awaited<ReturnType<LabMethods[M]>>;

export const LAB_METHODS = Object.keys(LAB_CHANNELS) as LabMethod[];

/** Sends one call over some transport (IPC in the preload, HTTP in browser mode). */
export type LabTransport = (channel: LabChannel, args: unknown[]) => Promise<unknown>;

/** Builds every `LabMethods` method from `LAB_CHANNELS` on top of a transport. */
export function bindLabMethods(transport: LabTransport): LabMethods {
  const entries = LAB_METHODS.map((method) => {
    const channel = LAB_CHANNELS[method];
    return [method, (...args: unknown[]) => transport(channel, args)] as const;
  });
  // The one cast: result types are guaranteed by the server side (see src/main/ipc/types.ts).
  return Object.fromEntries(entries) as unknown as LabMethods;
}

/** Placeholder payload for training progress pushes; filled in with the trainer UI. */
export interface RunProgressEvent {
  runId: string;
  epoch: number;
  /** batches done in this epoch / batches per epoch, 0..1 */
  fraction: number;
  loss?: number;
}

/** Push events (main -> renderer): event name -> payload. */
export interface LabEvents {
  'run/progress': RunProgressEvent;
}

export type LabEventName = keyof LabEvents;
export type LabEventListener<E extends LabEventName> = (payload: LabEvents[E]) => void;
export type Unsubscribe = () => void;

/** Every event name once; `satisfies` makes a missing or extra event a compile error. */
const EVENT_NAMES = { 'run/progress': true } as const satisfies { readonly [E in LabEventName]: true };
export const LAB_EVENTS = Object.keys(EVENT_NAMES) as LabEventName[];

export function isLabEventName(name: unknown): name is LabEventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_NAMES, name);
}

/** What the renderer sees: the methods plus event subscription. */
export interface LabApi extends LabMethods {
  on<E extends LabEventName>(event: E, listener: LabEventListener<E>): Unsubscribe;
}
