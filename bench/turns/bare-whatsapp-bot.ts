/**
 * The baseline of bench:whatsapp: a bare WhatsApp Cloud API webhook bot. There is no framework for the
 * Cloud API's webhooks, so this is what one writes by hand: node:http, the `X-Hub-Signature-256` HMAC
 * of the raw body checked with the App Secret, `200` at once, then every text message answered with
 * the same text by `POST {graph}/{version}/{phone_number_id}/messages`, against the same local Graph
 * API as Switchboard. Run as its own process, so its CPU is measured apart from the benchmark's.
 *
 *   GRAPH_URL=http://127.0.0.1:… ACCESS_TOKEN=… APP_SECRET=… PHONE_NUMBER_ID=… node --import tsx bench/turns/bare-whatsapp-bot.ts
 *
 * Prints `listening <port>` once it accepts webhooks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const APP_SECRET = process.env.APP_SECRET!;
const ACCESS_TOKEN = process.env.ACCESS_TOKEN!;
const messagesUrl = `${process.env.GRAPH_URL!}/${process.env.API_VERSION ?? 'v21.0'}/${process.env.PHONE_NUMBER_ID!}/messages`;

interface Notification {
  entry?: { changes?: { value?: { messages?: { from: string; type: string; text?: { body: string } }[] } }[] }[];
}

function signedByMeta(body: Buffer, header: string | string[] | undefined): boolean {
  const match = typeof header === 'string' ? /^sha256=([0-9a-f]{64})$/.exec(header) : null;
  if (!match) return false;
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), createHmac('sha256', APP_SECRET).update(body).digest());
}

async function reply(to: string, body: string): Promise<void> {
  const response = await fetch(messagesUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { body } }),
  });
  if (!response.ok) console.error(`send failed: ${response.status} ${await response.text()}`);
  else await response.arrayBuffer();
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    if (request.method !== 'POST' || !signedByMeta(body, request.headers['x-hub-signature-256'])) {
      response.writeHead(401).end();
      return;
    }
    let notification: Notification;
    try {
      notification = JSON.parse(body.toString('utf8')) as Notification;
    } catch {
      response.writeHead(400).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
    const messages = (notification.entry ?? []).flatMap((entry) => (entry.changes ?? []).flatMap((change) => change.value?.messages ?? []));
    for (const message of messages) {
      if (message.type === 'text' && message.text) reply(message.from, message.text.body).catch((error: unknown) => console.error(`send failed: ${String(error)}`));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
