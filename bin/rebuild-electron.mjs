#!/usr/bin/env node
// `npm run rebuild:electron`: rebuilds the native better-sqlite3 module for Electron's ABI
// (Electron's main process owns the run store). `--if-needed` first tries to load it inside
// Electron (ELECTRON_RUN_AS_NODE) and rebuilds only on an ABI mismatch.
//
// node_modules holds ONE build of better-sqlite3: after this, plain Node (the CLI, the tests,
// browser mode) needs `npm run rebuild:node` again. Both rebuilds fetch a prebuilt binary
// (prebuild-install) or compile one (node-gyp), so they need network access or a C++ toolchain.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** The Electron binary, or null when electron's postinstall did not download it. */
export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** @returns {{ ok: true } | { ok: false, abiMismatch: boolean, detail: string }} */
export function checkInElectron(binary) {
  const probe = spawnSync(binary, ['-e', "require('better-sqlite3')(':memory:').close()"], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  if (probe.status === 0) return { ok: true };
  const detail = `${probe.stderr ?? ''}${probe.error?.message ?? ''}`.trim();
  return { ok: false, abiMismatch: /NODE_MODULE_VERSION|compiled against a different/.test(detail), detail };
}

/** Runs `npm rebuild better-sqlite3` configured for Electron's headers; returns the exit status. */
export function rebuildForElectron() {
  const version = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  console.log(`rebuilding better-sqlite3 for Electron ${version}…`);
  // npm_config_* is how npm passes --runtime/--target/--dist-url to prebuild-install and node-gyp
  const env = {
    ...process.env,
    npm_config_runtime: 'electron',
    npm_config_target: version,
    npm_config_disturl: 'https://electronjs.org/headers',
    npm_config_dist_url: 'https://electronjs.org/headers',
  };
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js')
    ? [process.execPath, [npmCli, 'rebuild', 'better-sqlite3']]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', 'better-sqlite3']];
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status === 0) {
    console.log('done. Note: the CLI, the tests and browser mode now need `npm run rebuild:node` before they can open the store.');
  }
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binary = electronBinary();
  if (!binary) {
    console.error('Electron binary not installed (node_modules/electron/dist): nothing to rebuild for.');
    process.exit(1);
  }
  if (process.argv.includes('--if-needed')) {
    const check = checkInElectron(binary);
    if (check.ok) process.exit(0);
    if (!check.abiMismatch) {
      console.error(`better-sqlite3 does not load in Electron (not an ABI mismatch, not rebuilding):\n${check.detail}`);
      process.exit(0); // let the app start and report the problem itself
    }
  }
  process.exit(rebuildForElectron());
}
