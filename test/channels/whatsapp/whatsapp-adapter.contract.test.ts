import type { RawRequest } from '../../../channels/index.js';
import { createWhatsAppChannel, WHATSAPP_WEBHOOK_PATH } from '../../../channels/whatsapp/index.js';
import { FAKE_WHATSAPP, inbound, metaJson, signMetaPayload, WhatsAppGraphFake } from '../../support/fakes/whatsapp/index.js';
import { testConfig } from '../../support/test-config.js';
import { channelAdapterContract, contractDeps } from '../channel-adapter.contract.js';

const SENDER = { waId: '447700900555', name: 'Contract Sender' };

const notification = (body: unknown, secret: string = FAKE_WHATSAPP.appSecret): RawRequest => {
  const raw = metaJson(body);
  return {
    method: 'POST',
    path: WHATSAPP_WEBHOOK_PATH,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(raw, secret) },
    query: {},
    rawBody: Buffer.from(raw),
  };
};

channelAdapterContract('whatsapp', async () => {
  const fake = await new WhatsAppGraphFake().start();
  const config = testConfig({
    WHATSAPP_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
    WHATSAPP_APP_SECRET: FAKE_WHATSAPP.appSecret,
    WHATSAPP_VERIFY_TOKEN: FAKE_WHATSAPP.verifyToken,
    WHATSAPP_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
    WHATSAPP_GRAPH_URL: fake.url,
  });
  const adapter = createWhatsAppChannel(config.whatsapp!, contractDeps());
  return {
    adapter,
    requests: {
      good: (text) => notification(inbound.text(SENDER, text)),
      forged: (text) => notification(inbound.text(SENDER, text), 'not-the-app-secret-0000000'),
      malformed: () => notification({ object: 'page', entry: [{ id: '1', changes: [] }] }),
      unstorableId: () => notification(inbound.text(SENDER, 'hello', { id: 'wamid.\u0000contract' })),
    },
    conversation: SENDER.waId,
    received: () => fake.sent.filter((sent) => sent.to === SENDER.waId).map((sent) => sent.text),
    givesMessageId: true,
    media: async (size) => ({ kind: 'voice', fileRef: fake.addMedia(`${size}00001`, Buffer.alloc(size, 1), 'audio/ogg').id }),
    close: async () => {
      await adapter.stop();
      await fake.stop();
    },
  };
});
