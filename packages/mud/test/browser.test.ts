import type { LeviathanServer } from '@leviathan/engine';
import { hasTool } from '@leviathan/test-support';
import { type HeadlessChromium, launchChromium } from '@leviathan/test-support/chromium';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// A real headless Chromium (Debian's) against the real server serving the web client at `/`.
const haveChromium = hasTool('chromium');

describe.skipIf(!haveChromium)('the browser client', () => {
  let server: LeviathanServer;
  let port: number;
  let url: string;
  let chrome: HeadlessChromium | undefined;
  let browser: BrowserContext;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    ({ server, port, url } = await startMud());
    chrome = await launchChromium();
    browser = chrome.context;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await chrome?.close();
    await server?.close();
  });

  it('logs in, walks, and shows another player saying something', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${port}/`) && !r.url().startsWith(`ws://127.0.0.1:${port}/`))
        external.push(r.url());
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    // Each login mode shows its own secret field only.
    expect(await page.locator('#password').isVisible()).toBe(true);
    expect(await page.locator('#token').isVisible()).toBe(false);
    await page.locator('input[name="mode"][value="token"]').check();
    expect(await page.locator('#password').isVisible()).toBe(false);
    expect(await page.locator('#token').isVisible()).toBe(true);
    await page.locator('#username').fill('wren');
    await page.locator('#token').fill('test-token');
    await page.locator('#connect').click();

    // The room panel is fed by the structured `room` event.
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('Fishmarket Square');
    await expect.poll(() => page.locator('#log').textContent()).toContain('Welcome to the Drowned Coast.');

    // The character panel is fed by the structured `vitals` event: numbers, and bars that a
    // screen reader finds by their names and reads as "30 of 30".
    await expect.poll(() => page.locator('#health-text').textContent(), { timeout: 20_000 }).toBe('30/30');
    expect(await page.locator('#energy-text').textContent()).toBe('20/20');
    expect(await page.locator('#vitals-level').textContent()).toBe('Level 1');
    expect(await page.locator('#vitals-xp').textContent()).toBe('0 experience, 100 to the next level');
    const health = page.getByRole('meter', { name: 'Health' });
    const figures = (m: Element) => [(m as HTMLMeterElement).value, (m as HTMLMeterElement).max];
    expect(await health.evaluate(figures)).toEqual([30, 30]);
    expect(await health.getAttribute('aria-valuetext')).toBe('30 of 30');
    const energy = page.getByRole('meter', { name: 'Energy' });
    expect(await energy.evaluate(figures)).toEqual([20, 20]);
    expect(await energy.getAttribute('aria-valuetext')).toBe('20 of 20');

    // Another player arrives: the occupants list follows `presence` events.
    const zed = await MudClient.login(url, 'zed');
    clients.push(zed);
    await expect.poll(() => page.locator('#occupants').textContent(), { timeout: 20_000 }).toContain('zed');

    // Walk east and back, typing commands.
    const input = page.locator('#input');
    await input.fill('e');
    await input.press('Enter');
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('The Fish Stalls');
    await input.fill('west');
    await input.press('Enter');
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('Fishmarket Square');
    await zed.text('wren arrives from the east.');

    // Zed speaks; the browser shows it in the scrollback.
    await zed.cmd('say Hello, browser!');
    await expect
      .poll(() => page.locator('#log').textContent(), { timeout: 20_000 })
      .toContain("zed says, 'Hello, browser!'");

    // Input history: up recalls the last command.
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('west');
    // Exits are buttons that walk.
    await page.locator('#exits button', { hasText: 'north' }).click();
    await expect
      .poll(() => page.locator('#room-title').textContent(), { timeout: 20_000 })
      .toBe('High Street');

    expect(external).toEqual([]);
  });

  it('shows health falling in the character panel during a fight', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('input[name="mode"][value="token"]').check();
    // root may teleport (the test verifier gives it the admin role), straight to the
    // barrow-wight. Not the conger eel: a level-1 character kills the eel in three rounds or so,
    // and in one fight in fifteen (6.6 % of 200,000 simulated with the combat rules) the eel
    // misses every swing first, so health never falls.
    // The wight attacks whoever comes, and lands 19 swings in 20.
    await page.locator('#username').fill('root');
    await page.locator('#token').fill('test-token');
    await page.locator('#connect').click();
    await expect.poll(() => page.locator('#health-text').textContent(), { timeout: 20_000 }).toBe('30/30');
    const input = page.locator('#input');
    await input.fill('teleport forest:barrow-deep');
    await input.press('Enter');
    await expect
      .poll(() => page.locator('#log').textContent(), { timeout: 20_000 })
      .toContain('The barrow-wight attacks you!');
    // The wight's blows arrive as `vitals` events on the tick: the meter and its text follow them.
    const health = page.getByRole('meter', { name: 'Health' });
    await expect
      .poll(() => health.evaluate((m) => (m as HTMLMeterElement).value), { timeout: 60_000 })
      .toBeLessThan(30);
    const [value, max] = await health.evaluate((m) => [
      (m as HTMLMeterElement).value,
      (m as HTMLMeterElement).max,
    ]);
    expect(max).toBe(30);
    expect(await page.locator('#health-text').textContent()).toMatch(/^\d+\/30$/);
    expect(await health.getAttribute('aria-valuetext')).toMatch(/^\d+ of 30$/);
    expect(value).toBeGreaterThanOrEqual(0);
  });
});
