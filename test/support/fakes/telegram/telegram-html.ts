/**
 * The Telegram fake's reading of `parse_mode: "HTML"`, written from the Bot API's "HTML style"
 * section (https://core.telegram.org/bots/api#html-style) and independent of the channel's own
 * formatting code, so a bug there cannot hide here.
 *
 * It accepts exactly the documented tags, the four named entities (`&lt;` `&gt;` `&amp;` `&quot;`)
 * and numeric entities, and returns the text after entities parsing (what the 4096-character limit
 * counts) with its entities. It is stricter than Telegram in one way, on purpose: the docs say every
 * `<`, `>` and `&` that is not part of a tag or an entity "must be replaced", so a bare one is refused
 * here even where Telegram's parser might let it pass.
 */

export interface HtmlEntity {
  type: string;
  /** In UTF-16 code units, as the Bot API counts. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface ParsedHtml {
  text: string;
  entities: HtmlEntity[];
}

/** A refusal, worded like Telegram's `Bad Request: can't parse entities: …`. */
export class TelegramHtmlError extends Error {
  constructor(detail: string) {
    super(`Bad Request: can't parse entities: ${detail}`);
    this.name = 'TelegramHtmlError';
  }
}

const ENTITY_OF: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  'tg-emoji': 'custom_emoji',
  'tg-time': 'date_time',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface Open {
  name: string;
  entity: HtmlEntity;
  at: number;
}

export function parseTelegramHtml(html: string): ParsedHtml {
  let text = '';
  const entities: HtmlEntity[] = [];
  const stack: Open[] = [];
  const byteOffset = (i: number) => Buffer.byteLength(html.slice(0, i), 'utf8');
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw new TelegramHtmlError(`Unclosed start tag at byte offset ${byteOffset(i)}`);
      const raw = html.slice(i + 1, end);
      if (raw.startsWith('/')) {
        const name = raw.slice(1).trim().toLowerCase();
        const top = stack.pop();
        if (!top) throw new TelegramHtmlError(`Unexpected end tag at byte offset ${byteOffset(i)}`);
        if (top.name !== name) {
          throw new TelegramHtmlError(`Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${top.name}>", found "</${name}>"`);
        }
        top.entity.length = text.length - top.entity.offset;
        if (top.entity.length > 0 && top.entity.type) entities.push(top.entity);
      } else {
        const { name, attributes } = readTag(raw, byteOffset(i));
        const entity = openEntity(name, attributes, stack, byteOffset(i));
        entity.offset = text.length;
        stack.push({ name, entity, at: i });
      }
      i = end + 1;
      continue;
    }
    if (c === '&') {
      const match = /^&(?:([a-z]+)|#(\d+)|#x([0-9a-f]+));/i.exec(html.slice(i, i + 12));
      const decoded = match ? decodeEntity(match) : undefined;
      if (!match || decoded === undefined) {
        throw new TelegramHtmlError(`Character "&" at byte offset ${byteOffset(i)} must be escaped as "&amp;" (only &lt; &gt; &amp; &quot; and numeric entities exist)`);
      }
      text += decoded;
      i += match[0].length;
      continue;
    }
    if (c === '>') throw new TelegramHtmlError(`Character ">" at byte offset ${byteOffset(i)} must be escaped as "&gt;"`);
    text += c;
    i++;
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TelegramHtmlError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) };
}

function decodeEntity(match: RegExpExecArray): string | undefined {
  if (match[1] !== undefined) return Object.hasOwn(NAMED, match[1]) ? NAMED[match[1]] : undefined;
  const code = Number.parseInt(match[2] ?? match[3]!, match[2] !== undefined ? 10 : 16);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function readTag(raw: string, at: number): { name: string; attributes: Map<string, string> } {
  const match = /^([a-zA-Z][a-zA-Z0-9-]*)([\s\S]*)$/.exec(raw);
  if (!match) throw new TelegramHtmlError(`Unsupported start tag "${raw}" at byte offset ${at}`);
  const name = match[1]!.toLowerCase();
  if (!(name in ENTITY_OF)) throw new TelegramHtmlError(`Unsupported start tag "${name}" at byte offset ${at}`);
  const attributes = new Map<string, string>();
  const rest = match[2]!.trim().replace(/\/$/, '').trim();
  const pattern = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?\s*/y;
  for (let pos = 0; pos < rest.length; ) {
    pattern.lastIndex = pos;
    const m = pattern.exec(rest);
    if (!m) throw new TelegramHtmlError(`Can't parse attributes of tag "${name}" at byte offset ${at}`);
    attributes.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
    pos = pattern.lastIndex;
  }
  return { name, attributes };
}

function openEntity(name: string, attributes: Map<string, string>, stack: Open[], at: number): HtmlEntity {
  const inside = stack.at(-1)?.name;
  if (inside === 'code' || (inside === 'pre' && name !== 'code')) {
    throw new TelegramHtmlError(`Tag "${name}" can't be inside "${inside}" at byte offset ${at}: pre and code entities can't contain other entities`);
  }
  if (name === 'blockquote' && stack.some((open) => open.name === 'blockquote')) {
    throw new TelegramHtmlError(`Blockquote entities can't be nested (byte offset ${at})`);
  }
  const entity: HtmlEntity = { type: ENTITY_OF[name]!, offset: 0, length: 0 };
  switch (name) {
    case 'a': {
      const href = attributes.get('href');
      if (!href) throw new TelegramHtmlError(`Tag "a" must have attribute "href" at byte offset ${at}`);
      entity.url = href;
      break;
    }
    case 'span':
      if (attributes.get('class') !== 'tg-spoiler') throw new TelegramHtmlError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
      break;
    case 'tg-emoji':
      if (!/^\d+$/.test(attributes.get('emoji-id') ?? '')) throw new TelegramHtmlError(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${at}`);
      break;
    case 'tg-time':
      if (!/^\d+$/.test(attributes.get('unix') ?? '')) throw new TelegramHtmlError(`Tag "tg-time" must have attribute "unix" at byte offset ${at}`);
      break;
    case 'code': {
      const cls = attributes.get('class');
      if (cls !== undefined) {
        if (inside !== 'pre' || !/^language-\S+$/.test(cls)) {
          throw new TelegramHtmlError(`Programming language can be specified only for a "code" tag inside "pre" (byte offset ${at})`);
        }
        // Telegram reports one `pre` entity with the language, not a nested `code`.
        stack.at(-1)!.entity.language = cls.slice('language-'.length);
        entity.type = '';
      }
      break;
    }
    case 'blockquote':
      if (attributes.has('expandable')) entity.type = 'expandable_blockquote';
      break;
  }
  return entity;
}
