import type { Config } from '../config/index.js';
import type { ChannelAdapter, ChannelDeps } from './channel-port.js';

/**
 * The channels whose credentials are set (the web chat is always on and built by the bot itself).
 * A channel with partial credentials never gets here: config validation stops start-up first.
 *
 * Only the configured channels' modules are loaded: Bolt and grammY cost about half a second of CPU
 * to load under tsx (bench:start), which a service without Slack or Telegram should not pay at start.
 */
export async function configuredChannels(config: Config): Promise<(deps: ChannelDeps) => ChannelAdapter[]> {
  const { slack, telegram, whatsapp, whatsappWeb } = config;
  const [slackModule, telegramModule, whatsappModule, whatsappWebModule] = await Promise.all([
    slack ? import('./slack/index.js') : undefined,
    telegram ? import('./telegram/index.js') : undefined,
    whatsapp ? import('./whatsapp/index.js') : undefined,
    // Both speak for the same number, so only one may run (config validation refuses both).
    !whatsapp && whatsappWeb ? import('./whatsapp-web/index.js') : undefined,
  ]);
  return (deps) => {
    const channels: ChannelAdapter[] = [];
    if (slack && slackModule) channels.push(slackModule.createSlackChannel(slack, deps));
    if (telegram && telegramModule) {
      channels.push(telegramModule.createTelegramChannel(telegram, { ...deps, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }));
    }
    if (whatsapp && whatsappModule) channels.push(whatsappModule.createWhatsAppChannel(whatsapp, deps));
    else if (whatsappWeb && whatsappWebModule) channels.push(whatsappWebModule.createWhatsAppWebChannel(whatsappWeb, deps));
    return channels;
  };
}
