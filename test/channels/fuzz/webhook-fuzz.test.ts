import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appMentionEvent,
  blockActions,
  eventCallback,
  FAKE_SLACK_BOT_USER_ID,
  messageChangedEvent,
  messageEvent,
  slackTs,
  slashCommand,
} from '../../support/fakes/slack/index.js';
import { TelegramFake } from '../../support/fakes/telegram/index.js';
import { inbound, metaJson, newWamid, SAMPLE_USER, statusNotification } from '../../support/fakes/whatsapp/index.js';
import { startAllChannels, type AllChannels, type Answer } from './all-channels.js';
import { hostileString } from './hostile-strings.js';
import { mutateToForm, mutateToJson, mutationsArbitrary } from './mutate-json.js';

/**
 * Property-based fuzzing of every endpoint that takes a message (issue 9, findings 2 and 3): real
 * payloads from the fakes' builders and Telegram's published samples, mutated (NUL, lone surrogates,
 * huge numbers, deep nesting, wrong types, missing fields) and then signed correctly, so every request
 * reaches the parser. For every request: no 5xx other than 503; a refused request (4xx) stores nothing
 * (people, identities, conversations, inbound messages unchanged); no error was logged. For batches:
 * the good message of a WhatsApp notification is stored and answered whatever its bad neighbour holds.
 *
 * FUZZ_RUNS sets the runs per endpoint (default 100: ~800 requests; see the timing printed at the end);
 * FUZZ_SEED replays a failure.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const settings = (numRuns = RUNS) => ({ numRuns, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true });

let h: AllChannels;
const tally = { requests: 0, refused: 0, accepted: 0 };

const started = Date.now();
let setupMs = 0;

beforeAll(async () => {
  h = await startAllChannels();
  setupMs = Date.now() - started;
}, 60_000);

beforeEach(() => {
  h.errors.length = 0;
});

afterAll(async () => {
  const closing = Date.now();
  await h?.close();
  console.info(
    `webhook fuzzing: ${tally.requests} requests, ${tally.accepted} accepted (2xx), ${tally.refused} refused (4xx); ` +
      `setup ${setupMs} ms, requests ${closing - started - setupMs} ms, close ${Date.now() - closing} ms`,
  );
});

/** Sends one request and checks what every request must satisfy. */
async function send(request: () => Promise<Answer>): Promise<Answer> {
  const before = await h.counts();
  const answer = await request();
  tally.requests++;
  expect(answer.status >= 500 && answer.status !== 503, `answered ${answer.status}: ${answer.body.slice(0, 300)}`).toBe(false);
  if (answer.status >= 400) {
    tally.refused++;
    expect(await h.counts(), `a refused request (${answer.status}) left rows behind`).toEqual(before);
  } else {
    tally.accepted++;
  }
  expect(h.errors, 'error-level log lines').toEqual([]);
  return answer;
}

// --- Slack ---

const SLACK_USER = 'U0FUZZ0001';
const SLACK_DM = 'D0FUZZ0001';

