/**
 * Starts one of the embedding's workers. `create` must contain the literal
 * `new Worker(new URL('./x.worker.ts', import.meta.url), …)` so Vite bundles the worker. When the
 * worker cannot start or fails later (e.g. workers blocked), it is dropped and `onFail` runs, so the
 * caller can redo its in-flight job on the main thread; the result is then null.
 */
export function startWorker<R>(
  create: () => Worker,
  onMessage: (result: R) => void,
  onFail: () => void,
): Worker | null {
  try {
    const worker = create();
    worker.onmessage = (e: MessageEvent<R>) => onMessage(e.data);
    worker.onerror = () => {
      worker.terminate();
      onFail();
    };
    return worker;
  } catch {
    return null;
  }
}
