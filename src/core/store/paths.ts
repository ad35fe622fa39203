import os from 'node:os';
import path from 'node:path';

/** File name of the run database inside the user data folder. */
export const DB_FILE_NAME = 'runs.db';

/** Environment variable that overrides the default database location. */
export const DB_ENV_VAR = 'SEN_LAB_DB';

/** Inputs of {@link defaultDbPath}; every field defaults to the current process. */
export interface DefaultDbPathOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/**
 * Where the run database lives unless a caller passes an explicit path (`--db`).
 *
 * - `$SEN_LAB_DB` if set and non-empty (resolved against the working directory)
 * - Linux and other Unix: `$XDG_DATA_HOME/sen-lab/runs.db`, else `~/.local/share/sen-lab/runs.db`
 * - macOS: `~/Library/Application Support/SEN Lab/runs.db`
 * - Windows: `%APPDATA%\SEN Lab\runs.db`, else `~\AppData\Roaming\SEN Lab\runs.db`
 */
export function defaultDbPath(opts: DefaultDbPathOptions = {}): string {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.homedir ?? os.homedir();

  const override = env[DB_ENV_VAR];
  if (override !== undefined && override.trim() !== '') {
    return path.resolve(override);
  }
  if (platform === 'win32') {
    const appData =
      env.APPDATA && env.APPDATA.trim() !== '' ? env.APPDATA : path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'SEN Lab', DB_FILE_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'SEN Lab', DB_FILE_NAME);
  }
  // XDG base directory spec: relative values are invalid and must be ignored
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(dataHome, 'sen-lab', DB_FILE_NAME);
}