const slackEvent = fc.constantFrom('dm', 'mention', 'thread', 'edit', 'voice', 'url_verification').map((kind) => {
  switch (kind) {
    case 'dm':
      return eventCallback(messageEvent({ channel: SLACK_DM, user: SLACK_USER, text: 'hello' }));
    case 'mention':
      return eventCallback(appMentionEvent({ channel: 'C0OPS00001', user: SLACK_USER, text: `<@${FAKE_SLACK_BOT_USER_ID}> hello there` }));
    case 'thread':
      return eventCallback(messageEvent({ channel: 'C0OPS00001', user: SLACK_USER, text: `<@${FAKE_SLACK_BOT_USER_ID}> help`, thread_ts: slackTs() }));
    case 'edit':
      return eventCallback(messageChangedEvent({ channel: SLACK_DM, user: SLACK_USER, ts: slackTs(), text: 'hello again', previousText: 'hello' }));
    case 'voice':
      return eventCallback(
        messageEvent({ channel: SLACK_DM, user: SLACK_USER, text: '', files: [{ id: 'F0FUZZ0001', mimetype: 'audio/webm', subtype: 'slack_audio', size: 4096, duration_ms: 3000 }] }),
      );
    default:
      return { token: 'XXYYZZ', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
  }
});

describe('webhook fuzzing (signed, mutated real payloads)', () => {
  it('Slack events, with and without X-Slack-Retry-Num', async () => {
    await fc.assert(
      fc.asyncProperty(slackEvent, mutationsArbitrary, fc.option(fc.integer({ min: 1, max: 3 })), async (payload, mutations, retryNum) => {
        const body = mutateToJson(payload, mutations);
        await send(() => h.slackEvents(body, retryNum === null ? {} : { retryNum }));
      }),
      settings(),
    );
  });

  it('Slack retries (X-Slack-Retry-Num): a cleaned message is stored once and acknowledged again; a refused one is refused again', async () => {
    const event = messageEvent({ channel: 'D0RETRY001', user: 'U0RETRY001', text: 'hello\u0000 again\ud800' });
    const body = JSON.stringify(eventCallback(event));
    expect((await send(() => h.slackEvents(body))).status).toBe(200);
    const after = await h.counts();
    for (const retryNum of [1, 2, 3]) expect((await send(() => h.slackEvents(body, { retryNum }))).status).toBe(200);
    expect(await h.counts()).toEqual(after);
    const stored = await h.bot.messages.findInbound('slack', event.ts as string);
    expect(stored?.text).toBe('hello again\ufffd');
    const refused = JSON.stringify(eventCallback(messageEvent({ channel: 'D0RE\u0000TRY', user: 'U0RETRY001', text: 'hello' })));
    for (const retryNum of [undefined, 1, 2]) expect((await send(() => h.slackEvents(refused, retryNum === undefined ? {} : { retryNum }))).status).toBe(400);
  });

  it('Slack slash commands', async () => {
    const command = fc
      .constantFrom('/switchboard', '/task', '/deploy')
      .map((name) => slashCommand({ command: name, text: 'help', channel_id: 'C0OPS00001', user_id: SLACK_USER, user_name: 'ana' }));
    await fc.assert(
      fc.asyncProperty(command, mutationsArbitrary, async (fields, mutations) => {
        await send(() => h.slackCommand(mutateToForm(fields, mutations)));
      }),
      settings(),
    );
  });

  it('Slack interactivity (the payload field)', async () => {
    const click = fc.constantFrom('cancel', 'other').map((actionId) => blockActions({ user: SLACK_USER, channel: SLACK_DM, messageTs: slackTs(), actionId }));
    await fc.assert(
      fc.asyncProperty(click, mutationsArbitrary, async (payload, mutations) => {
        const body = new URLSearchParams({ payload: mutateToJson(payload, mutations) }).toString();
        await send(() => h.slackInteraction(body));
      }),
      settings(),
    );
  });

  // --- Telegram ---

  it('Telegram webhook (updates from the fake and from the webhook guide)', async () => {
    const samples = JSON.parse(readFileSync(new URL('../telegram/fixtures/webhook-guide-updates.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const guide = Object.entries(samples).filter(([key]) => !key.startsWith('_')).map(([, update]) => update);
    const fake = h.telegramFake;
    const ana = TelegramFake.user(1111111, 'Ana', { last_name: 'Silva', username: 'ana_silva' });
    const group = TelegramFake.group(-1001234567890, 'Agency ops');
    const update = fc.oneof(
      fc.constantFrom(...guide),
      fc.constantFrom('private', 'group', 'edited', 'voice', 'callback').map((kind) => {
        switch (kind) {
          case 'private':
            return fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: 'hello' });
          case 'group':
            return fake.message({ chat: group, from: ana, text: '/help@switchboard_test_bot' });
          case 'edited':
            return fake.editedMessage(fake.message({ chat: TelegramFake.privateChat(ana), from: ana, text: 'hello' }), 'hello again');
          case 'voice':
            return fake.voiceMessage({ chat: TelegramFake.privateChat(ana), from: ana, file: { file_id: 'AwACAgQAAxkBAAIB', file_unique_id: 'AgADx', file_size: 4096 } as never, duration: 3 });
          default:
            return fake.update({
              callback_query: {
                id: '4382bfdwdsb323b2d9',
                from: ana,
                message: { message_id: 7, chat: TelegramFake.privateChat(ana), date: Math.floor(Date.now() / 1000), text: 'Sure?' },
                chat_instance: '42',
                data: 'cancel',
              },
            });
        }
      }),
    );
    await fc.assert(
      fc.asyncProperty(update, mutationsArbitrary, async (payload, mutations) => {
        await send(() => h.telegram(mutateToJson(payload, mutations)));
      }),
      settings(),
    );
  });

  // --- WhatsApp ---

  it('WhatsApp notifications (messages of every type, statuses)', async () => {
    const payload = fc.constantFrom('text', 'audio', 'button', 'list', 'template', 'image', 'status').map((kind) => {
      switch (kind) {
        case 'text':
          return inbound.text(SAMPLE_USER, 'hello');
        case 'audio':
          return inbound.audio(SAMPLE_USER, { mediaId: '1013859600285441' });
        case 'button':
          return inbound.buttonReply(SAMPLE_USER, { id: 'cancel', title: 'Cancel' });
        case 'list':
          return inbound.listReply(SAMPLE_USER, { id: 'cancel', title: 'Cancel' });
        case 'template':
          return inbound.templateButton(SAMPLE_USER, { payload: 'cancel', text: 'Cancel' });
        case 'image':
          return inbound.image(SAMPLE_USER, { mediaId: '1013859600285442', caption: 'the logo' });
        default:
          return statusNotification({ id: newWamid(), status: 'failed', recipient: SAMPLE_USER.waId, errors: [{ code: 131047, title: 'Re-engagement message' }] });
      }
    });
    await fc.assert(
      fc.asyncProperty(payload, mutationsArbitrary, async (body, mutations) => {
        await send(() => h.whatsapp(mutateToJson(body, mutations, metaJson)));
      }),
      settings(),
    );
  });

  it('a WhatsApp batch keeps and answers its good message whatever its neighbour holds', async () => {
    // The bad neighbour: a status or a message beside the good one, in the same change or another.
    const neighbour = fc.record({
      kind: fc.constantFrom('status', 'message'),
      place: fc.constantFrom('same change', 'another change', 'another entry'),
      mutations: mutationsArbitrary,
    });
    await fc.assert(
      fc.asyncProperty(neighbour, async ({ kind, place, mutations }) => {
        const good = inbound.text({ waId: '447700900123', name: 'Good Sender' }, 'hello');
        const goodId = (good as any).entry[0].changes[0].value.messages[0].id as string;
        const item =
          kind === 'status'
            ? { id: newWamid(), status: 'delivered', timestamp: '99999999999999999', recipient_id: SAMPLE_USER.waId }
            : { from: SAMPLE_USER.waId, id: newWamid(), timestamp: '99999999999999999', type: 'text', text: { body: 'hi' } };
        const bad = mutateToJson(item, mutations, metaJson);
        const body = withNeighbour(good, place, kind === 'status' ? 'statuses' : 'messages', bad);
        const answer = await send(() => h.whatsapp(body));
        expect(answer.status, answer.body).toBe(200);
        const stored = await h.bot.messages.findInbound('whatsapp', goodId);
        expect(stored, 'the good message of the batch is stored').toBeDefined();
      }),
      settings(Math.max(10, Math.round(RUNS / 2))),
    );
  });

  it('the notification of finding 3 (a good message and a status at 99999999999999999) stores and answers the message', async () => {
    const good = inbound.text({ waId: '447700900124', name: 'Finding Three' }, 'hello');
    const value = (good as any).entry[0].changes[0].value;
    value.statuses = [{ id: newWamid(), status: 'delivered', timestamp: '99999999999999999', recipient_id: SAMPLE_USER.waId }];
    for (let delivery = 0; delivery < 3; delivery++) {
      const answer = await send(() => h.whatsapp(metaJson(good)));
      expect(answer).toMatchObject({ status: 200, body: 'EVENT_RECEIVED' });
    }
    const stored = await waitForAnswered(value.messages[0].id);
    expect(stored.status).toBe('answered');
    expect((await h.bot.messages.repliesTo(stored.id)).length).toBe(1);
  });

  it('bodies that are not valid UTF-8 (signed over the exact bytes) on every JSON endpoint', async () => {
    const endpoints = [
      { name: 'slack', body: () => JSON.stringify(eventCallback(messageEvent({ channel: SLACK_DM, user: SLACK_USER, text: 'hello' }))), send: (raw: Buffer) => h.slackEvents(raw) },
      { name: 'telegram', body: () => JSON.stringify(h.telegramFake.message({ chat: { id: 5555555, type: 'private' } as never, from: TelegramFake.user(5555555, 'Eve'), text: 'hello' })), send: (raw: Buffer) => h.telegram(raw) },
      { name: 'whatsapp', body: () => metaJson(inbound.text(SAMPLE_USER, 'hello')), send: (raw: Buffer) => h.whatsapp(raw) },
      { name: 'converse', body: () => JSON.stringify({ user: 'bytes-user', text: 'hello' }), send: (raw: Buffer) => h.converse(raw) },
      { name: 'webchat', body: () => JSON.stringify({ text: 'hello' }), send: (raw: Buffer) => h.webchatMessage(raw) },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fc.nat(), fc.constantFrom(...RAW_BYTES), async (endpoint, at, bytes) => {
        await send(() => endpoint.send(spliceBytes(endpoint.body(), at, bytes)));
      }),
      settings(Math.max(10, Math.round(RUNS / 2))),
    );
  });

  // --- converse API and web chat ---

  it('POST /api/converse', async () => {
    const request = fc.record(
      { user: hostileString({ minLength: 1 }), text: hostileString({ maxLength: 40 }), conversation: hostileString({ minLength: 1 }), messageId: hostileString({ minLength: 1 }), name: hostileString() },
      { requiredKeys: ['user', 'text'] },
    );
    await fc.assert(
      fc.asyncProperty(request, fc.option(mutationsArbitrary), async (body, mutations) => {
        const answer = await send(() => h.converse(mutations ? mutateToJson(body, mutations) : JSON.stringify(body)));
        if (answer.status === 200) {
          expect(JSON.parse(answer.body).replies.length).toBeGreaterThan(0);
        }
      }),
      settings(),
    );
  });

  it('POST /api/converse keeps a message whose text or name holds NUL or lone surrogates, and refuses such ids', async () => {
    const kept = await send(() => h.converse(JSON.stringify({ user: 'nul-user', text: 'hello\u0000 there\ud800', name: 'A\u0000na\udc00' })));
    expect(kept.status).toBe(200);
    const person = await h.bot.people.findByIdentity('webchat', 'nul-user');
    expect(person?.displayName).toBe('Ana\ufffd');
    const stored = await h.stores.db.query<{ text: string }>(`SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = 'nul-user' AND m.direction = 'in'`);
    expect(stored.rows.map((r) => r.text)).toEqual(['hello there\ufffd']);
    for (const field of ['user', 'conversation', 'messageId']) {
      const answer = await send(() => h.converse(JSON.stringify({ user: 'nul-user', text: 'hi', [field]: 'x\u0000y' })));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.message).toContain(field);
    }
  });

  it('web chat messages and voice uploads', async () => {
    const message = fc.record({ text: hostileString({ maxLength: 40 }), clientMessageId: hostileString({ minLength: 8, maxLength: 20 }) }, { requiredKeys: ['text'] });
    await fc.assert(
      fc.asyncProperty(message, fc.option(mutationsArbitrary), async (body, mutations) => {
        await send(() => h.webchatMessage(mutations ? mutateToJson(body, mutations) : JSON.stringify(body)));
      }),
      settings(),
    );
    const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(latin1, fc.uint8Array({ minLength: 1, maxLength: 256 }), async (subtype, bytes) => {
        await send(() => h.webchatVoice(Buffer.from(bytes), `audio/${subtype || 'wav'}`));
      }),
      settings(Math.max(10, Math.round(RUNS / 3))),
    );
  });
});

