// The VS Code extension: starts `dockerls serve` over stdio with vscode-languageclient, and forwards
// the develop-in-container commands to it.  The decisions (which executable, which documents,
// which settings) are in lookup.ts and config.ts, which do not import `vscode`.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  DynamicFeature,
  ExecuteCommandRegistrationOptions,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RegistrationData,
  ServerOptions,
  TransportKind,
  WorkDoneProgress,
} from 'vscode-languageclient/node';

import {
  CLIENT_ID,
  CLIENT_NAME,
  SECTION,
  SERVER_COMMANDS,
  clientOptionsData,
  commandsLeftToTheClient,
  executeCommandParams,
  serverCommand,
} from './config';
import { findExecutable, missingExecutableMessage } from './lookup';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function folderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** Lets the language client register the server's other commands, not the ones we register. */
function keepOwnCommands(languageClient: LanguageClient): void {
  const feature = languageClient.getFeature(ExecuteCommandRequest.method) as
    DynamicFeature<ExecuteCommandRegistrationOptions> | undefined;
  if (feature === undefined) {
    return;
  }
  const register = feature.register.bind(feature);
  feature.register = (data: RegistrationData<ExecuteCommandRegistrationOptions>) => register({
    ...data,
    registerOptions: { ...data.registerOptions, commands: commandsLeftToTheClient(data.registerOptions.commands) },
  });
}

async function startClient(): Promise<void> {
  const folders = folderPaths();
  const setting = vscode.workspace.getConfiguration(SECTION).get<string>('path', '');
  const found = findExecutable({ setting, workspaceFolders: folders });
  if (!found.found) {
    const message = missingExecutableMessage(found);
    output?.appendLine(`${message}\nTried: ${found.tried.join(', ') || '(nothing)'}`);
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Tried Paths');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
    } else if (choice === 'Show Tried Paths') {
      output?.show(true);
    }
    return;
  }
  const run = serverCommand(found.path, folders[0]);
  output?.appendLine(`Starting ${run.command} ${run.args.join(' ')} (from the ${found.source})`);
  const executable = { command: run.command, args: run.args, options: run.options, transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const data = clientOptionsData();
  const clientOptions: LanguageClientOptions = {
    documentSelector: data.documentSelector,
    synchronize: data.synchronize,
    diagnosticCollectionName: data.diagnosticCollectionName,
    outputChannel: output,
  };
  const languageClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  keepOwnCommands(languageClient);
  client = languageClient;
  try {
    await languageClient.start();
  } catch (error) {
    client = undefined;
    void vscode.window.showErrorMessage(`dockerls: the language server did not start (${found.path} serve): ${String(error)}`);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.stop().catch(() => undefined);
  }
}

async function folderUri(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const ofActive = active !== undefined ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (ofActive !== undefined) {
    return ofActive.uri.toString();
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length > 1) {
    return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'The folder of the dev container' }))?.uri.toString();
  }
  return folders[0]?.uri.toString();
}

/** A develop-in-container command: workspace/executeCommand, in a cancellable notification that
 * shows the progress the server reports on our token; progress the server starts itself
 * (window/workDoneProgress/create) shows in the status bar, through the language client. */
async function runServerCommand(command: string, title: string): Promise<unknown> {
  if (client === undefined) {
    await startClient();
  }
  const languageClient = client;
  if (languageClient === undefined) {
    return undefined;
  }
  const folder = await folderUri();
  const token = randomUUID();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `dockerls: ${title}`, cancellable: true },
    async (progress, cancellation) => {
      const listener = languageClient.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind !== 'end' && (value.message !== undefined || value.percentage !== undefined)) {
          progress.report({ message: value.message });
        }
      });
      try {
        return await languageClient.sendRequest(ExecuteCommandRequest.type,
          executeCommandParams(command, folder, token), cancellation);
      } catch (error) {
        if (!cancellation.isCancellationRequested) {
          void vscode.window.showErrorMessage(`dockerls: ${title} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        return undefined;
      } finally {
        listener.dispose();
      }
    });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  for (const { id, title } of SERVER_COMMANDS) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => runServerCommand(id, title)));
  }
  context.subscriptions.push(vscode.commands.registerCommand('dockerls.restartServer', async () => {
    await stopClient();
    await startClient();
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration(`${SECTION}.path`)) {
      await stopClient();
      await startClient();
    }
  }));
  context.subscriptions.push({ dispose: () => void stopClient() });
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
