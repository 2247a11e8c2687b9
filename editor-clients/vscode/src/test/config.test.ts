import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import {
  CLIENT_COMMANDS,
  CLIENT_ID,
  SECTION,
  SERVER_COMMANDS,
  clientOptionsData,
  commandsLeftToTheClient,
  documentSelector,
  commandArgument,
  executeCommandParams,
  progressIncrement,
  serverCommand,
} from '../config';

// out/test/ -> the extension's folder
const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the language client configuration', () => {
  it('starts `dockerls serve` from the first folder', () => {
    const run = serverCommand('/ws/.venv/bin/dockerls', '/ws', { PATH: '/usr/bin' });
    assert.equal(run.command, '/ws/.venv/bin/dockerls');
    assert.deepEqual(run.args, ['serve']);
    assert.equal(run.options.cwd, '/ws');
    assert.equal(run.options.env.PATH, '/usr/bin');
  });

  it('selects Dockerfiles, compose files and devcontainer.json', () => {
    const selector = documentSelector();
    assert.deepEqual(selector.filter((f) => f.language !== undefined).map((f) => `${f.scheme}:${f.language}`),
      ['file:dockerfile', 'untitled:dockerfile', 'file:dockercompose', 'untitled:dockercompose']);
    const patterns = selector.filter((f) => f.pattern !== undefined).map((f) => f.pattern);
    assert.ok(patterns.includes('**/.devcontainer/devcontainer.json'));
    assert.ok(patterns.includes('**/.devcontainer.json'));
  });

  it('syncs the dockerls settings section, which the server asks for', () => {
    const data = clientOptionsData();
    assert.equal(SECTION, 'dockerls');
    assert.deepEqual(data.synchronize, { configurationSection: 'dockerls' });
    assert.deepEqual(data.documentSelector, documentSelector());
  });

  it('forwards a command with the folder and a progress token', () => {
    assert.deepEqual(executeCommandParams('dockerls.develop', 'file:///ws', 'tok'),
      { command: 'dockerls.develop', arguments: ['file:///ws'], workDoneToken: 'tok' });
    assert.deepEqual(executeCommandParams('dockerls.logs'), { command: 'dockerls.logs', arguments: [] });
  });

  it('passes the code lens argument through and falls back to the folder URI', () => {
    assert.deepEqual(commandArgument([{ folder: '/ws/svc' }], 'file:///ws'), { folder: '/ws/svc', offerActions: false });
    assert.deepEqual(commandArgument([], 'file:///ws'), { uri: 'file:///ws', offerActions: false });
    assert.deepEqual(commandArgument(['file:///other'], 'file:///ws'), { uri: 'file:///other', offerActions: false });
  });

  it('turns percentages into increments that never go back', () => {
    assert.deepEqual(progressIncrement(0, 40), { increment: 40, last: 40 });
    assert.deepEqual(progressIncrement(40, 30), { last: 40 });
    assert.deepEqual(progressIncrement(40, undefined), { last: 40 });
  });

  it('leaves only the server commands it does not register itself to the language client', () => {
    assert.deepEqual(commandsLeftToTheClient(['dockerls.develop', 'dockerls.applyFix', 'dockerls.logs']), ['dockerls.applyFix']);
    assert.deepEqual(commandsLeftToTheClient(undefined), []);
  });
});

describe('package.json', () => {
  it('activates on the languages and devcontainer.json', () => {
    const events: string[] = manifest.activationEvents;
    for (const event of ['onLanguage:dockerfile', 'onLanguage:dockercompose',
      'workspaceContains:**/.devcontainer/devcontainer.json', 'workspaceContains:**/.devcontainer.json']) {
      assert.ok(events.includes(event), event);
    }
    assert.equal(manifest.main, './out/extension.js');
  });

  it('has a palette entry for every command', () => {
    const contributed = (manifest.contributes.commands as { command: string; title: string }[])
      .map((c) => ({ id: c.command, title: c.title }));
    assert.deepEqual(contributed, [...SERVER_COMMANDS, ...CLIENT_COMMANDS].map((c) => ({ id: c.id, title: c.title })));
  });

  it('documents every setting with a default, and names the trace setting after the client id', () => {
    const properties: Record<string, { default?: unknown; description?: string; markdownDescription?: string }> =
      manifest.contributes.configuration.properties;
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(key.startsWith(`${SECTION}.`), key);
      assert.ok(property.default !== undefined, `${key} has no default`);
      assert.ok((property.description ?? property.markdownDescription ?? '').length > 10, `${key} has no description`);
    }
    for (const key of ['dockerls.path', 'dockerls.ignore', 'dockerls.severity', 'dockerls.features.diagnostics',
      'dockerls.features.formatting', `${CLIENT_ID}.trace.server`]) {
      assert.ok(key in properties, key);
    }
  });
});
