import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendName } from '../../shared/run-config';
import { TFJS_BACKENDS } from '../../shared/schema/enums';

let active: Promise<BackendName> | null = null;
let gradients: Promise<unknown> | null = null;

/**
 * Registers TensorFlow.js's gradient functions (tfjs-core alone has none; the umbrella package
 * registers them all in the shared global registry). Only training through tfjs needs them, and the
 * umbrella (layers, converter, data, webgl) takes ~0.4 s to load, so it is loaded on first need.
 */
export function loadGradients(): Promise<unknown> {
  gradients ??= import('@tensorflow/tfjs');
  return gradients;
}

/**
 * Picks the fastest TensorFlow.js backend that loads here: native tfjs-node ('tensorflow'), else
 * WebAssembly with SIMD ('wasm'), else plain JavaScript ('cpu', about 7x slower than wasm).
 * `SEN_LAB_BACKEND` forces one. Idempotent; the result is what every run records.
 */
export function initBackend(): Promise<BackendName> {
  active ??= pickBackend();
  return active;
}

async function pickBackend(): Promise<BackendName> {
  const forced = process.env.SEN_LAB_BACKEND as BackendName | undefined;
  if (forced && !(TFJS_BACKENDS as readonly string[]).includes(forced)) {
    throw new Error(`SEN_LAB_BACKEND must be ${TFJS_BACKENDS.join(', ')}, not "${forced}"`);
  }
  const order: BackendName[] = forced ? [forced] : [...TFJS_BACKENDS];
  const failures: string[] = [];
  for (const name of order) {
    const why = await trySetBackend(name);
    if (!why) return name;
    failures.push(`${name}: ${why}`);
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

/** Loads backend `name` and makes it tfjs's current one; the reason it cannot be used here, or undefined. */
export async function trySetBackend(name: BackendName): Promise<string | undefined> {
  try {
    await loadBackend(name);
    if (!(await tf.setBackend(name))) return 'setBackend refused';
    await tf.ready();
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/** Imports the backend's package (registering it with tfjs); throws where it cannot load here. */
export async function loadBackend(name: BackendName): Promise<void> {
  if (name === 'tensorflow') {
    // optional dependency: absent where libtensorflow could not be downloaded at install
    const mod = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ mod);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
}

/** The backend in use now (after initBackend resolved). */
export function currentBackend(): BackendName {
  return tf.getBackend() as BackendName;
}
