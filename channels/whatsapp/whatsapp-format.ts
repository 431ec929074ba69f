import type { ReplyButton } from '../message.js';

/** Limits of the Cloud API's messages endpoint (Meta's "Text messages" and "Interactive reply buttons" references). */
export const WHATSAPP_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  /**
   * A template's body, its own words included, is at most 1,024 characters. We cannot know how long
   * the approved template's fixed text is, so the parameter keeps 124 characters for it.
   */
  templateParameter: 900,
} as const;

export interface TextMessageRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'text';
  text: { body: string; preview_url?: boolean };
}

export interface InteractiveButtonsRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'interactive';
  interactive: {
    type: 'button';
    body: { text: string };
    action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
  };
}

export interface TemplateMessageRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'template';
  template: {
    name: string;
    language: { code: string; policy: 'deterministic' };
    components: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
  };
}

/** The body of one `POST /{version}/{phone-number-id}/messages`. */
export type OutgoingMessageRequest = TextMessageRequest | InteractiveButtonsRequest | TemplateMessageRequest;

/**
 * Plain text the way WhatsApp shows it. WhatsApp has its own light markup (`*bold*`, `_italic_`,
 * `~strike~`, ```` ```mono``` ````) and no links or headings, so Markdown that may reach a reply is
 * rewritten: `**bold**` → `*bold*`, `[label](url)` → `label (url)`, `# Title` → `*Title*`,
 * `- item` → `• item`. Code blocks are left as they are.
 *
 * @example
 * formatForWhatsApp('**Deployed** [soarix-web](https://soarix.dev)'); // '*Deployed* soarix-web (https://soarix.dev)'
 */
export function formatForWhatsApp(text: string): string {
  const pieces = text.replace(/\r\n?/g, '\n').split(/(```[\s\S]*?```)/g);
  const formatted = pieces
    .map((piece, i) => (i % 2 === 1 ? piece : formatProse(piece)))
    .join('')
    .replace(/\n{3,}/g, '\n\n');
  return formatted.trim();
}

function formatProse(text: string): string {
  return text
    .replace(/\*\*(?=\S)([^*\n]+?)\*\*/g, '*$1*')
    .replace(/__(?=\S)([^_\n]+?)__/g, '*$1*')
    .replace(/~~(?=\S)([^~\n]+?)~~/g, '~$1~')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/^#{1,6}\s+(.+?)\s*#*$/gm, '*$1*')
    .replace(/^(\s*)[-*]\s+(?=\S)/gm, '$1• ')
    .replace(/[ \t]+$/gm, '');
}

/**
 * Splits text into parts of at most `limit` UTF-16 code units (never more characters than
 * WhatsApp counts), preferring paragraph breaks, then line breaks, then spaces, and never cutting a
 * surrogate pair (an emoji) in half.
 */
export function splitText(text: string, limit: number = WHATSAPP_LIMITS.textBody): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim()) parts.push(rest);
  return parts.filter((p) => p.trim().length > 0);
}

/** Where to cut `text` so the first part has at most `limit` code units. */
function cutPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= limit / 2 && at <= limit) return at;
  }
  return isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

/** Splits off the end of `text` (at most `limit` code units, at a natural break) from what comes before. */
function splitTail(text: string, limit: number): [head: string, tail: string] {
  if (text.length <= limit) return ['', text];
  const start = text.length - limit;
  const window = text.slice(start);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.indexOf(separator);
    if (at >= 0 && at <= limit / 2) return [text.slice(0, start + at).trimEnd(), text.slice(start + at).replace(/^\s+/, '')];
  }
  const cut = isLowSurrogate(text.charCodeAt(start)) ? start + 1 : start;
  return [text.slice(0, cut), text.slice(cut)];
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A button label as a reply-button title: at most 20 characters, ellipsis when cut. */
export function buttonTitle(label: string): string {
  const chars = [...label.trim().replace(/\s+/g, ' ')];
  return chars.length <= WHATSAPP_LIMITS.buttonTitle ? chars.join('') : `${chars.slice(0, WHATSAPP_LIMITS.buttonTitle - 1).join('').trimEnd()}…`;
}

/**
 * The requests that deliver one reply, in order. Text longer than 4,096 characters goes out in
 * several messages. With buttons, the last part becomes an interactive reply-buttons message (body at
 * most 1,024 characters, at most 3 buttons with unique titles of at most 20 characters); buttons
 * beyond the third are offered as text, since typing them works just as well.
 */
export function buildMessageRequests(to: string, reply: { text: string; buttons?: readonly ReplyButton[] }): OutgoingMessageRequest[] {
  const text = formatForWhatsApp(reply.text);
  const buttons = reply.buttons ?? [];
  if (buttons.length === 0) return splitText(text).map((body) => textRequest(to, body));

  const shown = buttons.slice(0, WHATSAPP_LIMITS.buttons);
  const extra = buttons.slice(WHATSAPP_LIMITS.buttons);
  const withExtra = extra.length ? `${text}\n\nYou can also reply: ${extra.map((b) => `"${b.label}"`).join(', ')}` : text;
  const parts = splitText(withExtra);
  const last = parts.pop() ?? '';
  const [head, body] = splitTail(last, WHATSAPP_LIMITS.interactiveBody);
  const before = [...parts, ...(head ? [head] : [])].map((p) => textRequest(to, p));
  return [...before, buttonsRequest(to, body.trim() || 'Choose an option:', shown)];
}

function textRequest(to: string, body: string): TextMessageRequest {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body } };
}

function buttonsRequest(to: string, body: string, buttons: readonly ReplyButton[]): InteractiveButtonsRequest {
  const used = new Set<string>();
  const rendered = buttons.map((button, i) => {
    let title = buttonTitle(button.label) || `Option ${i + 1}`;
    // Titles must be unique within a message; two labels that only differ after 20 characters would clash.
    if (used.has(title)) title = `${[...title].slice(0, WHATSAPP_LIMITS.buttonTitle - 3).join('')} ${i + 1}`;
    used.add(title);
    return { type: 'reply' as const, reply: { id: button.id.slice(0, WHATSAPP_LIMITS.buttonId), title } };
  });
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'interactive',
    interactive: { type: 'button', body: { text: body }, action: { buttons: rendered } },
  };
}

/**
 * An approved template carrying the reply as its single body parameter ({{1}}). Parameters may not
 * hold new lines, tabs or more than four spaces in a row, and the body is limited in length, so the
 * text is flattened and shortened.
 */
export function buildTemplateRequest(to: string, template: { name: string; language: string }, text: string): TemplateMessageRequest {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language, policy: 'deterministic' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text) }] }],
    },
  };
}

/** The text as a template parameter: one line, single spaces, at most 900 characters. */
export function templateParameter(text: string): string {
  const flat = formatForWhatsApp(text)
    .replace(/\s*[\r\n\t]+\s*/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  const chars = [...flat];
  if (chars.length === 0) return '…';
  return chars.length <= WHATSAPP_LIMITS.templateParameter ? flat : `${chars.slice(0, WHATSAPP_LIMITS.templateParameter - 1).join('').trimEnd()}…`;
}
