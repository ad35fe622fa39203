#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed, otherwise browser mode
// (bin/serve.mjs, same arguments). Before Electron starts, the separate copy of better-sqlite3's
// addon built for Electron's ABI is built if missing or stale (bin/rebuild-electron.mjs
// --if-needed; node_modules/better-sqlite3 stays built for Node, so the CLI keeps working);
// without the Electron binary that step is skipped.
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

/** Runs a Node script to completion; exits with its status when it fails. */
function runOrExit(script, argv) {
  const result = spawnSync(process.execPath, [script, ...argv], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const electron = findElectron();
if ('path' in electron) {
  runOrExit(join(root, 'bin/rebuild-electron.mjs'), ['--if-needed']);
  // the worker entry is checked too: an out/ from before it existed cannot train
  if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/main/train-worker.js'))) {
    console.log('out/ is missing or outdated: building first (electron-vite build)…');
    runOrExit(join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js'), ['build']);
  }
  // Launch on the project folder: package.json "main" is out/main/index.js.
  run(electron.path, [root, ...args]);
} else {
  console.log(`Electron binary not installed (${electron.reason}); starting browser mode instead`);
  console.log('(skipping the Electron build of better-sqlite3: there is no Electron to build for)');
  console.log(
    'To get the desktop app, download its binary once: node node_modules/electron/install.js (then npm start again)',
  );
  run(process.execPath, [join(root, 'bin/serve.mjs'), ...args]);
}
