import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { hasTool } from '@leviathan/test-support';
import { type HeadlessChromium, launchChromium } from '@leviathan/test-support/chromium';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTelnetServer, type TelnetServer } from '../src/telnet/index.js';
import { startMud } from './helpers/mud-server.js';
import { TcpClient } from './helpers/tcp-client.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// Account registration and password login, from the browser client and from telnet, against a
// server in `accounts` auth mode with its embedded store in a temporary directory.
let server: LeviathanServer;
let port: number;
let telnet: TelnetServer;
let data: string;

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'lev-accounts-'));
  ({ server, port } = await startMud({
    verifier: undefined,
    auth: { mode: 'accounts' },
    store: { kind: 'embedded', dataDir: data },
  }));
  telnet = createTelnetServer({ port: 0, gatewayUrl: `ws://127.0.0.1:${port}/ws`, secretAs: 'password' });
  await telnet.listen();
});
afterAll(async () => {
  await telnet?.close();
  await server?.close();
  if (data) await rm(data, { recursive: true, force: true });
});

describe('accounts over telnet', () => {
  it('creates an account with "new", then logs in with the password', async () => {
    const t = new TcpClient(telnet.port);
    t.line('');
    await t.waitFor('By what name are you known?');
    t.line('new');
    await t.waitFor('Choose a name');
    t.line('Rook');
    await t.waitFor('Choose a password: ');
    t.line('correct horse battery');
    await t.waitFor('Fishmarket Square');
    t.line('quit');
    await t.closed;

    const again = new TcpClient(telnet.port);
    again.line('');
    await again.waitFor('By what name are you known?');
    again.line('Rook');
    await again.waitFor('Password: ');
    again.line('wrong password');
    await again.waitFor('By what name are you known?');
    again.line('Rook');
    await again.waitFor('Password: ');
    again.line('correct horse battery');
    await again.waitFor('Fishmarket Square');
    again.line('quit');
    await again.closed;
  });
});

describe.skipIf(!hasTool('chromium'))('accounts in the browser client', () => {
  let chrome: HeadlessChromium | undefined;
  let browser: BrowserContext;
  beforeAll(async () => {
    chrome = await launchChromium();
    browser = chrome.context;
  });
  afterAll(async () => {
    await chrome?.close();
  });

  it('registers, plays, and logs in again with the password', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('input[name="mode"][value="register"]').check();
    await page.locator('#username').fill('Wren2');
    await page.locator('#password').fill('a long enough secret');
    await page.locator('#connect').click();
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('Fishmarket Square');
    await page.locator('#input').fill('quit');
    await page.locator('#input').press('Enter');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^offline/);
    await page.close();

    const next = await browser.newPage();
    await next.goto(`http://127.0.0.1:${port}/`);
    // The page remembers the name, and that the account now logs in.
    expect(await next.locator('#username').inputValue()).toBe('Wren2');
    expect(await next.locator('input[name="mode"][value="login"]').isChecked()).toBe(true);
    await next.locator('#password').fill('not it');
    await next.locator('#connect').click();
    await expect.poll(() => next.locator('#login-error').textContent(), { timeout: 20_000 }).not.toBe('');
    await next.locator('#password').fill('a long enough secret');
    await next.locator('#connect').click();
    await expect
      .poll(() => next.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('Fishmarket Square');
  });
});
