/**
 * Reader for the classic IDX format (MNIST, Fashion-MNIST, ...).
 *
 * Layout: two zero bytes, a type byte, a dimension-count byte, then one big-endian uint32 per
 * dimension, then the values in big-endian order. Gzipped files (magic 1f 8b) are unpacked
 * transparently, so `foo-idx3-ubyte` and `foo-idx3-ubyte.gz` read the same.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { gunzipSync } from 'node:zlib';

/** Any problem with a data set file or folder; `file` is the path concerned. */
export class DatasetError extends Error {
  /** the file or folder the problem is about */
  readonly file: string;
  /** the problem alone, without the path */
  readonly problem: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetError';
    this.file = file;
    this.problem = problem;
  }
}

export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file. `data` holds product(dims) values in row-major order. */
export interface IdxFile {
  type: IdxType;
  dims: number[];
  data: IdxData;
}

interface TypeInfo {
  type: IdxType;
  bytes: 1 | 2 | 4 | 8;
}

/** Type byte -> element type; the codes are fixed by the format. */
const TYPES: ReadonlyMap<number, TypeInfo> = new Map<number, TypeInfo>([
  [0x08, { type: 'ubyte', bytes: 1 }],
  [0x09, { type: 'byte', bytes: 1 }],
  [0x0b, { type: 'short', bytes: 2 }],
  [0x0c, { type: 'int', bytes: 4 }],
  [0x0d, { type: 'float', bytes: 4 }],
  [0x0e, { type: 'double', bytes: 8 }],
]);

/** Type byte for each element type (the inverse of TYPES), for writers and messages. */
export const IDX_TYPE_CODES: Readonly<Record<IdxType, number>> = {
  ubyte: 0x08,
  byte: 0x09,
  short: 0x0b,
  int: 0x0c,
  float: 0x0d,
  double: 0x0e,
};

const HOST_IS_BIG_ENDIAN = endianness() === 'BE';

const hex = (n: number, width: number): string => '0x' + n.toString(16).toUpperCase().padStart(width, '0');

/**
 * Read and parse one IDX file, gunzipping it first when it starts with the gzip magic.
 * @throws DatasetError when the file is missing, unreadable, corrupt, truncated or too long
 */
export function readIdx(file: string): IdxFile {
  return parseIdx(readBytes(file), file);
}

/**
 * Parse IDX bytes (raw or gzipped). `file` is only used in error messages.
 * For ubyte data the result is a view on `bytes` (no copy); wider types are copied and byte-swapped.
 * @throws DatasetError naming `file` and the exact problem
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxFile {
  const raw = isGzip(bytes) ? gunzip(bytes, file) : bytes;
  const { info, dims, dataOffset } = parseHeader(raw, file);
  const count = dims.reduce((p, n) => p * n, 1);
  checkLength(raw.length - dataOffset, count * info.bytes, dims, file);
  return { type: info.type, dims, data: decodeValues(raw, dataOffset, count, info) };
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(file, 'file not found');
    if (code === 'EISDIR') throw new DatasetError(file, 'is a folder, not an IDX file');
    throw new DatasetError(file, `cannot read file (${(err as Error).message})`);
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw new DatasetError(file, `corrupt gzip data (${(err as Error).message})`);
  }
}

function parseHeader(raw: Uint8Array, file: string): { info: TypeInfo; dims: number[]; dataOffset: number } {
  if (raw.length < 4) {
    throw new DatasetError(file, `truncated: ${raw.length} bytes is too short for an IDX header (needs at least 4)`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new DatasetError(
      file,
      `wrong magic number ${hex(view.getUint32(0), 8)}: not an IDX file (the first two bytes must be 0)`,
    );
  }
  const info = TYPES.get(raw[2]);
  if (!info) {
    throw new DatasetError(
      file,
      `unknown IDX type byte ${hex(raw[2], 2)} (expected 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double)`,
    );
  }
  const ndims = raw[3];
  if (ndims === 0) throw new DatasetError(file, 'IDX header declares 0 dimensions');
  const dataOffset = 4 + 4 * ndims;
  if (raw.length < dataOffset) {
    throw new DatasetError(
      file,
      `truncated: header declares ${ndims} dimensions (${dataOffset} header bytes) but the file has only ${raw.length} bytes`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i));
  return { info, dims, dataOffset };
}

function checkLength(have: number, need: number, dims: number[], file: string): void {
  if (have === need) return;
  const shape = dims.join('x');
  if (have < need) {
    throw new DatasetError(file, `truncated: dims ${shape} need ${need} data bytes but only ${have} are present`);
  }
  throw new DatasetError(
    file,
    `${have - need} extra bytes after the data: dims ${shape} need ${need} data bytes but ${have} are present`,
  );
}

/** Turn the big-endian payload into a host-order typed array without per-element calls. */
function decodeValues(raw: Uint8Array, offset: number, count: number, info: TypeInfo): IdxData {
  if (info.type === 'ubyte') return raw.subarray(offset, offset + count);
  if (info.type === 'byte') return new Int8Array(raw.buffer, raw.byteOffset + offset, count);
  // Copy into a fresh, aligned buffer: typed arrays need alignment and the source may be shared.
  const copy = new Uint8Array(count * info.bytes);
  copy.set(raw.subarray(offset, offset + copy.length));
  if (!HOST_IS_BIG_ENDIAN) swapBytes(copy, info.bytes);
  switch (info.type) {
    case 'short':
      return new Int16Array(copy.buffer);
    case 'int':
      return new Int32Array(copy.buffer);
    case 'float':
      return new Float32Array(copy.buffer);
    default:
      return new Float64Array(copy.buffer);
  }
}

/** In-place byte swap using Buffer's native swap16/32/64 (one call for the whole payload). */
function swapBytes(bytes: Uint8Array, width: TypeInfo['bytes']): void {
  if (width === 1) return;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (width === 2) buf.swap16();
  else if (width === 4) buf.swap32();
  else buf.swap64();
}
