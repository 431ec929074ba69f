import type { GreetingKind, SlotName, Slots, Understanding } from '../../intents/index.js';
import { INTENT_CATALOG, intentDefinition } from '../../intents/index.js';
import type { Role } from '../../core/roles.js';
import { MAX_WRONG_ATTEMPTS } from '../../flows/index.js';
import { isOutsider, type RolePolicy, type ToolRegistry } from '../../tools/index.js';

/** Everything the agent says, in one place, so the voice stays consistent. */

const CONVERSATIONAL = new Set(['greeting', 'help', 'cancel', 'out_of_scope']);

/** The answer to hello, thanks or bye (`kind` from `greetingKind`; hello when it is neither). */
export function greeting(name: string | null, kind: GreetingKind = { thanks: false, bye: false }): string {
  const to = name ? `, ${name}` : '';
  if (kind.thanks && kind.bye) return `You're welcome${to}. Bye for now!`;
  if (kind.thanks) return `You're welcome${to}! Anything else, just ask.`;
  if (kind.bye) return `Bye${to}! I'm here whenever you need me.`;
  return `Hello${to}! I'm Switchboard. Type "help" to see what I can do.`;
}

export const OUT_OF_SCOPE = "Sorry, that's not something I can do. Type \"help\" to see what I can.";
export const NOT_ALLOWED = "Sorry, you don't have access to that here; an admin can change your role if you need it.";
/** The same refusal for people outside the team: no roles, no admins, no configuration. */
export const OUTSIDER_NOT_ALLOWED = "Sorry, that isn't something I can help with here.";

/** A refusal in words fit for who asked (clients and strangers never hear about roles). */
export function notAllowed(role: Role): string {
  return isOutsider(role) ? OUTSIDER_NOT_ALLOWED : NOT_ALLOWED;
}
export const NOTHING_TO_CANCEL = 'There is nothing to cancel.';

/** What this role can do, one example each; intents whose tool is not connected yet say so. */
export function help(role: Role, policy: RolePolicy, actions: ToolRegistry): string {
  // Clients hear what they can ask in plain words (bot/client has the full list); never "not connected".
  if (isOutsider(role)) return OUTSIDER_HELP;
  const lines = INTENT_CATALOG.filter((d) => !CONVERSATIONAL.has(d.id) && policy.mayStart(role, d.id)).map((d) => {
    const connected = actions.forIntent(d.id) ? '' : ' (not connected yet)';
    return `• ${d.description}${connected} — e.g. "${d.helpExample}"`;
  });
  if (lines.length === 0) return 'I can say hello and answer "help". Ask an admin for access to more.';
  return [`Here is what you can ask me (as ${role}):`, ...lines, 'Say "cancel" at any time to stop what we are doing.'].join('\n');
}

export function pairingNeeded(code: string): string {
  return `I don't know you yet. Ask an admin to approve your pairing code ${code} (valid for an hour), e.g. with /approve ${code} developer.`;
}

export const PAIRING_BUSY = "I don't know you yet, and too many pairing requests are waiting right now. Please try again in an hour, or ask an admin to add you.";

