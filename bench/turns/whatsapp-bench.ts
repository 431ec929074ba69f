import { FAKE_WHATSAPP, inbound, metaJson, signMetaPayload, WhatsAppGraphFake } from '../../test/support/fakes/whatsapp/index.js';
import type { ChannelBench } from './run-turn-bench.js';

/** One WhatsApp number per benchmark chat (E.164 digits, a range the tests do not use). */
const FIRST_NUMBER = 447_700_000_000;
const waId = (chat: number) => String(FIRST_NUMBER + chat);

/**
 * WhatsApp Cloud API: text-message notifications with unique wamids, serialised as Meta serialises
 * them and signed with the App Secret (`X-Hub-Signature-256`); replies through the Graph API fake.
 * Every number is seeded as staff (strangers on WhatsApp are clients), so the turn is the same
 * task-creating turn as on the other channels.
 */
export const whatsappBench: ChannelBench = {
  name: 'whatsapp',
  async startFake(onReply) {
    const fake = await new WhatsAppGraphFake().start();
    fake.onSent.push((message) => onReply(Number(message.to.replace(/^\+/, '')) - FIRST_NUMBER));
    return { url: fake.url, stop: () => fake.stop() };
  },
  serviceEnv: (fakeUrl) => ({
    WHATSAPP_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
    WHATSAPP_APP_SECRET: FAKE_WHATSAPP.appSecret,
    WHATSAPP_VERIFY_TOKEN: FAKE_WHATSAPP.verifyToken,
    WHATSAPP_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
    WHATSAPP_GRAPH_URL: fakeUrl,
  }),
  identity: (chat) => ({ channel: 'whatsapp', externalId: waId(chat) }),
  displayName: (chat) => `Bench ${chat}`,
  request(chat, _sequence, text) {
    // inbound.text gives each message a fresh wamid, which is what Meta deduplicates by.
    const body = metaJson(inbound.text({ waId: waId(chat), name: `Bench ${chat}` }, text));
    return {
      path: '/webhooks/whatsapp',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        'x-hub-signature-256': signMetaPayload(body, FAKE_WHATSAPP.appSecret),
      },
      body,
    };
  },
  bareBot: {
    script: 'bench/turns/bare-whatsapp-bot.ts',
    env: (fakeUrl) => ({
      GRAPH_URL: fakeUrl,
      ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
      APP_SECRET: FAKE_WHATSAPP.appSecret,
      PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
    }),
    webhookPath: '/',
  },
};
