import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { freePort, hasTool } from '@leviathan/test-support';
import { type HeadlessChromium, launchChromium } from '@leviathan/test-support/chromium';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricValue } from '../../engine/test/helpers/prometheus-text.js';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// The browser client rides out a server restart: it reconnects by itself with backoff, logs in
// again, and the character is where it was (the embedded store kept it across the restart).
describe.skipIf(!hasTool('chromium'))('the browser client across a server restart', () => {
  let chrome: HeadlessChromium | undefined;
  let browser: BrowserContext;
  let data: string;
  let server: LeviathanServer | undefined;

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-restart-'));
    chrome = await launchChromium();
    browser = chrome.context;
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
    if (data) await rm(data, { recursive: true, force: true });
  });

  it('reconnects with backoff and finds the character where it was', async () => {
    const port = await freePort();
    const options = { port, store: { kind: 'embedded', dataDir: data } };
    server = (await startMud(options)).server;
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('input[name="mode"][value="token"]').check();
    await page.locator('#username').fill('sal');
    await page.locator('#token').fill('test-token');
    await page.locator('#connect').click();
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('Fishmarket Square');
    await page.locator('#input').fill('east');
    await page.locator('#input').press('Enter');
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('The Fish Stalls');

    // The server goes away (bye 1001, going away): the client keeps trying.
    await server.close();
    server = undefined;
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 20_000 })
      .toMatch(/^reconnecting/);

    // A new server on the same port and store: the page logs in again by itself.
    server = (await startMud(options)).server;
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 40_000 }).toBe('online (sal)');
    await expect
      .poll(() => page.locator('#log').textContent(), { timeout: 20_000 })
      .toContain('Connection lost; reconnecting');
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('The Fish Stalls');
  });

  it('resumes the character after a dropped connection, with what it missed', async () => {
    const port = await freePort();
    server = (await startMud({ port })).server;
    const page = await browser.newPage();
    // A stand-in for a lost network: the page's sockets are recorded, and while `__block` is set
    // new ones go to a closed port (they fail, and the client backs off and tries again).
    await page.addInitScript(() => {
      const w = window as unknown as {
        __sockets: WebSocket[];
        __block: boolean;
        WebSocket: typeof WebSocket;
      };
      const Native = w.WebSocket;
      w.__sockets = [];
      w.__block = false;
      w.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(w.__block ? 'ws://127.0.0.1:9/' : url, protocols);
          w.__sockets.push(this);
        }
      };
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('input[name="mode"][value="token"]').check();
    await page.locator('#username').fill('ulf');
    await page.locator('#token').fill('test-token');
    await page.locator('#connect').click();
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('Fishmarket Square');
    const vic = await MudClient.login(`ws://127.0.0.1:${port}/ws`, 'vic');
    try {
      // The connection drops (the client closes with an application code, as a dying network
      // stack might; the server sees no quit) and reconnects are blocked for now.
      await page.evaluate(() => {
        const w = window as unknown as { __sockets: WebSocket[]; __block: boolean };
        w.__block = true;
        w.__sockets.at(-1)?.close(4000, 'network lost');
      });
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 20_000 })
        .toMatch(/^reconnecting/);
      await expect
        .poll(async () => metricValue(await server!.metrics(), 'leviathan_connected_players'), {
          timeout: 20_000,
        })
        .toBe(1);
      // Ulf is still in the world, and misses this.
      expect(String((await vic.cmd('who')).text)).toMatch(/\bulf\b/);
      await vic.cmd('say the tide is turning');
      await page.evaluate(() => {
        (window as unknown as { __block: boolean }).__block = false;
      });
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 40_000 })
        .toBe('online (ulf)');
      await expect
        .poll(() => page.locator('#log').textContent(), { timeout: 20_000 })
        .toContain("vic says, 'the tide is turning'");
      await expect
        .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
        .toBe('Fishmarket Square');
      // Resumed, not logged in again: vic never saw ulf leave or arrive.
      expect(
        vic.received.some((m) => m.type === 'text' && /ulf has (left|entered) the world/.test(m.text)),
      ).toBe(false);
    } finally {
      await vic.closeAndWait();
      await page.close();
      await server?.close();
      server = undefined;
    }
  });
});