export function describeSlots(slots: Slots): string {
  const entries = Object.entries(slots).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`).join(', ') : 'no details';
}

/** What a client or a stranger hears for help from the staff dialog (bot/client words its own). */
export const OUTSIDER_HELP = 'I can answer questions about our services and prices, take your details so the team can get back to you, or pass you to a person.';

/**
 * For intents whose tool is not connected yet: say what was understood, and that it cannot be done.
 * The intent id and slot names are for the team only; anyone else hears a plain sentence.
 */
export function notConnected(understanding: Understanding, role?: Role): string {
  if (!role || isOutsider(role)) return "Sorry, I can't do that here yet.";
  const definition = intentDefinition(understanding.intent);
  return `I understood: ${understanding.intent} (${describeSlots(understanding.slots)}) — "${definition.description}" That tool isn't connected yet, so I can't do it for you.`;
}

const QUESTIONS: Partial<Record<SlotName, string>> = {
  title: 'What is the task?',
  app: 'Which app?',
  env: 'Which environment: production, staging or preview?',
  domain: 'Which domain?',
  due: 'When is it due?',
  assignee: 'Who is it for?',
  name: 'What is their name?',
  company: 'Which company?',
  email: 'What is their email address?',
  phone: 'What is their phone number?',
  stage: 'Which stage: lead, qualified, proposal, negotiation, won or lost?',
  recordType: 'Which record type (A, AAAA, CNAME, TXT, MX…)?',
  recordName: 'Which record name (e.g. www, or @ for the domain itself)?',
  recordValue: 'What should the record point to?',
  query: 'What are you looking for?',
  note: 'What should the note say?',
  events: 'Which events: build failures, deploys, domain verification, task reminders, new leads or client hand-offs?',
};

export function question(slot: SlotName, apps: readonly string[], action: string | null): string {
  if (slot === 'title' && action && action !== 'task.create') return 'Which task? Give its number or a few words of its title.';
  if (slot === 'app' && apps.length) return `Which app? (${apps.join(', ')})`;
  return QUESTIONS[slot] ?? `What is the ${slot}?`;
}

export function confirmationPrompt(input: { plan: string; phrase: string; ttlMs: number; confirmers: string; requesterMayConfirm: boolean }): string {
  const minutes = Math.round(input.ttlMs / 60_000);
  const who = input.requesterMayConfirm ? `you or ${input.confirmers}` : input.confirmers;
  return [
    input.plan,
    'To go ahead, type exactly:',
    input.phrase,
    `(${who} can confirm within ${minutes} minute${minutes === 1 ? '' : 's'}; say "cancel" to stop.)`,
  ].join('\n');
}

export function untrustedConfirmation(reason: 'voice' | 'button' | 'edited' | 'forwarded' | 'bot', phrase: string): string {
  const what = { voice: 'A voice note', button: 'A button', edited: 'An edited message', forwarded: 'A forwarded message', bot: 'A message from a bot' }[reason];
  return `${what} can't confirm anything. To go ahead, type the phrase yourself: ${phrase}`;
}

/**
 * What an action is called in a sentence, as a noun ("the pending deploy") and as what the bot would
 * have done ("so I did not deploy"). People never see action ids; an action missing here is described
 * by its family alone ("request about domains"), never by its id.
 */
const ACTION_WORDS: Record<string, { noun: string; verb: string }> = {
  'build.start': { noun: 'build', verb: 'start the build' },
  'deploy.create': { noun: 'deploy', verb: 'deploy' },
  'deploy.rollback': { noun: 'rollback', verb: 'roll back' },
  'run.cancel': { noun: 'cancellation of the run', verb: 'cancel the run' },
  'task.create': { noun: 'new task', verb: 'create the task' },
  'task.create.many': { noun: 'new tasks', verb: 'create the tasks' },
  'task.complete': { noun: 'task completion', verb: 'complete the task' },
  'task.delete': { noun: 'task deletion', verb: 'delete the task' },
  'task.undo': { noun: 'undo', verb: 'undo it' },
  'notify.subscribe': { noun: 'subscription', verb: 'subscribe this chat' },
  'people.approve': { noun: 'approval', verb: 'approve it' },
  'domain.check': { noun: 'domain check', verb: 'check the domain' },
  'domain.register': { noun: 'domain registration', verb: 'register the domain' },
  'domain.map': { noun: 'domain mapping', verb: 'connect the domain' },
  'domain.verify': { noun: 'domain check on its name servers', verb: 'check the name servers' },
  'domain.dns.add': { noun: 'DNS change', verb: 'add the record' },
  'domain.dns.delete': { noun: 'DNS deletion', verb: 'delete the record' },
  'crm.lead.create': { noun: 'new lead', verb: 'add the lead' },
  'crm.deal.update': { noun: 'deal update', verb: 'update the deal' },
  'crm.note.add': { noun: 'note', verb: 'add the note' },
  'crm.contact.delete': { noun: 'erasure of the contact', verb: 'erase the contact' },
  'crm.contact.find': { noun: 'contact look-up', verb: 'look it up' },
  'crm.contact.merge': { noun: 'merge of the contacts', verb: 'merge them' },
  'knowledge.ask': { noun: 'question', verb: 'answer the question' },
};

