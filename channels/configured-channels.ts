import type { Config } from '../config/index.js';
import type { ChannelAdapter, ChannelDeps } from './channel-port.js';
import { createSlackChannel } from './slack/index.js';
import { createTelegramChannel } from './telegram/index.js';
import { createWhatsAppWebChannel } from './whatsapp-web/index.js';
import { createWhatsAppChannel } from './whatsapp/index.js';

/**
 * The channels whose credentials are set (the web chat is always on and built by the bot itself).
 * A channel with partial credentials never gets here: config validation stops start-up first.
 */
export function configuredChannels(config: Config, deps: ChannelDeps): ChannelAdapter[] {
  const channels: ChannelAdapter[] = [];
  if (config.slack) channels.push(createSlackChannel(config.slack, deps));
  if (config.telegram) channels.push(createTelegramChannel(config.telegram, { ...deps, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }));
  // Both speak for the same number, so only one may run (config validation refuses both).
  if (config.whatsapp) channels.push(createWhatsAppChannel(config.whatsapp, deps));
  else if (config.whatsappWeb) channels.push(createWhatsAppWebChannel(config.whatsappWeb, deps));
  return channels;
}
