/**
 * The few WebAssembly JS-API members the engine uses, typed here because the project's TypeScript
 * lib (ES2022, no DOM) declares no WebAssembly values. Present in Node >= 20 and Electron.
 */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

export type WasmModule = object;

export interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  validate(bytes: Uint8Array): boolean;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
