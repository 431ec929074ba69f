import { SwitchboardError } from '../../core/errors.js';

/**
 * The part of whatsapp-web.js (1.34) this channel uses, typed here rather than imported: the
 * package is an optional dependency, so nothing may need it to type-check or to load. Field names
 * follow the library's documented `Client`, `Message`, `MessageMedia` and `Contact`.
 */

export interface WebMessageId {
  /** e.g. `false_15551234567@c.us_3EB0C431C26A1916F9D4` */
  _serialized: string;
  fromMe?: boolean;
  remote?: string;
  id?: string;
}

export interface WebMessageMedia {
  mimetype: string;
  /** Base64 */
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

export interface WebContact {
  pushname?: string;
  name?: string;
  shortName?: string;
}

export interface WebMessage {
  id: WebMessageId;
  /** The chat: `15551234567@c.us` for a person, `…@g.us` for a group, `status@broadcast` for stories. */
  from: string;
  to?: string;
  /** In a group, the participant who wrote. */
  author?: string;
  body: string;
  /** chat, ptt (voice note), audio, image, video, document, sticker, location, vcard, buttons_response, list_response, … */
  type: string;
  /** Unix seconds. */
  timestamp?: number;
  fromMe: boolean;
  hasMedia: boolean;
  isForwarded?: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  /** Seconds, for audio and video (the library gives a string). */
  duration?: string | number;
  selectedButtonId?: string;
  selectedRowId?: string;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string; description?: string };
  downloadMedia(): Promise<WebMessageMedia | undefined | null>;
  getContact?(): Promise<WebContact>;
}

export interface WebClientEvents {
  qr: [qr: string];
  authenticated: [];
  auth_failure: [message: string];
  ready: [];
  /** `LOGOUT` when the phone unlinked this device; otherwise the connection state. */
  disconnected: [reason: string];
  message: [message: WebMessage];
}

export interface WebClient {
  on<E extends keyof WebClientEvents>(event: E, listener: (...args: WebClientEvents[E]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: WebMessageId }>;
  getMessageById?(messageId: string): Promise<WebMessage | null | undefined>;
}

/** What the channel needs from the package: a client with its login kept in a folder (LocalAuth). */
export interface WhatsAppWebLibrary {
  createClient(options: { sessionDir: string }): WebClient;
}

/** whatsapp-web.js is not installed (or cannot load): the WhatsApp Web channel cannot start. */
export class WhatsAppWebUnavailableError extends SwitchboardError {
  readonly code = 'whatsapp_web_unavailable';
}

const PACKAGE = 'whatsapp-web.js';

/**
 * Loads whatsapp-web.js on demand (only when the channel starts), so the service runs without it.
 * The importer is a parameter for tests.
 */
export async function loadWhatsAppWeb(importer: (specifier: string) => Promise<unknown> = (specifier) => import(specifier)): Promise<WhatsAppWebLibrary> {
  let loaded: unknown;
  try {
    loaded = await importer(PACKAGE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new WhatsAppWebUnavailableError(
      missing
        ? 'WhatsApp Web needs the optional package whatsapp-web.js, which is not installed. Install it with ' +
            '`PUPPETEER_SKIP_DOWNLOAD=true npm install whatsapp-web.js@1.34.7` and point Puppeteer at a browser with ' +
            'PUPPETEER_EXECUTABLE_PATH (e.g. /usr/bin/chromium), or set WHATSAPP_WEB_ENABLED=false.'
        : `whatsapp-web.js could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const module = ((loaded as { default?: unknown }).default ?? loaded) as { Client?: unknown; LocalAuth?: unknown };
  if (typeof module.Client !== 'function' || typeof module.LocalAuth !== 'function') {
    throw new WhatsAppWebUnavailableError('The installed whatsapp-web.js does not export Client and LocalAuth; install version 1.34.7.');
  }
  const Client = module.Client as new (options: Record<string, unknown>) => WebClient;
  const LocalAuth = module.LocalAuth as new (options: { clientId?: string; dataPath?: string }) => unknown;
  return {
    createClient: ({ sessionDir }) =>
      new Client({
        authStrategy: new LocalAuth({ clientId: 'switchboard', dataPath: sessionDir }),
        // Puppeteer reads PUPPETEER_EXECUTABLE_PATH itself. Chromium's sandbox cannot run as root
        // (containers); there, and only there, it is turned off.
        puppeteer: { headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox', '--disable-dev-shm-usage'] : ['--disable-dev-shm-usage'] },
      }),
  };
}
