import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWording as say } from '../../../bot/client/index.js';
import type { PostedMessage } from '../../support/fakes/slack/index.js';
import { startClientService, texts, type ClientService } from './client-service.js';

/**
 * The hand-off with the team on Slack: the notice starts a thread of its own in the team's channel, the
 * client's messages while a person has the conversation go into that thread, a reply in the thread
 * reaches the client's WhatsApp from the bot's number, and `handback` in the thread gives it back.
 */

const BOB = 'U0BOB00042';
const TEAM = 'C0TEAM0042';
const ZOE = { waId: '447700900321', name: 'Zoe Park' };

let h: ClientService;
beforeAll(async () => {
  h = await startClientService();
  const bob = await h.service.bot.people.grant('slack', BOB, 'admin');
  await h.service.bot.people.setDisplayName(bob.id, 'Bob');
  // Bob has talked to the bot in the team channel (in a thread of his own message).
  await h.slackSay(BOB, TEAM, `<@${h.slack.botUserId}> hello`);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('hand-off with the team on Slack', () => {
  let notice: PostedMessage;

  it('the notice starts its own thread in the team channel; the client is quiet-listened to in it', async () => {
    expect(texts(await h.client(ZOE, 'I need to speak to someone from your team'))).toEqual([say.HANDED_OFF]);
    notice = h.slack.posted.find((p) => p.text?.includes('Zoe Park (whatsapp) asked to talk to a person.'))!;
    expect(notice).toMatchObject({ channel: TEAM, thread_ts: undefined });
    expect(await h.client(ZOE, 'It is about the invoice')).toEqual([]);
    expect(h.slack.posted.filter((p) => p.thread_ts === notice.ts).map((p) => p.text)).toEqual(['💬 Zoe Park: It is about the invoice']);
  });

  it("a reply in the notice's thread reaches the client; handback there gives the conversation back", async () => {
    const acknowledged = await h.slackSay(BOB, TEAM, "Hi Zoe, Bob here. I'll check the invoice now.", notice);
    expect(acknowledged.map((p) => [p.thread_ts, p.text])).toEqual([[notice.ts, say.RELAYED]]);
    expect(texts(h.whatsapp.sentTo(ZOE.waId)).at(-1)).toBe("Hi Zoe, Bob here. I'll check the invoice now.");

    const done = await h.slackSay(BOB, TEAM, 'handback', notice);
    expect(done.map((p) => p.text)).toEqual([say.handedBackTo('Zoe Park on whatsapp')]);
    expect(texts(h.whatsapp.sentTo(ZOE.waId)).at(-1)).toBe(say.HANDED_BACK);
    expect(texts(await h.client(ZOE, 'hello'))).toEqual([say.greeting('Zoe Park')]);
  });
});
