#!/usr/bin/env node
// Builds a SECOND copy of better-sqlite3's native addon for Electron's ABI, for Electron's main
// process (which owns the run store). node_modules/better-sqlite3 itself stays built for Node, so
// the CLI, the tests and browser mode keep working whatever runs here.
//
// The copy goes to node_modules/.cache/sen-lab/better-sqlite3-electron/: better_sqlite3.node plus
// build.json (runtime, Electron version, better-sqlite3 version). src/main/services/sqlite-binding.ts
// defines that layout and decides, in Electron, whether the copy matches (else node_modules' own
// build is tried and a failure names `npm run rebuild:electron`).
//
//   node bin/rebuild-electron.mjs                 `npm run rebuild:electron`: build it now
//   node bin/rebuild-electron.mjs --if-needed     `npm start`: build it when missing or stale
//   node bin/rebuild-electron.mjs --postinstall   `npm ci` / `npm install`: like --if-needed, but one
//                                                 line and exit 0 without an Electron binary, and a
//                                                 failed build is only a warning (exit 0)
//
// The build copies the package to a scratch folder next to the output and runs what better-sqlite3's
// own install script runs there: prebuild-install (a prebuilt binary from GitHub), else node-gyp
// (Electron's headers from https://electronjs.org/headers and a C++ toolchain).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const ELECTRON_HEADERS = 'https://electronjs.org/headers';
const FIX = '`npm run rebuild:electron`';

