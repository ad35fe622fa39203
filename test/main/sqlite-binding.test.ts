import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store';
import {
  abiMismatchMessage,
  BINDING_FILE,
  chooseSqliteBinding,
  electronBindingDir,
  isAbiMismatch,
  readBuildRecord,
  sqliteBindingForThisProcess,
  type BindingBuildRecord,
} from '../../src/main/services/sqlite-binding';

const root = path.join(import.meta.dirname, '../..');
const script = path.join(root, 'bin/rebuild-electron.mjs');
const require = createRequire(import.meta.url);
const defaultAddon = path.join(
  path.dirname(require.resolve('better-sqlite3/package.json')),
  'build/Release/better_sqlite3.node',
);

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-binding-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('chooseSqliteBinding', () => {
  const dir = '/cache/sen-lab/better-sqlite3-electron';
  const record: BindingBuildRecord = { runtime: 'electron', target: '41.7.1', betterSqlite3: '12.11.1' };
  const electron = { node: '24.1.0', modules: '145', electron: '41.7.1' };
  const base = { versions: electron, dir, betterSqlite3: '12.11.1', record, exists: () => true };

  it('uses the Electron copy when it was built for this Electron and this better-sqlite3', () => {
    expect(chooseSqliteBinding(base).nativeBinding).toBe(path.join(dir, BINDING_FILE));
  });

  it('uses the default build outside Electron, even with a matching copy', () => {
    const choice = chooseSqliteBinding({ ...base, versions: { node: '20.20.2', modules: '115' } });
    expect(choice.nativeBinding).toBeUndefined();
    expect(choice.reason).toMatch(/not running in Electron/);
  });

  it('falls back to the default build without a copy or its record', () => {
    for (const input of [
      { ...base, record: null },
      { ...base, exists: () => false },
    ]) {
      const choice = chooseSqliteBinding(input);
      expect(choice.nativeBinding).toBeUndefined();
      expect(choice.reason).toContain(`no Electron build of better-sqlite3 in ${dir}`);
    }
  });

  it('falls back to the default build when the copy is stale', () => {
    const stale = [
      { ...record, target: '40.0.0' }, // another Electron
      { ...record, betterSqlite3: '12.10.0' }, // another better-sqlite3
      { ...record, runtime: 'node' }, // not for Electron at all
    ];
    for (const r of stale) {
      const choice = chooseSqliteBinding({ ...base, record: r });
      expect(choice.nativeBinding).toBeUndefined();
      expect(choice.reason).toContain(`not Electron 41.7.1 and better-sqlite3 12.11.1`);
    }
  });

  it('is the default build in this (plain Node) process', () => {
    expect(sqliteBindingForThisProcess().nativeBinding).toBeUndefined();
  });
});

describe('the Electron copy on disk', () => {
  it('lives in node_modules/.cache/sen-lab next to the installed better-sqlite3', () => {
    expect(electronBindingDir(path.join('/p/node_modules/better-sqlite3'))).toBe(
      path.join('/p/node_modules/.cache/sen-lab/better-sqlite3-electron'),
    );
  });

  it('reads build.json, and null for a missing or malformed one', () => {
    const dir = tempDir();
    expect(readBuildRecord(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'build.json'), '{"runtime":"electron"}');
    expect(readBuildRecord(dir)).toBeNull();
    fs.writeFileSync(
      path.join(dir, 'build.json'),
      '{"runtime":"electron","target":"41.7.1","betterSqlite3":"12.11.1","builtAt":"x"}',
    );
    expect(readBuildRecord(dir)).toMatchObject({ runtime: 'electron', target: '41.7.1', betterSqlite3: '12.11.1' });
  });
});

describe('an ABI mismatch', () => {
  const err = new Error(
    "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 145.",
  );

  it('is recognised, other errors are not', () => {
    expect(isAbiMismatch(err)).toBe(true);
    expect(isAbiMismatch(new Error('SQLITE_CANTOPEN: unable to open database file'))).toBe(false);
  });

  it('is explained with the command that fixes it', () => {
    const message = abiMismatchMessage(err, {
      nativeBinding: undefined,
      reason: 'no Electron build of better-sqlite3 in /c',
    });
    expect(message).toContain('npm run rebuild:electron');
    expect(message).toContain('no Electron build of better-sqlite3 in /c');
    expect(message).toContain('NODE_MODULE_VERSION 115');
  });
});

