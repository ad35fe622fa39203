#!/usr/bin/env node
// Training-throughput benchmark (npm run bench -- [--presets a,b] [--json]); see bench/run-bench.ts.
import { register } from 'tsx/esm/api';

register();
const { benchMain } = await import('../bench/run-bench.ts');
try {
  process.exitCode = await benchMain(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
setTimeout(() => process.exit(), 2000).unref();