/** The Electron binary, or null when electron's install script did not download it. */
export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The installed version of a package (its package.json). */
function versionOf(name) {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

/** The installed better-sqlite3 package folder. */
export function betterSqliteDir() {
  return dirname(require.resolve('better-sqlite3/package.json'));
}

/** src/main/services/sqlite-binding.ts (through tsx): the one definition of the copy's layout. */
async function bindingLayout() {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport('../src/main/services/sqlite-binding.ts', import.meta.url);
}

/** node-gyp: npm's own copy (what better-sqlite3's install script gets), else one on PATH. */
function nodeGyp() {
  const npmDir = process.env.npm_execpath
    ? join(dirname(process.env.npm_execpath), '..')
    : join(dirname(process.execPath), '../lib/node_modules/npm');
  const candidates = [process.env.npm_config_node_gyp, join(npmDir, 'node_modules/node-gyp/bin/node-gyp.js')];
  try {
    candidates.unshift(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a project dependency
  }
  const script = candidates.find((c) => c && c.endsWith('.js') && existsSync(c));
  return script ? [process.execPath, [script]] : [process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp', []];
}

/**
 * Builds better-sqlite3's addon for `runtime` `target` into `outDir` (better_sqlite3.node and
 * build.json) from a scratch copy of the installed package; node_modules is left untouched.
 * `nodedir`: local Node headers (runtime 'node' only; Electron's come from its header server).
 * @returns {{ ok: true, binding: string } | { ok: false, detail: string }}
 */
export function buildSqliteBinding({ runtime, target, outDir, nodedir, log = console.log }) {
  const source = betterSqliteDir();
  const betterSqlite3 = versionOf('better-sqlite3');
  mkdirSync(dirname(outDir), { recursive: true });
  const scratch = mkdtempSync(join(dirname(outDir), '.build-'));
  const pkg = join(scratch, 'better-sqlite3');
  try {
    log(`building better-sqlite3 ${betterSqlite3} for ${runtime} ${target} in ${pkg}…`);
    // the sources only: never the Node build (build/) that node_modules keeps using
    cpSync(source, pkg, {
      recursive: true,
      filter: (from) => !['build', 'node_modules'].includes(relative(source, from).split(sep)[0]),
    });
    // the npm config of a surrounding `npm run` must not retarget the build (nodedir = Node's headers)
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
      if (/^npm_config_(runtime|target|arch|disturl|dist_url|nodedir|build_from_source)$/i.test(key)) delete env[key];
    }
    const run = (command, args) =>
      spawnSync(command, args, {
        cwd: pkg,
        env,
        stdio: 'inherit',
        shell: process.platform === 'win32' && !command.endsWith('.exe'),
      });
    const common = [`--runtime=${runtime}`, `--target=${target}`, `--arch=${process.arch}`];
    const prebuild = createRequire(join(source, 'package.json')).resolve('prebuild-install/bin.js');
    if (run(process.execPath, [prebuild, ...common, `--platform=${process.platform}`]).status !== 0) {
      log('no prebuilt binary; compiling with node-gyp…');
      const [command, pre] = nodeGyp();
      const headers =
        runtime === 'electron' ? [`--dist-url=${ELECTRON_HEADERS}`] : nodedir ? [`--nodedir=${nodedir}`] : [];
      const gyp = run(command, [
        ...pre,
        'rebuild',
        '--release',
        '--jobs=max',
        `--target=${target}`,
        `--arch=${process.arch}`,
        ...headers,
      ]);
      if (gyp.status !== 0)
        return { ok: false, detail: `node-gyp failed (${gyp.error?.message ?? `exit ${gyp.status}`})` };
    }
    const built = join(pkg, 'build/Release/better_sqlite3.node');
    if (!existsSync(built)) return { ok: false, detail: `the build left no ${built}` };
    mkdirSync(outDir, { recursive: true });
    const binding = join(outDir, 'better_sqlite3.node');
    const record = join(outDir, 'build.json');
    rmSync(record, { force: true }); // never a record describing a binary being replaced
    copyFileSync(built, `${binding}.tmp`);
    renameSync(`${binding}.tmp`, binding);
    writeFileSync(
      record,
      `${JSON.stringify({ runtime, target, betterSqlite3, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    return { ok: true, binding };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Opens an in-memory database with `binding` inside Electron (as Node): null when it works, else why not. */
function probeInElectron(binary, binding) {
  const probe = spawnSync(
    binary,
    [
      '-e',
      "new (require('better-sqlite3'))(':memory:', { nativeBinding: process.env.SEN_LAB_SQLITE_BINDING }).close()",
    ],
    {
      cwd: root,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', SEN_LAB_SQLITE_BINDING: binding },
      encoding: 'utf8',
    },
  );
  return probe.status === 0
    ? null
    : `${probe.stderr ?? ''}${probe.error?.message ?? ''}`.trim() || `exit ${probe.status}`;
}

/**
 * Builds the Electron copy (when `ifNeeded`: only if missing or built for another Electron or
 * better-sqlite3) and checks that it loads in Electron. Returns null on success, else why not.
 */
export async function ensureElectronBinding(binary, { ifNeeded, log = console.log }) {
  const layout = await bindingLayout();
  const electron = versionOf('electron');
  const dir = layout.electronBindingDir(betterSqliteDir());
  const current = () =>
    layout.chooseSqliteBinding({
      versions: { electron },
      dir,
      betterSqlite3: versionOf('better-sqlite3'),
      record: layout.readBuildRecord(dir),
      exists: existsSync,
    });
  if (ifNeeded && current().nativeBinding) return null;
  const result = buildSqliteBinding({ runtime: 'electron', target: electron, outDir: dir, log });
  if (!result.ok) return result.detail;
  const failure = probeInElectron(binary, result.binding);
  if (failure) {
    rmSync(join(dir, layout.BUILD_RECORD_FILE), { force: true });
    return `the build does not load in Electron ${electron}:\n${failure}`;
  }
  log(`done: ${result.binding} (Electron ${electron}); node_modules/better-sqlite3 stays built for Node.`);
  const after = current();
  return after.nativeBinding ? null : after.reason;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const postinstall = process.argv.includes('--postinstall');
  const binary = electronBinary();
  if (!binary) {
    if (postinstall) {
      console.log(
        'sen-lab: no Electron binary installed, skipping the Electron build of better-sqlite3 (the CLI, tests and browser mode do not need it)',
      );
      process.exit(0);
    }
    console.error('Electron binary not installed (node_modules/electron/dist): nothing to build better-sqlite3 for.');
    process.exit(1);
  }
  let failure;
  try {
    failure = await ensureElectronBinding(binary, { ifNeeded: postinstall || process.argv.includes('--if-needed') });
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  if (!failure) process.exit(0);
  if (postinstall) {
    // never fails the install: the app says what to do when it cannot open the store
    console.warn(
      `sen-lab: warning: could not build better-sqlite3 for Electron (${failure.split('\n')[0]}); the desktop app needs it: run ${FIX}`,
    );
    process.exit(0);
  }
  console.error(
    `building better-sqlite3 for Electron failed: ${failure}\nFix the cause (network access to prebuilt binaries / ${ELECTRON_HEADERS}, or a C++ toolchain) and run ${FIX}.`,
  );
  process.exit(1);
}