/** Bytes spliced into a body: invalid UTF-8, an overlong NUL, a CESU-8 lone surrogate, a raw NUL, a BOM. */
const RAW_BYTES = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x00], [0xef, 0xbb, 0xbf], [0xf4, 0x90, 0x80, 0x80]];

function spliceBytes(body: string, at: number, bytes: number[]): Buffer {
  const raw = Buffer.from(body, 'utf8');
  const offset = at % (raw.length + 1);
  return Buffer.concat([raw.subarray(0, offset), Buffer.from(bytes), raw.subarray(offset)]);
}

/** The notification `good` with `bad` (raw JSON of a message or status) placed beside its message. */
function withNeighbour(good: Record<string, unknown>, place: string, list: 'messages' | 'statuses', bad: string): string {
  const copy = structuredClone(good) as any;
  const marker = '__neighbour__';
  const value = copy.entry[0].changes[0].value;
  if (place === 'same change') {
    value[list] = [...(value[list] ?? []), marker];
  } else {
    const change = { field: 'messages', value: { messaging_product: 'whatsapp', metadata: value.metadata, [list]: [marker] } };
    if (place === 'another change') copy.entry[0].changes.push(change);
    else copy.entry.push({ id: copy.entry[0].id, changes: [change] });
  }
  return metaJson(copy).replace(`"${marker}"`, () => bad);
}

async function waitForAnswered(wamid: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await h.bot.messages.findInbound('whatsapp', wamid);
    if (row?.status === 'answered') return row;
    if (Date.now() > deadline) throw new Error(`${wamid} was not answered (status ${row?.status ?? 'not stored'})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

