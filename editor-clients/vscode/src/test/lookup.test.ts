import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { expandSetting, findExecutable, missingExecutableMessage, pathCandidates } from '../lookup';

/** An isExecutable that knows only these files. */
const only = (...files: string[]) => (file: string) => files.includes(file);

describe('findExecutable', () => {
  const env = { PATH: '/usr/local/bin:/usr/bin', HOME: '/home/u' };
  const folders = ['/ws/a', '/ws/b'];

  it('takes the setting first', () => {
    const result = findExecutable({ setting: '/opt/dockerls/bin/dockerls', workspaceFolders: folders, env,
      platform: 'linux', isExecutable: only('/opt/dockerls/bin/dockerls', '/ws/a/.venv/bin/dockerls', '/usr/bin/dockerls') });
    assert.deepEqual(result, { found: true, path: '/opt/dockerls/bin/dockerls', source: 'setting' });
  });

  it('expands ~ and ${workspaceFolder}, and resolves a relative setting from the first folder', () => {
    const home = findExecutable({ setting: '~/.local/bin/dockerls', env, platform: 'linux',
      isExecutable: only('/home/u/.local/bin/dockerls') });
    assert.deepEqual(home, { found: true, path: '/home/u/.local/bin/dockerls', source: 'setting' });
    const ws = findExecutable({ setting: '${workspaceFolder}/tools/dockerls', workspaceFolders: folders, env,
      platform: 'linux', isExecutable: only('/ws/a/tools/dockerls') });
    assert.deepEqual(ws, { found: true, path: '/ws/a/tools/dockerls', source: 'setting' });
    const relative = findExecutable({ setting: 'env/bin/dockerls', workspaceFolders: folders, env,
      platform: 'linux', isExecutable: only('/ws/a/env/bin/dockerls') });
    assert.deepEqual(relative, { found: true, path: '/ws/a/env/bin/dockerls', source: 'setting' });
  });

  it('looks a bare command name in the setting up on PATH', () => {
    const result = findExecutable({ setting: 'dockerls-dev', env, platform: 'linux',
      isExecutable: only('/usr/bin/dockerls-dev') });
    assert.deepEqual(result, { found: true, path: '/usr/bin/dockerls-dev', source: 'setting' });
  });

  it('does not fall back when the setting names a missing file', () => {
    const result = findExecutable({ setting: '/nope/dockerls', workspaceFolders: folders, env, platform: 'linux',
      isExecutable: only('/usr/bin/dockerls', '/ws/a/.venv/bin/dockerls') });
    assert.deepEqual(result, { found: false, tried: ['/nope/dockerls'], setting: '/nope/dockerls' });
  });

  it('then the workspace .venv, folder by folder', () => {
    const result = findExecutable({ workspaceFolders: folders, env, platform: 'linux',
      isExecutable: only('/ws/b/.venv/bin/dockerls', '/usr/bin/dockerls') });
    assert.deepEqual(result, { found: true, path: '/ws/b/.venv/bin/dockerls', source: 'venv' });
  });

  it('then PATH, in order', () => {
    const result = findExecutable({ setting: '  ', workspaceFolders: folders, env, platform: 'linux',
      isExecutable: only('/usr/bin/dockerls', '/usr/local/bin/dockerls') });
    assert.deepEqual(result, { found: true, path: '/usr/local/bin/dockerls', source: 'PATH' });
  });

  it('uses Scripts\\dockerls.exe and PATHEXT on Windows', () => {
    const winEnv = { Path: 'C:\\Python\\Scripts;C:\\bin', PATHEXT: '.EXE;.CMD' };
    const venv = findExecutable({ workspaceFolders: ['C:\\ws'], env: winEnv, platform: 'win32',
      isExecutable: only('C:\\ws\\.venv\\Scripts\\dockerls.exe') });
    assert.deepEqual(venv, { found: true, path: 'C:\\ws\\.venv\\Scripts\\dockerls.exe', source: 'venv' });
    assert.deepEqual(pathCandidates('dockerls', winEnv, 'win32'), [
      'C:\\Python\\Scripts\\dockerls.exe', 'C:\\Python\\Scripts\\dockerls.cmd', 'C:\\bin\\dockerls.exe', 'C:\\bin\\dockerls.cmd']);
  });

  it('lists what it tried when nothing is there', () => {
    const result = findExecutable({ workspaceFolders: ['/ws/a'], env, platform: 'linux', isExecutable: only() });
    assert.deepEqual(result, { found: false, tried: ['/ws/a/.venv/bin/dockerls', '/usr/local/bin/dockerls', '/usr/bin/dockerls'] });
  });

  it('checks real files: executable bit, not a directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerls-lookup-'));
    try {
      const bin = path.join(dir, '.venv', 'bin');
      fs.mkdirSync(bin, { recursive: true });
      const exe = path.join(bin, 'dockerls');
      fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o644 });
      const notExecutable = findExecutable({ workspaceFolders: [dir], env: { PATH: '' }, platform: 'linux' });
      assert.equal(notExecutable.found, false);
      fs.chmodSync(exe, 0o755);
      const executable = findExecutable({ workspaceFolders: [dir], env: { PATH: '' }, platform: 'linux' });
      assert.deepEqual(executable, { found: true, path: exe, source: 'venv' });
      const directory = findExecutable({ setting: bin, env: { PATH: '' }, platform: 'linux' });
      assert.equal(directory.found, false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('expandSetting', () => {
  it('expands ${env:NAME} and ${userHome}', () => {
    assert.equal(expandSetting('${env:TOOLS}/dockerls', undefined, { TOOLS: '/t', HOME: '/h' }), '/t/dockerls');
    assert.equal(expandSetting('${userHome}/x', undefined, { HOME: '/h' }), '/h/x');
  });
});

describe('missingExecutableMessage', () => {
  it('says how to install dockerls and where it looked', () => {
    const message = missingExecutableMessage({ found: false, tried: [] });
    assert.match(message, /not found/);
    assert.match(message, /pipx install dockerls-tools/);
    assert.match(message, /dockerls\.path/);
    assert.match(message, /\.venv/);
  });

  it('names a wrong setting', () => {
    const message = missingExecutableMessage({ found: false, tried: ['/nope'], setting: '/nope' });
    assert.match(message, /"dockerls\.path" setting names "\/nope"/);
  });

  it('is empty when dockerls was found', () => {
    assert.equal(missingExecutableMessage({ found: true, path: '/usr/bin/dockerls', source: 'PATH' }), '');
  });
});
