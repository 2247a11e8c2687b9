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
  WorkDoneProgressCancelNotification,
} from 'vscode-languageclient/node';

import {
  CLIENT_ID,
  CLIENT_NAME,
  SECTION,
  SERVER_COMMANDS,
  clientOptionsData,
  commandArgument,
  commandsLeftToTheClient,
  executeCommandParams,
  progressIncrement,
  serverCommand,
} from './config';
import { findExecutable, missingExecutableMessage } from './lookup';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let executablePath: string | undefined; // the dockerls the server runs: `dockerls exec` in a terminal

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
  executablePath = found.path;
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

/** A develop-in-container command: workspace/executeCommand with our workDoneToken, in a
 * cancellable notification that shows the steps and percentages the server reports on it.
 * `given` are the arguments the command was invoked with (a code lens passes its folder). */
async function runServerCommand(command: string, title: string, given: unknown[]): Promise<unknown> {
  if (client === undefined) {
    await startClient();
  }
  const languageClient = client;
  if (languageClient === undefined) {
    return undefined;
  }
  const argument = commandArgument(given, given.length > 0 ? undefined : await folderUri());
  const token = randomUUID();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `dockerls: ${title}`, cancellable: true },
    async (progress, cancellation) => {
      let last = 0;
      const listener = languageClient.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind !== 'end') {
          const step = progressIncrement(last, value.percentage);
          last = step.last;
          progress.report({ message: value.message, increment: step.increment });
        }
      });
      // Cancel also cancels the progress on our token: the server stops the build on either, and an
      // older server stopped it only on this one (its $/cancelRequest cancelled the answer,
      // not the running command).  tests/editors/test_vscode_e2e.py checks that the RUN step's
      // process is gone after Cancel.
      const onCancel = cancellation.onCancellationRequested(() => {
        void languageClient.sendNotification(WorkDoneProgressCancelNotification.type, { token });
      });
      try {
        return await languageClient.sendRequest(ExecuteCommandRequest.type,
          executeCommandParams(command, argument, token), cancellation);
      } catch (error) {
        if (!cancellation.isCancellationRequested) {
          void vscode.window.showErrorMessage(`dockerls: ${title} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        return undefined;
      } finally {
        listener.dispose();
        onCancel.dispose();
      }
    });
  void offerNextSteps(command, argument, result);
  return result;
}

/** After develop / rebuild: say the container runs, with what to do next. */
async function offerNextSteps(command: string, argument: Record<string, unknown> | undefined, result: unknown): Promise<void> {
  const outcome = result as { outcome?: string; containerId?: string; containerName?: string } | undefined;
  if (!['dockerls.develop', 'dockerls.rebuild'].includes(command) || outcome?.outcome !== 'success' || !outcome.containerId) {
    return;
  }
  const name = outcome.containerName ?? outcome.containerId.slice(0, 12);
  const choice = await vscode.window.showInformationMessage(`dockerls: the development container ${name} is running`,
    'Open a terminal in it', 'Show logs', 'Stop');
  if (choice === 'Open a terminal in it') {
    const uri = typeof argument?.uri === 'string' ? vscode.Uri.parse(argument.uri).fsPath : undefined;
    const folder = typeof argument?.folder === 'string' ? argument.folder : uri;
    const terminal = vscode.window.createTerminal({
      name: `dockerls: ${name}`, shellPath: executablePath ?? 'dockerls', shellArgs: ['exec', '-p', folder ?? '.'], cwd: folder,
    });
    terminal.show();
  } else if (choice === 'Show logs') {
    await vscode.commands.executeCommand('dockerls.logs', argument);
  } else if (choice === 'Stop') {
    await vscode.commands.executeCommand('dockerls.down', argument);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  for (const { id, title } of SERVER_COMMANDS) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runServerCommand(id, title, args)));
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
