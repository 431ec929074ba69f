import type { OutboundMessage, ReplyButton } from '../message.js';

/**
 * The bot's reply as a `chat.postMessage` body: text as Slack mrkdwn, long text as `section` blocks
 * with a plain `text` fallback (shown in notifications), buttons as an `actions` block.
 */

/** A section block's text may hold at most 3000 characters. */
export const SLACK_SECTION_LIMIT = 3000;
/** A message may hold at most 50 blocks. */
export const SLACK_MAX_BLOCKS = 50;
/** Slack asks for message text under 4000 characters (it truncates at 40 000). */
export const SLACK_TEXT_FALLBACK_LIMIT = 4000;
/** A button's label may hold at most 75 characters. */
const BUTTON_LABEL_LIMIT = 75;

export interface SlackMessageBody {
  text: string;
  mrkdwn: true;
  blocks?: SlackBlock[];
}

export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'actions'; block_id: string; elements: SlackButtonElement[] };

export interface SlackButtonElement {
  type: 'button';
  action_id: string;
  value: string;
  text: { type: 'plain_text'; text: string; emoji: true };
}

/**
 * Escapes the three characters Slack reserves for control sequences, so text the bot writes (or
 * repeats from a user) can never become a mention, a `<!channel>` ping or a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * @example
 * renderSlackMessage({ text: 'Deleted task #3.', … })            // { text: 'Deleted task #3.', mrkdwn: true }
 * renderSlackMessage({ text: prompt, buttons: [{ id: 'cancel', label: 'Cancel' }], … })
 * // { text, mrkdwn: true, blocks: [{ type: 'section', … }, { type: 'actions', elements: [{ action_id: 'cancel', … }] }] }
 */
export function renderSlackMessage(message: Pick<OutboundMessage, 'id' | 'text' | 'buttons'>): SlackMessageBody {
  const escaped = escapeMrkdwn(message.text);
  const buttons = message.buttons ?? [];
  if (buttons.length === 0 && escaped.length <= SLACK_SECTION_LIMIT) return { text: escaped, mrkdwn: true };
  const room = SLACK_MAX_BLOCKS - (buttons.length > 0 ? 1 : 0);
  let chunks = splitForSections(message.text);
  if (chunks.length > room) {
    const marker = '\n… (cut: the rest is too long for one Slack message)';
    const last = splitForSections(chunks[room - 1]!, SLACK_SECTION_LIMIT - marker.length)[0] ?? '';
    chunks = [...chunks.slice(0, room - 1), last + marker];
  }
  const blocks: SlackBlock[] = chunks.map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(chunk) } }));
  if (buttons.length > 0) blocks.push(actionsBlock(message.id, buttons));
  return { text: clip(escaped, SLACK_TEXT_FALLBACK_LIMIT), mrkdwn: true, blocks };
}

function actionsBlock(messageId: string, buttons: ReplyButton[]): SlackBlock {
  return {
    type: 'actions',
    // Unique per message, as Slack asks; our message id makes it so.
    block_id: `sb-${messageId}`.slice(0, 255),
    elements: buttons.slice(0, 25).map((button) => ({
      type: 'button',
      action_id: button.id,
      value: button.id,
      text: { type: 'plain_text', text: button.label.slice(0, BUTTON_LABEL_LIMIT) || button.id, emoji: true },
    })),
  };
}

/**
 * Splits text into pieces whose escaped form fits a section block, cutting at a line break when it
 * can, then at a space, and only then inside a word (never inside a character or an entity, since the
 * split is made before escaping). Blank pieces are dropped; the rest, joined, is the text.
 */
export function splitForSections(text: string, limit = SLACK_SECTION_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (escapedLength(rest) > limit) {
    const cut = cutPoint(rest, limit);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces.filter((piece) => piece.trim() !== '');
}

/** The longest prefix (in code units) whose escaped length fits, moved back to a line break or a space. */
function cutPoint(text: string, limit: number): number {
  let length = 0;
  let fit = 0;
  for (const char of text) {
    const cost = escapedLength(char);
    if (length + cost > limit) break;
    length += cost;
    fit += char.length;
  }
  const window = text.slice(0, fit);
  const newline = window.lastIndexOf('\n');
  if (newline >= fit / 2) return newline + 1;
  const space = window.lastIndexOf(' ');
  if (space >= fit / 2) return space + 1;
  return Math.max(fit, 1);
}

function escapedLength(text: string): number {
  let length = text.length;
  for (const char of text) {
    if (char === '&') length += 4;
    else if (char === '<' || char === '>') length += 3;
  }
  return length;
}

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - 1;
  // Never end inside an entity (&amp;) or a surrogate pair.
  const amp = text.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 5 && text.indexOf(';', amp) >= cut) cut = amp;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
