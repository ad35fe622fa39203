/**
 * The engine's WebAssembly SIMD128 kernel, assembled here from its opcodes (no compiler, no build
 * step: the bytes exist as soon as this module loads, in Node and in Electron alike).
 *
 * One exported function, `axpy_rows(trip, n, dst, src, j0, j1)`, the only inner loop of training:
 * for each of the n triples (dOff, sOff, v) stored at byte address `trip` (12 bytes each),
 *
 *   dst[dOff + j] += v * src[sOff + j]      for every byte offset j in [j0, j1) step 4 (float32)
 *
 * 16 floats per iteration (four v128 lanes), then 4, then scalars for the tail. Each element is
 * updated in the triples' order, so results do not depend on how the columns are split among threads.
 * X @ W (rows of W added into H for each nonzero x), X^T dH (rows of dH into the weight gradient for
 * each nonzero x) and dH W^T are all this loop with different triples; zero entries never appear.
 * The memory is imported (shared, so worker threads run the same kernel on the same buffers).
 */

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

// opcodes
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (n: number) => [0x41, ...sleb(n)];
const ADD = [0x6a];
const SUB = [0x6b];
const MUL = [0x6c];
const AND = [0x71];
const GE_U = [0x4f];
const i32load = (off: number) => [0x28, 2, ...uleb(off)];
const f32load = (off: number) => [0x2a, 2, ...uleb(off)];
const F32STORE = [0x38, 2, 0];
const F32ADD = [0x92];
const F32MUL = [0x94];
const v128load = (off: number) => [0xfd, 0x00, 4, ...uleb(off)];
const v128store = (off: number) => [0xfd, 0x0b, 4, ...uleb(off)];
const SPLAT = [0xfd, 0x13];
const VADD = [0xfd, ...uleb(0xe4)];
const VMUL = [0xfd, ...uleb(0xe6)];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const brIf = (depth: number) => [0x0d, depth];
const br = (depth: number) => [0x0c, depth];

// parameters 0-5: trip, n, dst, src, j0, j1; locals: 6 end, 7 d, 8 s, 9 j, 10 e16, 11 e4, 12 a, 13 b (i32),
// 14 vs (f32), 15 v (v128)
const [TRIP, N, DST, SRC, J0, J1, END_, D, S, J, E16, E4, A, B, VS, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/** a = d + j; b = s + j (the addresses of this iteration). */
const ADDRESSES = [...get(D), ...get(J), ...ADD, ...set(A), ...get(S), ...get(J), ...ADD, ...set(B)];

/** dst[a + off] += v * src[b + off] for one v128. */
function lane(off: number): number[] {
  return [...get(A), ...get(A), ...v128load(off), ...get(B), ...v128load(off), ...get(V), ...VMUL, ...VADD, ...v128store(off)];
}

/** A loop `while (j < end) { body; j += step }` (as block + loop). */
function whileJ(endLocal: number, step: number, body: number[]): number[] {
  return [...BLOCK, ...LOOP, ...get(J), ...get(endLocal), ...GE_U, ...brIf(1), ...body,
    ...get(J), ...i32c(step), ...ADD, ...set(J), ...br(0), ...END, ...END];
}

function axpyRowsBody(): number[] {
  const locals = vec([[...uleb(8), I32], [1, F32], [1, V128]]);
  const scalar = [...ADDRESSES, ...get(A), ...get(A), ...f32load(0), ...get(B), ...f32load(0), ...get(VS), ...F32MUL,
    ...F32ADD, ...F32STORE];
  const code = [
    // end = trip + 12 n; e16 = j0 + ((j1 - j0) & ~63); e4 = j0 + ((j1 - j0) & ~15)
    ...get(TRIP), ...get(N), ...i32c(12), ...MUL, ...ADD, ...set(END_),
    ...get(J0), ...get(J1), ...get(J0), ...SUB, ...i32c(-64), ...AND, ...ADD, ...set(E16),
    ...get(J0), ...get(J1), ...get(J0), ...SUB, ...i32c(-16), ...AND, ...ADD, ...set(E4),
    ...BLOCK, ...LOOP,
    ...get(TRIP), ...get(END_), ...GE_U, ...brIf(1),
    ...get(DST), ...get(TRIP), ...i32load(0), ...ADD, ...set(D),
    ...get(SRC), ...get(TRIP), ...i32load(4), ...ADD, ...set(S),
    ...get(TRIP), ...f32load(8), ...set(VS),
    ...get(VS), ...SPLAT, ...set(V),
    ...get(J0), ...set(J),
    ...whileJ(E16, 64, [...ADDRESSES, ...lane(0), ...lane(16), ...lane(32), ...lane(48)]),
    ...whileJ(E4, 16, [...ADDRESSES, ...lane(0)]),
    ...whileJ(J1, 4, scalar),
    ...get(TRIP), ...i32c(12), ...ADD, ...set(TRIP),
    ...br(0), ...END, ...END,
    ...END,
  ];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: imports env.memory (shared, up to `maxPages` 64 KiB pages), exports axpy_rows. */
export function kernelModuleBytes(maxPages: number): Uint8Array {
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0]]));
  const imp = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)]]));
  const func = section(3, vec([[0]]));
  const exp = section(7, vec([[...name('axpy_rows'), 0x00, 0]]));
  const code = section(10, vec([axpyRowsBody()]));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imp, ...func, ...exp, ...code]);
}
