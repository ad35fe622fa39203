/**
 * Turns whatever a failed call rejects with into one plain sentence. Electron wraps errors thrown
 * by an IPC handler as "Error invoking remote method 'runs/start': ConfigError: <message>"; the
 * channel is useful context but the wrapper is noise.
 */
import { fromIpcMessage } from '../../../shared/schema/wire';

export function errorMessage(err: unknown): string {
  let text = err instanceof Error ? err.message : typeof err === 'string' ? err : safeJson(err);
  const wire = fromIpcMessage(text); // a main-process error not yet unwrapped by the host
  if (wire) return wire.message;
  const remote = /^Error invoking remote method '[^']+':\s*/.exec(text);
  if (remote) text = text.slice(remote[0].length);
  return text.replace(/^(?:[A-Z][A-Za-z]*Error|Error):\s*/, '').trim() || 'unknown error';
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
