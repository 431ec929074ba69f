/**
 * The baseline of bench:telegram: a bare grammY webhook bot that answers every text message with
 * the same text, through the same local Bot API as Switchboard. Run as its own process, so its CPU
 * is measured apart from the benchmark's.
 *
 *   BOT_TOKEN=… API_ROOT=http://127.0.0.1:… SECRET=… node --import tsx bench/turns/bare-grammy-bot.ts
 *
 * Prints `listening <port>` once it accepts webhooks.
 */
import http from 'node:http';
import { Bot, webhookCallback } from 'grammy';

const bot = new Bot(process.env.BOT_TOKEN!, {
  client: { apiRoot: process.env.API_ROOT! },
  // Known up front, as a deployed bot sets it, so no getMe call is measured.
  botInfo: {
    id: Number(process.env.BOT_TOKEN!.split(':')[0]),
    is_bot: true,
    first_name: 'Bare',
    username: 'bare_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as never,
});
bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));

const server = http.createServer(webhookCallback(bot, 'http', { secretToken: process.env.SECRET }));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
