import type { OutboundMessage, ReplyButton } from '../message.js';

/** sendMessage takes 1-4096 characters of text "after entities parsing" (the visible text). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** callback_data: 1-64 bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;
const BUTTONS_PER_ROW = 3;

export interface InlineKeyboardMarkup {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** The parameters of one sendMessage call. */
export interface SendMessageRequest {
  chat_id: number | string;
  text: string;
  parse_mode: 'HTML';
  message_thread_id?: number;
  reply_markup?: InlineKeyboardMarkup;
}

/**
 * Escapes plain text for `parse_mode: "HTML"`. The Bot API: "All `<`, `>` and `&` symbols that are
 * not a part of a tag or an HTML entity must be replaced with the corresponding HTML entities".
 * Quotes need no escaping outside attributes, and we write no attributes.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Splits plain text into parts of at most `limit` UTF-16 code units (how Telegram counts; a code
 * point outside the BMP counts twice, which errs on the safe side). A part ends at the last
 * paragraph break, else line break, else space that leaves it at least half full; failing that,
 * at the last break of any kind; a single "word" longer than the limit (a long URL) is cut between
 * grapheme clusters, so no emoji or accented letter is broken. Whitespace at the cuts is dropped.
 *
 * The text is split before it is escaped, so no cut can fall inside `&amp;` or a tag.
 *
 * @example
 * splitText('a'.repeat(3000) + '\n\n' + 'b'.repeat(3000)); // ['aaa…', 'bbb…']
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Where to end the next part of `text` (which starts with a non-space and is longer than `limit`). */
function findCut(text: string, limit: number): number {
  const half = Math.floor(limit / 2);
  // A separator starting at `limit` still leaves a part of exactly `limit` characters.
  const paragraph = lastMatchStart(text, /\n[ \t]*\n/g, limit);
  const line = text.lastIndexOf('\n', limit);
  const space = lastWhitespace(text, limit);
  for (const at of [paragraph, line, space]) if (at >= half) return at;
  const any = Math.max(paragraph, line, space);
  if (any > 0) return any;
  return graphemeCut(text, limit);
}

function lastMatchStart(text: string, pattern: RegExp, limit: number): number {
  let found = -1;
  for (const match of text.slice(0, limit + 2).matchAll(pattern)) {
    if (match.index <= limit) found = match.index;
  }
  return found;
}

function lastWhitespace(text: string, limit: number): number {
  for (let i = Math.min(limit, text.length - 1); i > 0; i--) if (/\s/.test(text[i]!)) return i;
  return -1;
}

function graphemeCut(text: string, limit: number): number {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let cut = 0;
  for (const { index } of segmenter.segment(text.slice(0, limit + 32))) {
    if (index > limit) break;
    cut = index;
  }
  if (cut > 0) return cut;
  // One grapheme longer than the limit (pathological): cut between code points at least.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/**
 * The inline keyboard for a reply's buttons; `callback_data` is the button id, which comes back
 * as the text of the click (`viaButton`). Buttons may cancel; they never confirm.
 */
export function inlineKeyboard(buttons: readonly ReplyButton[]): InlineKeyboardMarkup | undefined {
  if (buttons.length === 0) return undefined;
  const keys = buttons.map((button) => {
    const bytes = Buffer.byteLength(button.id, 'utf8');
    if (bytes < 1 || bytes > CALLBACK_DATA_MAX_BYTES) {
      throw new RangeError(`button id "${button.id}" must be 1-${CALLBACK_DATA_MAX_BYTES} bytes to be Telegram callback_data`);
    }
    return { text: button.label, callback_data: button.id };
  });
  const rows: InlineKeyboardMarkup['inline_keyboard'] = [];
  for (let i = 0; i < keys.length; i += BUTTONS_PER_ROW) rows.push(keys.slice(i, i + BUTTONS_PER_ROW));
  return { inline_keyboard: rows };
}

/**
 * The sendMessage calls for one outbound message: its text split (see `splitText`), each part
 * escaped for HTML, in the message's chat and forum topic; the buttons ride on the last part, so
 * they sit under the end of what they refer to.
 */
export function renderMessage(message: OutboundMessage): SendMessageRequest[] {
  const parts = splitText(message.text);
  if (parts.length === 0) throw new RangeError('a Telegram message needs some text');
  const chatId = /^-?\d+$/.test(message.conversation) ? Number(message.conversation) : message.conversation;
  const threadId = message.thread !== undefined && /^\d+$/.test(message.thread) ? Number(message.thread) : undefined;
  const keyboard = inlineKeyboard(message.buttons ?? []);
  return parts.map((part, index) => ({
    chat_id: chatId,
    text: escapeHtml(part),
    parse_mode: 'HTML',
    ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
    ...(keyboard && index === parts.length - 1 ? { reply_markup: keyboard } : {}),
  }));
}
