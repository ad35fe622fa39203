#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed, otherwise browser mode (bin/serve.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);

/** @returns {{ path: string } | { reason: string }} */
function findElectron() {
  try {
    const path = require('electron');
    if (typeof path !== 'string') return { reason: 'the electron package did not return a path' };
    return existsSync(path) ? { path } : { reason: `${path} does not exist` };
  } catch (err) {
    return { reason: `require('electron') failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

/** Runs a child with inherited stdio, forwarding Ctrl-C / SIGTERM and its exit status. */
function run(command, argv) {
  const child = spawn(command, argv, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = findElectron();
if ('path' in electron) {
  if (!existsSync(join(root, 'out/main/index.js'))) {
    console.log('out/ is missing: building first (electron-vite build)…');
    const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
    const build = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  // Launch on the project folder: package.json "main" is out/main/index.js.
  run(electron.path, [root, ...args]);
} else {
  const serve = join(root, 'bin/serve.mjs');
  console.log(`Electron binary not installed (${electron.reason}); starting browser mode instead`);
  if (existsSync(serve)) {
    run(process.execPath, [serve, ...args]);
  } else {
    console.error('Browser mode is not available yet (bin/serve.mjs does not exist). Install the Electron binary');
    console.error('(e.g. `node node_modules/electron/install.js`) to run the desktop app.');
    process.exit(1);
  }
}
