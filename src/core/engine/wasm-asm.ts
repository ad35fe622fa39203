/** WebAssembly binary encoding helpers for the engine's hand-assembled kernels (see ./wasm-kernel.ts). */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
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
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

// opcodes
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const get = (i: number) => [0x20, i];
export const set = (i: number) => [0x21, i];
export const i32c = (n: number) => [0x41, ...sleb(n)];
export const ADD = [0x6a];
export const SUB = [0x6b];
export const MUL = [0x6c];
export const AND = [0x71];
export const GE_U = [0x4f];
export const i32load = (off: number) => [0x28, 2, ...uleb(off)];
export const f32load = (off: number) => [0x2a, 2, ...uleb(off)];
export const F32STORE = [0x38, 2, 0];
export const F32ADD = [0x92];
export const F32MUL = [0x94];
export const v128load = (off: number) => [0xfd, 0x00, 4, ...uleb(off)];
export const v128store = (off: number) => [0xfd, 0x0b, 4, ...uleb(off)];
export const SPLAT = [0xfd, 0x13];
export const VADD = [0xfd, ...uleb(0xe4)];
export const VMUL = [0xfd, ...uleb(0xe6)];
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const END = [0x0b];
export const brIf = (depth: number) => [0x0d, depth];
export const br = (depth: number) => [0x0c, depth];

export const F32CONST = (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
export const VSUB = [0xfd, ...uleb(0xe5)];
export const VDIV = [0xfd, ...uleb(0xe7)];
export const VABS = [0xfd, ...uleb(0xe0)];
export const VGT = [0xfd, ...uleb(0x44)];
export const VAND = [0xfd, ...uleb(0x4e)];
export const LT_U = [0x49];
export const tee = (i: number) => [0x22, i];

/** `while (i < end) { body; i += step }` over i32 locals, as block + loop. */
export function whileLess(i: number, end: number, step: number, body: number[]): number[] {
  return [
    ...BLOCK,
    ...LOOP,
    ...get(i),
    ...get(end),
    ...GE_U,
    ...brIf(1),
    ...body,
    ...get(i),
    ...i32c(step),
    ...ADD,
    ...set(i),
    ...br(0),
    ...END,
    ...END,
  ];
}

/** `if` (no result) … END; v128.any_true; v128.const 0 */
export const IF = [0x04, 0x40];
export const ANY_TRUE = [0xfd, 0x53];
export const V128ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