describe('postinstall (bin/rebuild-electron.mjs --postinstall)', () => {
  it('skips cleanly without an Electron binary: exit 0, one line, nothing built', () => {
    const cache = electronBindingDir(path.dirname(require.resolve('better-sqlite3/package.json')));
    const before = fs.existsSync(cache);
    // a dist folder that does not exist: no Electron binary, whether or not this machine has one
    const missing = path.join(tempDir(), 'no-electron');
    const r = spawnSync(process.execPath, [script, '--postinstall'], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: missing },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no Electron binary installed, skipping the Electron build of better-sqlite3/);
    expect(fs.existsSync(cache)).toBe(before);
  });

  it('is the root package postinstall script', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['postinstall']).toBe('node bin/rebuild-electron.mjs --postinstall');
  });
});

describe('the store with an explicit native binding', () => {
  it('opens with the given addon file', () => {
    const store = RunStore.open(path.join(tempDir(), 'runs.db'), { nativeBinding: defaultAddon });
    try {
      expect(store.listRuns()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('loads the given file, not the default (a missing file fails the open)', () => {
    const file = path.join(tempDir(), 'runs.db');
    expect(() => RunStore.open(file, { nativeBinding: path.join(tempDir(), 'missing.node') })).toThrow(/missing\.node/);
  });
});

/**
 * The separate-copy build itself (what runs for Electron, with runtime 'node' since Electron's
 * headers cannot be fetched here): compiles better-sqlite3 from source (about a minute on 2 cores),
 * so it only runs with SEN_LAB_NATIVE_BUILD_TEST=1.
 */
describe.runIf(process.env['SEN_LAB_NATIVE_BUILD_TEST'] === '1')(
  'building a separate copy of the addon (SEN_LAB_NATIVE_BUILD_TEST=1)',
  () => {
    it('builds into its own folder, leaves node_modules alone, and the store opens with it', async () => {
      const mod = (await import(new URL('../../bin/rebuild-electron.mjs', import.meta.url).href)) as {
        buildSqliteBinding(o: {
          runtime: string;
          target: string;
          outDir: string;
          nodedir?: string;
          log?: (s: string) => void;
        }): { ok: true; binding: string } | { ok: false; detail: string };
      };
      const defaultBefore = fs.readFileSync(defaultAddon);
      const outDir = path.join(tempDir(), 'cache', 'better-sqlite3-node');
      const configured =
        process.env['npm_config_nodedir'] ??
        execFileSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).trim();
      const nodedir = configured && configured !== 'undefined' && configured !== 'null' ? configured : undefined;
      const result = mod.buildSqliteBinding({
        runtime: 'node',
        target: process.versions.node,
        outDir,
        ...(nodedir ? { nodedir } : {}),
        log: () => undefined,
      });
      expect(result).toEqual({ ok: true, binding: path.join(outDir, BINDING_FILE) });
      // only the binding and its record are kept; the scratch copy is gone
      expect(fs.readdirSync(outDir).sort()).toEqual(['better_sqlite3.node', 'build.json']);
      expect(fs.readdirSync(path.dirname(outDir))).toEqual(['better-sqlite3-node']);
      const { version } = JSON.parse(fs.readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')) as {
        version: string;
      };
      expect(readBuildRecord(outDir)).toMatchObject({
        runtime: 'node',
        target: process.versions.node,
        betterSqlite3: version,
      });
      expect(fs.readFileSync(defaultAddon).equals(defaultBefore)).toBe(true);

      const store = RunStore.open(path.join(tempDir(), 'runs.db'), { nativeBinding: path.join(outDir, BINDING_FILE) });
      try {
        expect(store.listRuns()).toEqual([]);
      } finally {
        store.close();
      }
    });
  },
);
