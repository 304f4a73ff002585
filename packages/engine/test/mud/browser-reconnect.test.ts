import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, hasTool } from '@leviathan/test-support';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../../src/server/create-server.js';
import { startMud } from './helpers/mud-server.js';

// The browser client rides out a server restart: it reconnects by itself with backoff, logs in
// again, and the character is where it was (the embedded store kept it across the restart).
describe.skipIf(!hasTool('chromium'))('the browser client across a server restart', () => {
  let browser: BrowserContext;
  let profile: string;
  let data: string;
  let server: LeviathanServer | undefined;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'lev-chromium-'));
    data = await mkdtemp(join(tmpdir(), 'lev-restart-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const d of [profile, data]) if (d) await rm(d, { recursive: true, force: true });
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
});
