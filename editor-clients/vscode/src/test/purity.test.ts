// The modules the unit tests load must not need VS Code.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';

it('lookup and config do not import vscode or the language client', () => {
  for (const name of ['lookup.js', 'config.js']) {
    const code = fs.readFileSync(path.resolve(__dirname, '..', name), 'utf8');
    assert.doesNotMatch(code, /require\("vscode(-languageclient[^"]*)?"\)/, name);
  }
});
