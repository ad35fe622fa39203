/**
 * Compact binary encoding of named float32 arrays (parameters, snapshots, checkpoints).
 *
 * Layout (little endian):
 *   bytes 0..3   magic "SENA"
 *   bytes 4..7   uint32 header length H (bytes of UTF-8 JSON)
 *   bytes 8..8+H JSON header: { version: 1, meta, arrays: [{ name, shape, offset, length }] }
 *   padding to a multiple of 4, then the float32 payloads back to back (offset/length in elements).
 *
 * Pure code with no Node or DOM dependency, so the renderer can decode snapshots too.
 */

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface DecodedArrays<M = unknown> {
  meta: M;
  arrays: NamedArray[];
}

const MAGIC = 0x414e4553; // "SENA" read as little-endian uint32

interface HeaderEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export function encodeArrays(arrays: NamedArray[], meta: unknown = null): Uint8Array {
  let offset = 0;
  const entries: HeaderEntry[] = arrays.map((a) => {
    const expected = a.shape.reduce((p, n) => p * n, 1);
    if (expected !== a.data.length) {
      throw new Error(`array "${a.name}": shape [${a.shape}] needs ${expected} values, has ${a.data.length}`);
    }
    const e = { name: a.name, shape: a.shape, offset, length: a.data.length };
    offset += a.data.length;
    return e;
  });
  const header = new TextEncoder().encode(JSON.stringify({ version: 1, meta, arrays: entries }));
  const dataStart = align4(8 + header.length);
  const out = new Uint8Array(dataStart + offset * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  const payload = new Float32Array(out.buffer, dataStart, offset);
  for (let i = 0; i < arrays.length; i++) payload.set(arrays[i].data, entries[i].offset);
  return out;
}

export function decodeArrays<M = unknown>(bytes: Uint8Array): DecodedArrays<M> {
  if (bytes.byteLength < 8) throw new Error('encoded arrays: truncated (shorter than the 8-byte preamble)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('encoded arrays: bad magic (not a SEN Lab array blob)');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new Error('encoded arrays: truncated header');
  let header: { version: number; meta: M; arrays: HeaderEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as typeof header;
  } catch {
    throw new Error('encoded arrays: damaged header (not JSON)');
  }
  if (header?.version !== 1) throw new Error(`encoded arrays: unsupported version ${header?.version}`);
  if (!Array.isArray(header.arrays)) throw new Error('encoded arrays: damaged header (no array list)');
  const dataStart = align4(8 + headerLength);
  const total = header.arrays.reduce((s, e) => s + checkEntry(e), 0);
  if (dataStart + total * 4 > bytes.byteLength) throw new Error('encoded arrays: truncated payload');
  for (const e of header.arrays)
    if (e.offset + e.length > total) throw new Error(`encoded arrays: array "${e.name}" lies outside the payload`);
  // copy so the result owns aligned memory regardless of the input's byteOffset
  const payload = new Float32Array(total);
  new Uint8Array(payload.buffer).set(bytes.subarray(dataStart, dataStart + total * 4));
  return {
    meta: header.meta,
    arrays: header.arrays.map((e) => ({
      name: e.name,
      shape: e.shape,
      data: payload.subarray(e.offset, e.offset + e.length),
    })),
  };
}

/**
 * One header entry as `encodeArrays` writes it (a damaged or hand-made blob may claim anything):
 * integer shape dimensions >= 0 whose product is `length`, an integer `offset` >= 0. Returns `length`.
 */
function checkEntry(e: HeaderEntry): number {
  const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  const name = typeof e?.name === 'string' ? e.name : '?';
  if (!Array.isArray(e?.shape) || !e.shape.every(isCount) || !isCount(e.offset) || !isCount(e.length))
    throw new Error(`encoded arrays: array "${name}" has a damaged shape, offset or length`);
  if (e.shape.reduce((p, n) => p * n, 1) !== e.length)
    throw new Error(`encoded arrays: array "${name}": shape [${e.shape}] does not hold ${e.length} values`);
  return e.length;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Base64 of bytes, without Node's Buffer (the renderer uses it too). */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
