/**
 * Everything the bot says to a client, and to the team about a client. Sentences for clients name no
 * intent, slot, tool, setting or role, and give no configuration advice (a test checks every reply
 * against the catalog and the settings); the team's notices may say how to answer and hand back.
 */

import type { GreetingKind } from '../../intents/index.js';

/** The answer to hello, thanks or bye (`kind` from `greetingKind`; hello when it is neither). */
export function greeting(name: string | null, kind: GreetingKind = { thanks: false, bye: false }): string {
  const to = name ? `, ${name}` : '';
  if (kind.thanks && kind.bye) return `You're welcome${to}. Goodbye, and write here any time.`;
  if (kind.thanks) return `You're welcome${to}! If there is anything else, just write here.`;
  if (kind.bye) return `Goodbye${to}! Write here any time and we'll get back to you.`;
  return `Hello${name ? ` ${name}` : ''}! I'm the agency's assistant. Ask me about our services and prices, leave your details so the team can get back to you, book a call, or ask about your project.`;
}

export const HELP = [
  'Here is what I can do for you:',
  '• answer questions about our services, prices and how we work',
  '• pass your details to the team (e.g. "I\'m Jo from Green Bakery and we need an online shop")',
  '• give you a link to book a call',
  '• tell you where your project stands, if we are building one for you',
  '• put you in touch with a person',
].join('\n');

export const CANNOT = "Sorry, that isn't something I can help with here. I can answer questions about our services, take your details, book a call or put you in touch with a person.";
export const NOT_UNDERSTOOD = "Sorry, I didn't understand that. Could you say it another way? You can also ask to talk to a person.";
export const NOT_KNOWN = "I'm not sure about that one. Ask me another way, or say \"talk to a person\" and someone from the team will answer.";
export const NOTHING_TO_CANCEL = 'There is nothing to cancel.';
export const CANCELLED = "OK, I've dropped that. Nothing was sent to the team.";
export const ERROR = "Sorry, something went wrong on my side. Please try again in a moment, or ask to talk to a person.";
export function heard(transcript: string): string {
  return `I heard: “${transcript}”`;
}

export const UNHEARD = "Sorry, I couldn't listen to that voice note. Could you type your message?";
export const ASK_NAME = "Happy to pass this to the team. What's your name?";

/** The same words whether the CRM knew them or not: a client learns nothing about what is on record. */
export function leadCaptured(name: string): string {
  return `Thanks, ${name.split(/\s+/)[0]}! I've passed your details to the team; someone will get back to you on this number.`;
}

export function bookingLink(url: string): string {
  return `You can pick a time for a call here: ${url}`;
}

export const CALL_REQUESTED = "I've asked the team to call you; they'll get back to you on this number.";

export const HANDED_OFF = "I've asked a person from the team to take over; they'll reply here. I'll stay out of the way until then.";
export const HANDED_OFF_AFTER_MISSES = "I'm sorry I couldn't help with that. I've asked a person from the team to take over; they'll reply here.";
export const HANDED_BACK = "You're back with the assistant. Ask me anything, or say \"talk to a person\" to reach the team again.";
export const ERASE_REQUESTED = "I've passed your request to delete your data to the team. They'll confirm here once it's done.";

export const NO_PROJECT =
  "I can't find a project linked to this number. If we're working with you, the team can link it; say \"talk to a person\" and someone will help.";

export function projectStatus(lines: readonly string[]): string {
  return ['Here is where your project stands:', ...lines].join('\n');
}

// --- to the team ---

/** The hand-off notice: who, why, a summary and how to answer and hand back. */
export function handoffNotice(input: { who: string; channel: string; why: string; summary: string; conversationId: string; handoffId: string; link: string | undefined }): string {
  return [
    `🙋 ${input.who} (${input.channel}) ${input.why}.`,
    input.summary,
    `Conversation ${input.conversationId}${input.link ? ` — ${input.link}` : ''}.`,
    `Reply to this message (in its thread on Slack) and I'll send your reply to them. The bot stays quiet there until someone types /handback ${input.handoffId.slice(0, 8)}.`,
  ].join('\n');
}

export function clientSaid(who: string, text: string): string {
  return `💬 ${who}: ${text}`;
}

export function leadNotice(input: { name: string; company?: string; email?: string; phone?: string; need?: string; channel: string; known: boolean }): string {
  const details = [input.company, input.email, input.phone].filter(Boolean).join(', ');
  return [
    `🆕 ${input.known ? 'Returning contact' : 'New lead'} from ${input.channel}: ${input.name}${details ? ` (${details})` : ''}.`,
    ...(input.need ? [`Needs: ${input.need}`] : []),
  ].join('\n');
}

export function callNotice(who: string, channel: string): string {
  return `📞 ${who} (${channel}) asked for a call.`;
}

export function eraseNotice(who: string, channel: string, conversationId: string): string {
  return `🗑️ ${who} (${channel}) asked for their data to be deleted (conversation ${conversationId}). Check who they are before erasing.`;
}

export const RELAYED = 'Sent to the client.';
export const RELAYED_AS_TEMPLATE = "Sent to the client as the approved WhatsApp template: they last wrote more than 24 hours ago, so WhatsApp allows nothing else.";
export const WINDOW_CLOSED =
  'Not sent: the client last wrote more than 24 hours ago, and WhatsApp then accepts only an approved template (WHATSAPP_TEMPLATE_NAME is not set). Call or e-mail them, or wait until they write again.';
export const RELAY_CLOSED = 'That conversation is back with the bot, so I did not send this. Ask them to write "talk to a person" to take it over again.';
export const HANDBACK_NOT_ALLOWED = 'Only the team can hand a conversation back to the bot.';
export const NO_OPEN_HANDOFFS = 'No conversation is waiting for a person.';

export function handedBackTo(who: string): string {
  return `Done: the bot answers ${who} again.`;
}

export function whichHandoff(open: readonly { id: string; label: string }[]): string {
  return ['Several conversations are with the team; say which one:', ...open.map((h) => `/handback ${h.id.slice(0, 8)} — ${h.label}`)].join('\n');
}

export function noSuchHandoff(id: string): string {
  return `No open hand-off starts with "${id}". Type /handback alone to see the open ones.`;
}
