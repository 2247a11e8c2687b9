// Drives VS Code (code-server) in Debian's headless chromium through playwright-core, as a user
// would, for tests/editors/test_vscode_e2e.py.  One JSON argument: {url, folder, artifacts,
// settings, settingsFile, developDockerfile, sleepDockerfile, developDockerfileText, modules, browserProfile}.
// It prints one line per step ("STEP name") and, where the test must look at the Docker engine,
// "CHECKPOINT name" and waits for a line on stdin ("ok" goes on; anything else stops it).  A failed
// step throws: the message and a screenshot (failed-<step>.png) tell what the window showed.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(process.argv[2]);
// playwright-core is in .tools/code-server (config.modules), not beside this script.
const { chromium } = createRequire(join(config.modules, 'package.json'))('playwright-core');
const CARD = ['DL3061', 'DL3007', 'DF100', 'DL4003'];  // the four problems of examples/python-app
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
let step = 'start';
let shot = 0;

function say(line) {
  process.stdout.write(`${line}\n`);
}

async function checkpoint(name) {
  say(`CHECKPOINT ${name}`);
  const answer = await stdin.next();
  if (answer.done || answer.value.trim() !== 'ok') {
    throw new Error(`the test stopped at checkpoint ${name}: ${answer.value ?? 'end of input'}`);
  }
}

async function screenshot(page, name) {
  shot += 1;
  const file = join(config.artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  say(`SCREENSHOT ${file}`);
}

/** The text of the element matching `selector` (innerText, non-breaking spaces as spaces). */
async function textOf(page, selector) {
  return page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.innerText).join('\n').replace(/\u00a0/g, ' '),
    selector);
}

