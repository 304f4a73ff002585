import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { LOGIN_OPTIONS_PATH, parseLoginOptions } from '@leviathan/protocol';
import { hasTool } from '@leviathan/test-support';
import { type HeadlessChromium, launchChromium } from '@leviathan/test-support/chromium';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMud } from './helpers/mud-server.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// The first minute of a new player: the page opens on the way in its server takes. It asks the
// server (GET /login-options) before it draws the form.
describe.skipIf(!hasTool('chromium'))('the browser login form follows the server', () => {
  let chrome: HeadlessChromium | undefined;
  let browser: BrowserContext;
  const servers: LeviathanServer[] = [];
  let data: string | undefined;

  beforeAll(async () => {
    chrome = await launchChromium();
    browser = chrome.context;
  });
  afterAll(async () => {
    await chrome?.close();
    await Promise.all(servers.map((s) => s.close()));
    if (data) await rm(data, { recursive: true, force: true });
  });

  const roomTitle = (page: Page) =>
    expect.poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 });

  it('a development server: any name and Enter gets you in, the token filled in', async () => {
    const { server, port } = await startMud({ verifier: undefined, auth: { mode: 'dev' } });
    servers.push(server);
    // The wire contract first: what any client reads at the path.
    const answer = await fetch(`http://127.0.0.1:${port}${LOGIN_OPTIONS_PATH}`);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(parseLoginOptions(await answer.json())).toEqual({
      auth: 'dev',
      secrets: ['token'],
      register: false,
      devToken: 'test-token',
    });

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    // A player who last chose password login on this page (the way that failed before) is not
    // sent that way again.
    await page.evaluate(() => localStorage.setItem('leviathan.mode', 'login'));
    await page.reload();
    await expect
      .poll(() => page.locator('#login-hint').textContent(), { timeout: 20_000 })
      .toMatch(/^Development server: any name logs in, and the token is filled in for you/);
    expect(await page.locator('#password').isVisible()).toBe(false);
    expect(await page.locator('#token').isVisible()).toBe(false);
    expect(await page.locator('.modes').isVisible()).toBe(false);
    await page.locator('#username').fill('nia');
    await page.locator('#username').press('Enter');
    await roomTitle(page).toBe('Fishmarket Square');
    expect(await page.locator('#status').textContent()).toBe('online (nia)');
    await page.close();
  });

  it('a server with accounts: name and password, and how to make an account', async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-login-options-'));
    const { server, port } = await startMud({
      verifier: undefined,
      auth: { mode: 'accounts' },
      store: { kind: 'embedded', dataDir: data },
    });
    servers.push(server);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect
      .poll(() => page.locator('#login-hint').textContent(), { timeout: 20_000 })
      .toBe(
        'Log in with your name and password. New here? Choose "Create an account", then pick a name and a password.',
      );
    expect(await page.locator('#password').isVisible()).toBe(true);
    expect(await page.locator('#token').isVisible()).toBe(false);
    expect(await page.locator('label[data-mode="login"]').isVisible()).toBe(true);
    expect(await page.locator('label[data-mode="register"]').isVisible()).toBe(true);
    expect(await page.locator('label[data-mode="token"]').isVisible()).toBe(false);
    expect(await page.locator('input[name="mode"][value="login"]').isChecked()).toBe(true);

    // Without a password the page says what is missing, before asking the server.
    await page.locator('#username').fill('orla');
    await page.locator('#username').press('Enter');
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('A password is needed.');

    // Following the hint gets a new player in.
    await page.locator('input[name="mode"][value="register"]').check();
    await page.locator('#password').fill('a long sea shanty');
    await page.locator('#password').press('Enter');
    await roomTitle(page).toBe('Fishmarket Square');
    await page.close();
  });

  it('a server that cannot tell (older than the route): every way in, and a clear word', async () => {
    const { server, port } = await startMud({ verifier: undefined, auth: { mode: 'dev' } });
    servers.push(server);
    const page = await browser.newPage();
    // A stand-in for an older server in front of this page: the path is not found there.
    await page.route(`**${LOGIN_OPTIONS_PATH}`, (route) =>
      route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
    );
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect
      .poll(() => page.locator('#login-hint').textContent(), { timeout: 20_000 })
      .toMatch(/^This server did not say how it takes logins.*token test-token\.$/);
    for (const mode of ['login', 'register', 'token'])
      expect(await page.locator(`label[data-mode="${mode}"]`).isVisible(), mode).toBe(true);
    // The hint's advice works: Token, with test-token already in the field.
    await page.locator('input[name="mode"][value="token"]').check();
    expect(await page.locator('#token').inputValue()).toBe('test-token');
    await page.locator('#username').fill('pim');
    await page.locator('#username').press('Enter');
    await roomTitle(page).toBe('Fishmarket Square');
    await page.close();
  });
});
