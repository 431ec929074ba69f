import { readFileSync } from 'node:fs';
import type { WebContact, WebMessage, WebMessageMedia } from '../../../channels/whatsapp-web/index.js';

/**
 * Message objects as whatsapp-web.js emits them with its `message` event, recorded as JSON from the
 * library's documented Message fields (id, from, to, author, body, type, timestamp, fromMe, hasMedia,
 * isForwarded, isStatus, broadcast, duration, location, selectedButtonId…), with the two methods the
 * channel calls stubbed: downloadMedia() and getContact().
 */
export function recorded(name: string, methods: { media?: WebMessageMedia | null; contact?: WebContact | Error } = {}): WebMessage & { downloads: number } {
  const data = JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Omit<WebMessage, 'downloadMedia' | 'getContact'>;
  const message = {
    ...data,
    downloads: 0,
    async downloadMedia() {
      message.downloads++;
      return methods.media ?? null;
    },
    async getContact(): Promise<WebContact> {
      if (methods.contact instanceof Error) throw methods.contact;
      return methods.contact ?? { pushname: 'Sheena Nelson', name: undefined };
    },
  };
  return message;
}