export function actionLabel(action: string | null): string {
  if (!action) return 'request';
  return ACTION_WORDS[action]?.noun ?? 'request';
}

function actionVerb(action: string | null): string {
  return (action && ACTION_WORDS[action]?.verb) || 'do it';
}

/** "an owner or an admin" */
export function describeRoles(roles: readonly string[]): string {
  const named = roles.map((r) => `${/^[aeiou]/.test(r) ? 'an' : 'a'} ${r}`);
  if (named.length === 0) return 'nobody';
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

// --- the turn around the dialog ---

export const UNHEARD = "Sorry, I couldn't process that voice note. Please try again, or type your message.";
export const NOT_UNDERSTOOD = 'Sorry, I didn\'t catch that. Type "help" to see what I can do.';
export const NOTHING_TO_UNDO = 'There is nothing to undo: "undo" takes back the tasks I created from a voice note, for 5 minutes.';
/** "cancel" while a dialog is under way that is neither asking nor waiting for a phrase. */
export const CANCELLED = 'Cancelled.';

export function heard(transcript: string): string {
  return `I heard: “${transcript}”`;
}

export function didNotWork(reason: string): string {
  return `That didn't work: ${reason}`;
}

// --- dialogs ---

export function cancelledAction(action: string | null): string {
  return `Cancelled: ${actionLabel(action)}. Nothing was changed.`;
}

export function supersededConfirmation(action: string | null, phrase: string): string {
  return `I cancelled the pending ${actionLabel(action)} (${phrase.replace(/^CONFIRM /, '').toLowerCase()}): a new request replaces it.`;
}

export function droppedUnfinished(action: string | null): string {
  return `I dropped the unfinished ${actionLabel(action)} to handle this instead.`;
}

// --- the confirmation gate ---

export const CONFIRMATION_LOST = 'That confirmation is no longer valid (it expired or was already used). Ask again if you still want it.';

export function confirmationExpired(action: string | null): string {
  return `That confirmation expired, so I did not ${actionVerb(action)}. Ask again if you still want it.`;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const inWords = (n: number) => NUMBER_WORDS[n] ?? String(n);

/** Why a locked-out confirmation was closed (stored on the record and in the audit log). */
export const TOO_MANY_ATTEMPTS_REASON = `${inWords(MAX_WRONG_ATTEMPTS)} wrong attempts`;

export const TOO_MANY_ATTEMPTS = `That phrase doesn't match either. After ${TOO_MANY_ATTEMPTS_REASON} I cancelled it: nothing was changed.`;

export function wrongPhrase(phrase: string, left: number): string {
  return `That doesn't match. Type exactly: ${phrase} (${left} attempt${left === 1 ? '' : 's'} left, or say "cancel").`;
}

export function onlyConfirmers(confirmers: string): string {
  return `Only ${confirmers} can confirm this.`;
}

export function waitingForConfirmation(phrase: string): string {
  return `I'm waiting for the confirmation. To go ahead, type exactly: ${phrase} — or say "cancel".`;
}

/** Who may confirm, for "Only … can confirm this." */
export function confirmers(rule: { requesterMayConfirm: boolean; confirmers: readonly string[] }): string {
  return rule.requesterMayConfirm ? `the person who asked or ${describeRoles(rule.confirmers)}` : describeRoles(rule.confirmers);
}

// --- follow-ups ("deploy it to staging", "now prod") ---

/** Said before the action's reply or restatement whenever a request took its app or environment from the last one. */
export function carriedOver(app: string, carried: { app?: string; env?: string }): string {
  if (carried.app && carried.env) return `Taking this as ${app} on ${carried.env} (from your last request).`;
  if (carried.app) return `Taking this as ${app} (from your last request).`;
  return `Taking this as ${app} on ${carried.env} (the environment from your last request).`;
}
