// Finding the dockerls executable.  Pure Node (no `vscode` import), so the unit tests run without
// VS Code.
//
// Order: the `dockerls.path` setting; then each workspace folder's `.venv/bin/dockerls`
// (`.venv\Scripts\dockerls.exe` on Windows); then `dockerls` on PATH.  A setting that names a
// file that is not there is an error of its own: no silent fall-back to another dockerls.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const EXECUTABLE = 'dockerls';
export const INSTALL_HINT = 'pipx install dockerls-tools';

export interface LookupInput {
  /** The `dockerls.path` setting ('' or undefined: not set). */
  setting?: string;
  /** The workspace folders' file-system paths, first one first. */
  workspaceFolders?: readonly string[];
  /** The environment (PATH, PATHEXT, HOME); default process.env. */
  env?: Record<string, string | undefined>;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** Whether a file exists and can be run; default: a regular file with the execute bit (any file on Windows). */
  isExecutable?: (file: string) => boolean;
}

export type Source = 'setting' | 'venv' | 'PATH';

export type LookupResult =
  | { found: true; path: string; source: Source }
  | { found: false; tried: string[]; setting?: string };

function defaultIsExecutable(platform: NodeJS.Platform): (file: string) => boolean {
  return (file) => {
    try {
      if (!fs.statSync(file).isFile()) {
        return false;
      }
      if (platform !== 'win32') {
        fs.accessSync(file, fs.constants.X_OK);
      }
      return true;
    } catch {
      return false;
    }
  };
}

function pathModule(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a setting, expanded. */
export function expandSetting(value: string, workspaceFolder: string | undefined,
                              env: Record<string, string | undefined>): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  let out = value.trim();
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = home + out.slice(1);
  }
  out = out.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return out.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => env[name] ?? '');
}

/** The candidates for a bare command name on PATH, in order. */
export function pathCandidates(name: string, env: Record<string, string | undefined>,
                               platform: NodeJS.Platform): string[] {
  const p = pathModule(platform);
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d !== '');
  const exts = platform === 'win32' && p.extname(name) === ''
    ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')
    : [''];
  return dirs.flatMap((dir) => exts.map((ext) => p.join(dir, name + ext.toLowerCase())));
}

/** The workspace virtual environment's dockerls, for each folder. */
export function venvCandidates(folders: readonly string[], platform: NodeJS.Platform): string[] {
  const p = pathModule(platform);
  return folders.map((folder) => platform === 'win32'
    ? p.join(folder, '.venv', 'Scripts', `${EXECUTABLE}.exe`)
    : p.join(folder, '.venv', 'bin', EXECUTABLE));
}

export function findExecutable(input: LookupInput = {}): LookupResult {
  const platform = input.platform ?? process.platform;
  const env = input.env ?? process.env;
  const folders = input.workspaceFolders ?? [];
  const isExecutable = input.isExecutable ?? defaultIsExecutable(platform);
  const p = pathModule(platform);
  const tried: string[] = [];
  const first = (candidates: string[]): string | undefined => {
    for (const candidate of candidates) {
      tried.push(candidate);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
    return undefined;
  };

  const setting = (input.setting ?? '').trim();
  if (setting !== '') {
    const expanded = expandSetting(setting, folders[0], env);
    const bareName = !expanded.includes('/') && !(platform === 'win32' && expanded.includes('\\'));
    let found: string | undefined;
    if (bareName) {
      found = first(pathCandidates(expanded, env, platform));
    } else {
      const absolute = p.isAbsolute(expanded) ? expanded : p.resolve(folders[0] ?? process.cwd(), expanded);
      found = first([absolute]);
    }
    return found !== undefined ? { found: true, path: found, source: 'setting' } : { found: false, tried, setting };
  }

  const inVenv = first(venvCandidates(folders, platform));
  if (inVenv !== undefined) {
    return { found: true, path: inVenv, source: 'venv' };
  }
  const onPath = first(pathCandidates(EXECUTABLE, env, platform));
  if (onPath !== undefined) {
    return { found: true, path: onPath, source: 'PATH' };
  }
  return { found: false, tried };
}

/** What to tell the user when there is no dockerls to start. */
export function missingExecutableMessage(result: LookupResult): string {
  if (result.found) {
    return '';
  }
  if (result.setting !== undefined) {
    return `dockerls: the "dockerls.path" setting names ${JSON.stringify(result.setting)}, `
      + 'which is not an executable file. Fix the setting, or clear it to use the workspace\'s '
      + '.venv/bin/dockerls or dockerls on PATH.';
  }
  return 'dockerls: the dockerls language server was not found (not in the workspace\'s .venv, '
    + `not on PATH). Install it with "${INSTALL_HINT}" (or "pip install dockerls-tools" in the `
    + 'workspace\'s .venv), or set "dockerls.path" to the dockerls executable.';
}
