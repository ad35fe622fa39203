/**
 * How an error crosses a transport with its field path. HTTP replies carry `{ name, message,
 * field }` as JSON. Electron's IPC hands the renderer only an error's message (wrapped in
 * "Error invoking remote method '<channel>': Error: ..."), so the main process throws an Error whose
 * message is the same object after a tag, and the renderer's host reads it back.
 */
export interface WireError {
  name: string;
  message: string;
  /** dotted path of the offending value, for a validation error that names one */
  field?: string;
}

const IPC_TAG = 'lab-error:';

/** The name, message and (non-empty) field of anything thrown. */
export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const field = (err as { field?: unknown }).field;
  return { name: err.name, message: err.message, ...(typeof field === 'string' && field !== '' ? { field } : {}) };
}

/** The Error an IPC handler throws so that the renderer can read name, message and field back. */
export function toIpcError(err: unknown): Error {
  return new Error(IPC_TAG + JSON.stringify(toWireError(err)));
}

/** The WireError inside an IPC rejection's message, or undefined for an untagged message. */
export function fromIpcMessage(message: string): WireError | undefined {
  const at = message.indexOf(IPC_TAG);
  if (at < 0) return undefined;
  try {
    const e = JSON.parse(message.slice(at + IPC_TAG.length)) as Partial<WireError>;
    if (typeof e.name !== 'string' || typeof e.message !== 'string') return undefined;
    return { name: e.name, message: e.message, ...(typeof e.field === 'string' ? { field: e.field } : {}) };
  } catch {
    return undefined;
  }
}
