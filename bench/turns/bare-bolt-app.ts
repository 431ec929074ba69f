/**
 * The baseline of bench:slack: a bare Bolt app (HTTP receiver, requests verified with the signing
 * secret) that answers every message with the same text through `say`, against the same local Slack
 * Web API as Switchboard. Run as its own process, so its CPU is measured apart from the benchmark's.
 *
 *   SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… SLACK_API_URL=http://127.0.0.1:…/api/ node --import tsx bench/turns/bare-bolt-app.ts
 *
 * Prints `listening <port>` once it accepts events (at /slack/events, Bolt's default).
 */
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN!,
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL! },
  logLevel: LogLevel.ERROR,
});
app.message(async ({ message, say }) => {
  if ('text' in message && message.text) await say(message.text);
});

const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
server.keepAliveTimeout = 60_000;
console.log(`listening ${(server.address() as { port: number }).port}`);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
