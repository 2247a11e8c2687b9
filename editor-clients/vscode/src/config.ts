// What the extension gives vscode-languageclient: the documents, the server command, the settings
// section, and the develop-in-container commands.  Pure data (no `vscode` import), so the unit
// tests check it without VS Code.

/** The settings section the server asks for with workspace/configuration (and the client id, so
 * `dockerls.trace.server` is the trace setting). */
export const SECTION = 'dockerls';
export const CLIENT_ID = 'dockerls';
export const CLIENT_NAME = 'dockerls';

/** Languages VS Code itself contributes (its built-in "docker" extension). */
export const LANGUAGES = ['dockerfile', 'dockercompose'] as const;

/** devcontainer.json files (language jsonc in VS Code): selected by path, whatever the language. */
export const DEVCONTAINER_PATTERNS = [
  '**/.devcontainer/devcontainer.json',
  '**/.devcontainer/*/devcontainer.json',
  '**/.devcontainer.json',
] as const;

export interface DocumentFilter {
  scheme: string;
  language?: string;
  pattern?: string;
}

export function documentSelector(): DocumentFilter[] {
  return [
    ...LANGUAGES.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
    ...DEVCONTAINER_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
  ];
}

export interface ServerCommand {
  command: string;
  args: string[];
  options: { cwd?: string; env: Record<string, string | undefined> };
}

/** `dockerls serve` (stdio), run from the first workspace folder. */
export function serverCommand(executable: string, cwd?: string,
                              env: Record<string, string | undefined> = process.env): ServerCommand {
  return { command: executable, args: ['serve'], options: { cwd, env: { ...env, PYTHONUNBUFFERED: '1' } } };
}

export interface ClientOptionsData {
  documentSelector: DocumentFilter[];
  synchronize: { configurationSection: string };
  diagnosticCollectionName: string;
  outputChannelName: string;
}

export function clientOptionsData(): ClientOptionsData {
  return {
    documentSelector: documentSelector(),
    synchronize: { configurationSection: SECTION },
    diagnosticCollectionName: CLIENT_ID,
    outputChannelName: CLIENT_NAME,
  };
}

/** The develop-in-container commands: the palette entries (package.json "contributes.commands")
 * are forwarded to the server under the same name with workspace/executeCommand. */
export const SERVER_COMMANDS = [
  { id: 'dockerls.develop', title: 'Develop in Container' },
  { id: 'dockerls.build', title: 'Build the Dev Container' },
  { id: 'dockerls.rebuild', title: 'Rebuild the Dev Container (no cache)' },
  { id: 'dockerls.down', title: 'Stop and Remove the Dev Container' },
  { id: 'dockerls.logs', title: 'Show the Dev Container\'s Logs' },
] as const;

/** Commands of the extension only (not sent to the server). */
export const CLIENT_COMMANDS = [
  { id: 'dockerls.restartServer', title: 'Restart the Language Server' },
] as const;

const OWN = new Set<string>([...SERVER_COMMANDS, ...CLIENT_COMMANDS].map((c) => c.id));

/** The server's advertised commands less the ones the extension registers itself.  (The language
 * client registers every advertised command as a VS Code command, which fails for a name that
 * exists already.) */
export function commandsLeftToTheClient(advertised: readonly string[] | undefined): string[] {
  return (advertised ?? []).filter((command) => !OWN.has(command));
}

export interface ExecuteCommandParams {
  command: string;
  arguments?: unknown[];
  workDoneToken?: string;
}

/** The workspace/executeCommand request for a palette command: its one argument is the workspace
 * folder's URI (when there is one); `workDoneToken` lets the server report progress on a token
 * the client already shows (it may also create its own: both are shown). */
export function executeCommandParams(command: string, argument?: unknown, workDoneToken?: string): ExecuteCommandParams {
  const params: ExecuteCommandParams = { command, arguments: argument !== undefined ? [argument] : [] };
  if (workDoneToken !== undefined) {
    params.workDoneToken = workDoneToken;
  }
  return params;
}

/** The argument of a develop command: the one it was invoked with (a code lens passes
 * `{"folder": ...}`), else the folder's URI; `offerActions: false` because the extension shows
 * the "container is running" message itself (it can open a terminal). */
export function commandArgument(given: unknown[], folderUri?: string): Record<string, unknown> | undefined {
  const first = given[0];
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    return { ...(first as Record<string, unknown>), offerActions: false };
  }
  const uri = typeof first === 'string' ? first : folderUri;
  return uri !== undefined ? { uri, offerActions: false } : { offerActions: false };
}

/** The percentage the server reports as the increment vscode's progress wants. */
export function progressIncrement(last: number, percentage: number | undefined): { increment?: number; last: number } {
  if (percentage === undefined || percentage <= last) {
    return { last };
  }
  return { increment: percentage - last, last: percentage };
}
