import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestAudio, type TestAudio } from '../support/audio.js';
import { OpenAiFake } from '../support/fakes/openai/index.js';
import { spawnService, tempDataDir, type SpawnedService } from '../support/spawn-service.js';
import { describeNeeding } from '../support/needs.js';
import { CHROMIUM } from '../support/requirements.js';

/**
 * The web chat's record button, for real: Chromium's fake microphone plays a spoken WAV, the page
 * records it, decodes it with the Web Audio API and uploads 16 kHz WAV; the running service
 * transcribes it through the OpenAI fake and creates the tasks it holds.
 */
describeNeeding('browser', 'espeak-ng')('a voice note recorded in the web chat', () => {
  let audio: TestAudio;
  let openai: OpenAiFake;
  let service: SpawnedService;
  let browser: Browser;

  beforeAll(async () => {
    audio = await createTestAudio();
    const wav = await audio.speak('remind me to call John tomorrow and send Acme the proposal on Friday');
    openai = await new OpenAiFake().start();
    openai.respondWith(() => 'remind me to call John tomorrow and send Acme the proposal on Friday');
    service = await spawnService({ DATA_DIR: tempDataDir(), OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.url });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await openai?.stop();
    await audio?.dispose();
  });

  it('is transcribed, shown back, and becomes tasks', async () => {
    const context = await browser.newContext({ permissions: ['microphone'] });
    const page = await context.newPage();
    await page.goto(service.url);
    await expect.poll(() => page.getByTestId('identity').textContent()).toMatch(/^You are webchat:/);

    await page.getByTestId('record').click();
    await page.waitForTimeout(4_000);
    await page.getByTestId('record').click();

    await expect.poll(() => page.getByTestId('bot-message').count(), { timeout: 30_000 }).toBe(2);
    const replies = await page.getByTestId('bot-message').allTextContents();
    expect(replies[0]).toBe('I heard: “remind me to call John tomorrow and send Acme the proposal on Friday”');
    expect(replies[1]).toMatch(/^Created 2 tasks:\n• #1 call John — due .*\n• #2 send Acme the proposal — due Fri/);
    expect(await page.getByTestId('user-message').allTextContents()).toEqual([expect.stringMatching(/^🎤 voice note \(\d+\.\d s\)$/)]);

    const request = openai.requests.at(-1)!;
    expect(request).toMatchObject({ sampleRate: 16_000, channels: 1 });
    expect(request.durationSeconds).toBeGreaterThan(2);
  });
});
