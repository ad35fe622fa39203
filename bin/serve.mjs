#!/usr/bin/env node
// `npm run serve`: SEN Lab in the browser (src/main/server/cli.ts), run from the TypeScript
// sources through tsx like the CLI; only the renderer needs building (out/renderer).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

register();
const { main } = await import('../src/main/server/cli.ts');
const code = await main(process.argv.slice(2), { root });
// Trainings and streams are closed by now; exit even if some library left a handle open.
process.exit(code);
