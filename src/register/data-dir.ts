// The tool's data directory: where the register (register.sqlite) and the kept files of issued letters live,
// shared by every command. --data-dir, else HAZARD_NOTICE_DATA_DIR, else the user's data directory.

import os from 'node:os';
import path from 'node:path';

export const DATA_DIR_ENV = 'HAZARD_NOTICE_DATA_DIR';
export const REGISTER_FILE = 'register.sqlite';
const APP = 'hazard-notice';

/** The platform's per-user data directory for the tool (XDG on Linux, %APPDATA% on Windows, Application Support on macOS). */
export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP);
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec ignores a relative XDG_DATA_HOME.
  return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share'), APP);
}

/** The data directory to use: the option given, else HAZARD_NOTICE_DATA_DIR, else the user's data directory. */
export function resolveDataDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option ?? (env[DATA_DIR_ENV] || undefined);
  return chosen ? path.resolve(chosen) : userDataDir();
}

/** The register file of a data directory. */
export function registerFileIn(dataDir: string): string {
  return path.join(dataDir, REGISTER_FILE);
}