async function waitForText(page, selector, predicate, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await textOf(page, selector);
    if (predicate(text)) {
      return text;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what}: not seen within ${timeout / 1000} s; ${selector} shows:\n${text.slice(0, 2000)}`);
}

/** Runs a command from the command palette (F1), by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // The row whose label is the title itself ("Format Document", not "Format Document With...").
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await row.click();
}

/** The dockerls.path field of the open Settings editor. */
const pathInput = (page) => page.locator('.settings-editor .setting-item-contents', { hasText: 'Dockerls: Path' })
  .locator('input').first();

/** Types `value` into the dockerls.path field of the open Settings editor, and waits until the
 * editor has written it to the User settings file.  Again when it has not: the editor re-renders
 * its list after a search or a write, and keys typed meanwhile go to the old field. */
async function setPath(page, value) {
  let written;
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.waitForTimeout(500);  // the list settles
    const input = pathInput(page);
    await input.waitFor({ timeout: 15000 });
    await input.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value);
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      written = JSON.parse(readFileSync(config.settingsFile, 'utf8').replace(/^\s*\/\/.*$/gm, ''))['dockerls.path'];
      if (written === value) {
        return;
      }
      await page.waitForTimeout(200);
    }
  }
  throw new Error(`the Settings editor did not write dockerls.path = ${value} to the User settings (${written})`);
}

/** Closes the Settings editor (a modal over the workbench in VS Code 1.139): Escape, else its close button. */
async function closeSettings(page) {
  const settings = page.locator('.settings-editor').first();
  for (let i = 0; i < 3 && await settings.isVisible(); i++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
  if (await settings.isVisible()) {
    say(`DEBUG ${await page.evaluate(() => {
      let e = document.querySelector('.settings-editor');
      for (let i = 0; i < 4 && e.parentElement; i++) e = e.parentElement;
      return e.outerHTML.replace(/<div class="settings-body"[\s\S]*/, '').slice(0, 3000);
    })}`);
    throw new Error('the Settings editor does not close');
  }
}

async function openFile(page, name) {
  await runCommand(page, 'Go to File...');
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
}

const editorText = (page) => textOf(page, '.editor-instance .view-lines');
const toasts = (page) => textOf(page, '.notifications-toasts');

async function main() {
  // A fresh profile (--user-data-dir) of the test's own: playwright passes it as userDataDir.
  const browser = await chromium.launchPersistentContext(config.browserProfile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  try {
    step = 'open the workspace';
    say(`STEP ${step}`);
    await page.goto(`${config.url}/?folder=${encodeURIComponent(config.folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first()
      .waitFor({ timeout: 60000 });

    step = 'the four card diagnostics in the Problems panel';
    say(`STEP ${step}`);
    await runCommand(page, 'Go to File...');
    await page.keyboard.type('Dockerfile');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dockerfile' }).first().waitFor();
    await page.keyboard.press('Enter');
    await waitForText(page, '.editor-instance .view-lines', (t) => t.includes('FROM python:latest'), 'the Dockerfile in the editor');
    await runCommand(page, 'Problems: Focus on Problems View');
    await waitForText(page, '.markers-panel', (t) => CARD.every((code) => t.includes(code)),
      `the diagnostics ${CARD.join(', ')} in the Problems panel`, 60000);
    await screenshot(page, 'diagnostics');

    step = 'a quick fix from the lightbulb menu (Ctrl+.)';
    say(`STEP ${step}`);
    await page.locator('.editor-instance .view-lines').first().click();
    await runCommand(page, 'Go to Line/Column...');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Move the cleanup into the RUN that installs' });
    await fix.first().waitFor({ timeout: 15000 });
    await screenshot(page, 'quick-fix-menu');
    await fix.first().click();
    await waitForText(page, '.editor-instance .view-lines',
      (t) => !t.includes('RUN apt-get purge') && /apt-get install[^\n]*rm -rf \/var\/lib\/apt\/lists/.test(t),
      'the cleanup moved into the installing RUN');
    await waitForText(page, '.markers-panel', (t) => !t.includes('DF100') && t.includes('DL4003'),
      'DF100 gone from the Problems panel after the fix');
    await screenshot(page, 'quick-fix-applied');

    step = 'format the document';
    say(`STEP ${step}`);
    await page.locator('.editor-instance .view-lines').first().click();
    await runCommand(page, 'Format Document');
    await waitForText(page, '.editor-instance .view-lines', (t) => t.includes('WORKDIR /app') && !/workdir +\/app/.test(t),
      'the document formatted (workdir   /app -> WORKDIR /app)');
    await runCommand(page, 'File: Save');
    await screenshot(page, 'formatted');

    step = 'dockerls.path set in the User settings editor; "not found" and its Open Settings button';
    say(`STEP ${step}`);
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor').waitFor();
    await page.keyboard.type('dockerls.path');
    await setPath(page, '/nonexistent/dockerls');
    const openSettings = page.locator('.notifications-toasts .monaco-button', { hasText: 'Open Settings' });
    await openSettings.first().waitFor({ timeout: 30000 });
    await screenshot(page, 'server-not-found');
    // Away from the setting first (another search), so that the button is what brings it back.
    await page.locator('.settings-editor .settings-header .suggest-input-container').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('editor.fontSize');
    await waitForText(page, '.settings-editor', (t) => t.includes('Font Size') && !t.includes('Dockerls: Path'),
      'the Settings editor on another setting');
    await openSettings.first().click();
    const settingsText = await waitForText(page, '.settings-editor',
      (t) => t.includes('Dockerls: Path') || t.includes('No Settings Found'), 'the Settings editor (after Open Settings)');
    const shown = settingsText.includes('No Settings Found') ? undefined : await pathInput(page).inputValue();
    if (shown !== '/nonexistent/dockerls') {
      throw new Error(`the Settings editor does not show dockerls.path (${shown}):\n${settingsText.slice(0, 1000)}`);
    }
    await screenshot(page, 'open-settings-lands-on-dockerls-path');
    // Set back, in the same editor: the extension restarts the server, which reads the User setting.
    await setPath(page, config.settings['dockerls.path']);
    await closeSettings(page);
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openFile(page, 'Dockerfile');
    await runCommand(page, 'Problems: Focus on Problems View');
    await waitForText(page, '.markers-panel', (t) => t.includes('DL3007') && t.includes('DL4003'),
      'the diagnostics again after dockerls.path is set back (User settings, server restarted)', 60000);

    step = 'Develop in Container, cancelled during RUN sleep 20';
    say(`STEP ${step}`);
    writeFileSync(config.developDockerfile, config.sleepDockerfile);
    await runCommand(page, 'dockerls: Develop in Container');
    await waitForText(page, '.notifications-toasts', (t) => t.includes('sleep 20'),
      'the RUN sleep 20 step in the progress notification', 120000);
    await screenshot(page, 'develop-progress-step');
    await checkpoint('sleeping');  // the test sees the step's process before Cancel
    await page.locator('.notifications-toasts .monaco-button', { hasText: 'Cancel' }).first().click();
    await waitForText(page, '.notifications-toasts', (t) => !t.includes('Develop in Container'),
      'the progress notification gone after Cancel', 20000);
    await screenshot(page, 'develop-cancelled');
    await checkpoint('cancelled');

    step = 'Develop in Container to the end';
    say(`STEP ${step}`);
    writeFileSync(config.developDockerfile, config.developDockerfileText);
    await runCommand(page, 'dockerls: Develop in Container');
    const seen = new Set();
    const deadline = Date.now() + 120000;
    for (;;) {
      const text = await toasts(page);
      for (const line of text.split('\n').filter((l) => l.startsWith('dockerls: '))) {
        if (/\[\d+\/\d+\] RUN/.test(line) && ![...seen].some((l) => /\[\d+\/\d+\] RUN/.test(l))) {
          await screenshot(page, 'develop-progress');  // a numbered build step in the notification
        }
        seen.add(line);
      }
      if (text.includes('is running')) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`no "is running" message within 120 s; the notifications show:\n${text}`);
      }
      await page.waitForTimeout(200);
    }
    say(`PROGRESS ${JSON.stringify([...seen])}`);
    const stop = page.locator('.notifications-toasts .monaco-button', { hasText: 'Stop' }).first();
    await stop.waitFor();
    await page.waitForTimeout(500);  // the toast slides in
    await screenshot(page, 'develop-running');
    await checkpoint('running');
    await stop.click();
    await checkpoint('stopped');
    await screenshot(page, 'develop-stopped');
    say('DONE');
  } catch (error) {
    await page.screenshot({ path: join(config.artifacts, `failed-${step.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
    say(`FAILED ${step}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
process.exit();
