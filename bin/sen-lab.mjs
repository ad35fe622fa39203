#!/usr/bin/env node
// sen-lab command-line entry: runs the TypeScript sources directly through tsx (no build step).
import { register } from 'tsx/esm/api';

// `sen-lab runs list | head -1`: a closed pipe is not an error worth a stack trace
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../src/core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Leave once output is flushed; a lingering handle (e.g. a TensorFlow.js thread pool) must not keep us alive.
setTimeout(() => process.exit(), 2000).unref();
