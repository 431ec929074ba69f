import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramHtml, TelegramFake } from './index.js';

/** The fake must refuse what Telegram refuses, or tests against it prove nothing. */

let fake: TelegramFake;
beforeAll(async () => {
  fake = await new TelegramFake().start();
});
afterAll(async () => {
  await fake.stop();
});

async function call(method: string, params: Record<string, unknown> = {}, token = fake.token) {
  const response = await fetch(`${fake.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: Record<string, unknown> } };
}

describe('the Bot API surface', () => {
  it('refuses a wrong token with 401 Unauthorized, an unknown method with 404', async () => {
    expect(await call('getMe', {}, '123:wrong')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect((await call('sendSticker')).body).toMatchObject({ ok: false, error_code: 404 });
  });

  it('getMe answers the bot user', async () => {
    expect((await call('getMe')).body).toMatchObject({ ok: true, result: { id: 7000000001, is_bot: true, username: 'switchboard_test_bot' } });
  });

  it('sendMessage refuses what Telegram refuses', async () => {
    const refused = async (params: Record<string, unknown>) => (await call('sendMessage', params)).body.description;
    expect(await refused({ text: 'hi' })).toBe('Bad Request: chat_id is empty');
    expect(await refused({ chat_id: 1 })).toBe('Bad Request: message text is empty');
    expect(await refused({ chat_id: 1, text: 'x'.repeat(4097) })).toBe('Bad Request: message is too long');
    expect(await refused({ chat_id: 1, text: 'hi', parse_mode: 'BBCode' })).toBe('Bad Request: unsupported parse_mode');
    expect(await refused({ chat_id: 1, text: '<b>bold', parse_mode: 'HTML' })).toMatch(/Can't find end tag corresponding to start tag "b"/);
    expect(await refused({ chat_id: 1, text: '<b><i>x</b></i>', parse_mode: 'HTML' })).toMatch(/Unmatched end tag .* expected "<\/i>", found "<\/b>"/);
    expect(await refused({ chat_id: 1, text: '<div>x</div>', parse_mode: 'HTML' })).toMatch(/Unsupported start tag "div"/);
    expect(await refused({ chat_id: 1, text: 'a < b', parse_mode: 'HTML' })).toMatch(/can't parse entities/);
    expect(await refused({ chat_id: 1, text: 'fish & chips', parse_mode: 'HTML' })).toMatch(/must be escaped as "&amp;"/);
    expect(await refused({ chat_id: 1, text: 'hi', reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'x'.repeat(65) }]] } })).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(await refused({ chat_id: 1, text: 'hi', reply_parameters: { message_id: 999 } })).toBe('Bad Request: message to be replied not found');
    expect(fake.sentTo(1)).toEqual([]);
  });

  it('counts the 4096 characters after entities parsing', async () => {
    const ok = await call('sendMessage', { chat_id: 2, text: `<b>${'&amp;'.repeat(4096)}</b>`, parse_mode: 'HTML' });
    expect(ok.body.ok).toBe(true);
    expect(fake.sentTo(2)[0]!.text).toBe('&'.repeat(4096));
  });

  it('scripted 429 carries parameters.retry_after', async () => {
    fake.rateLimit('sendMessage', 3);
    expect(await call('sendMessage', { chat_id: 3, text: 'hi' })).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
    });
    expect((await call('sendMessage', { chat_id: 3, text: 'hi' })).body.ok).toBe(true);
  });

  it('answerCallbackQuery accepts only a query it delivered, once', async () => {
    await call('sendMessage', { chat_id: 4, text: 'Sure?', reply_markup: { inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel' }]] } });
    const click = fake.callbackQuery({ from: TelegramFake.user(4, 'Ana'), message: fake.sentTo(4)[0]!, data: 'cancel' });
    const id = (click.callback_query as { id: string }).id;
    expect((await call('answerCallbackQuery', { callback_query_id: id })).body).toEqual({ ok: true, result: true });
    expect((await call('answerCallbackQuery', { callback_query_id: id })).body.description).toMatch(/query is too old/);
  });
});

describe('updates', () => {
  it('getUpdates is refused while a webhook is set', async () => {
    expect((await call('setWebhook', { url: 'http://insecure.example.com/hook' })).body.description).toMatch(/HTTPS URL must be provided/);
    expect((await call('setWebhook', { url: 'https://bot.example.com/hook', secret_token: 'has spaces' })).body.description).toMatch(/unallowed characters/);
    await call('setWebhook', { url: 'https://bot.example.com/hook', secret_token: 'abc_DEF-123' });
    expect(fake.webhook).toEqual({ url: 'https://bot.example.com/hook', secret_token: 'abc_DEF-123' });
    expect((await call('getUpdates')).status).toBe(409);
    await call('deleteWebhook');
    expect((await call('getUpdates')).body).toEqual({ ok: true, result: [] });
  });

  it('a long poll returns as soon as an update is queued; offset confirms', async () => {
    const ana = TelegramFake.user(5, 'Ana');
    const poll = call('getUpdates', { timeout: 5 });
    await fake.waitFor(() => fake.callsTo('getUpdates').length > 0);
    const update = fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: '/start' });
    setTimeout(() => fake.queueUpdate(update), 50);
    const started = Date.now();
    const { body } = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(body.result).toEqual([update]);
    expect((body.result as { message: { entities: unknown } }[])[0]!.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect((await call('getUpdates', { offset: update.update_id })).body.result).toEqual([update]);
    expect((await call('getUpdates', { offset: update.update_id + 1 })).body.result).toEqual([]);
    expect(fake.pendingUpdates).toBe(0);
  });

  it('its HTML reader returns the text and entities Telegram would', () => {
    expect(parseTelegramHtml('<b>bold <i>both</i></b> &lt;3 <a href="https://x.test">link</a> <pre><code class="language-ts">x</code></pre>')).toEqual({
      text: 'bold both <3 link x',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
        { type: 'text_link', offset: 13, length: 4, url: 'https://x.test' },
        { type: 'pre', offset: 18, length: 1, language: 'ts' },
      ],
    });
  });
});
