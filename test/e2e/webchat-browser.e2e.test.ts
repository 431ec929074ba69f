import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnService, tempDataDir, type SpawnedService } from '../support/spawn-service.js';
import { describeNeeding } from '../support/needs.js';
import { CHROMIUM } from '../support/requirements.js';

describeNeeding('browser')('the web chat in a browser', () => {
  let service: SpawnedService;
  let browser: Browser;

  beforeAll(async () => {
    service = await spawnService({ DATA_DIR: tempDataDir() });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('sends a message, shows the reply, and shows the history again after a reload', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(service.url)) external.push(request.url());
    });
    await page.goto(service.url);
    await expect.poll(() => page.getByTestId('identity').textContent()).toMatch(/^You are webchat:web-[0-9a-f]{16}$/);

    await page.getByTestId('input').fill('hello');
    await page.getByTestId('send').click();
    await page.getByTestId('bot-message').first().waitFor();
    expect(await page.getByTestId('user-message').allTextContents()).toEqual(['hello']);
    expect(await page.getByTestId('bot-message').allTextContents()).toEqual([expect.stringMatching(/^Hello! I'm Switchboard/)]);

    await page.reload();
    await page.getByTestId('bot-message').first().waitFor();
    expect(await page.getByTestId('user-message').allTextContents()).toEqual(['hello']);
    expect(await page.getByTestId('bot-message').count()).toBe(1);
    expect(external).toEqual([]);
  });
});
