/**
 * `POST /api/<channel>` with body `{ "args": [...] }` -> `{ ok: true, result }` or
 * `{ ok: false, error: { name, message } }`. Arguments go through the same handlers (and so the
 * same validation) as Electron IPC.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LAB_CHANNELS, LAB_METHODS, type LabMethod } from '../../shared/lab-api';
import { LabValidationError } from '../../shared/schema/errors';
import { invokeHandler } from '../ipc/handlers';
import type { LabHandlers } from '../ipc/types';
import { errorBody, errorStatus } from './errors';
import { BodyTooLargeError, readBody, sendJson } from './http-util';

/** Configs, notes and tags are small; anything near this is not a legitimate call. */
const MAX_BODY_BYTES = 1024 * 1024;

const METHOD_BY_CHANNEL: ReadonlyMap<string, LabMethod> = new Map(LAB_METHODS.map((m) => [LAB_CHANNELS[m], m]));

function fail(res: ServerResponse, status: number, name: string, message: string): void {
  sendJson(res, status, { ok: false, error: { name, message } });
}

/** Handles one API call; `channel` is the path after `/api/`. */
export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  channel: string,
  handlers: LabHandlers,
): Promise<void> {
  const method = METHOD_BY_CHANNEL.get(channel);
  if (!method) return fail(res, 404, 'NotFound', `unknown API channel '${channel}'`);
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return fail(res, 405, 'MethodNotAllowed', `${channel}: use POST`);
  }
  // Requiring JSON also means a cross-site <form> can never produce a valid call.
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    return fail(res, 415, 'UnsupportedMediaType', `${channel}: the body must be application/json`);
  }
  let raw: unknown[];
  try {
    raw = parseArgs(await readBody(req, MAX_BODY_BYTES));
  } catch (err) {
    const status = err instanceof BodyTooLargeError ? 413 : errorStatus(err);
    return sendJson(res, status, { ok: false, error: errorBody(err) });
  }
  try {
    const result = await invokeHandler(handlers, method, raw);
    sendJson(res, 200, { ok: true, result });
  } catch (err) {
    const status = errorStatus(err);
    if (status >= 500 && status !== 501) console.error(`SEN Lab: ${channel} failed:`, err);
    sendJson(res, status, { ok: false, error: errorBody(err) });
  }
}

/** No call needs more; a deeper body (e.g. 200,000 nested `[`) would only exhaust the stack later. */
const MAX_JSON_DEPTH = 64;

/** Nesting depth of a JSON text (brackets outside strings), stopping once past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      max = Math.max(max, ++depth);
      if (max > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** `{ "args": [...] }` (args may be left out for methods without arguments). */
function parseArgs(text: string): unknown[] {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new LabValidationError(`request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new LabValidationError(`request body: invalid JSON (${(err as Error).message})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LabValidationError('request body: expected a JSON object { "args": [...] }');
  }
  const { args = [] } = body as { args?: unknown };
  if (!Array.isArray(args)) throw new LabValidationError('request body: "args" must be an array');
  return args;
}
