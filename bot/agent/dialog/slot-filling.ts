import type { DialogContext, LiveDialog } from '../../../flows/index.js';
import { extractSlots } from '../../../intents/slots/index.js';
import { intentDefinition, type SlotName, type Slots, type Understanding } from '../../../intents/index.js';
import { domainLikeWord, parseDomainName } from '../../../tools/domains/index.js';
import type { TurnInput } from '../agent-state.js';
import * as say from '../wording.js';
import type { DialogStepDeps } from './dialog-deps.js';
import { refersBack, type FollowUps } from './follow-up.js';
import { meansCancel, meansNewRequest, NEW_REQUEST_CONFIDENCE, STRONG_NEW_REQUEST_CONFIDENCE } from './message-meaning.js';
import type { Replies } from './replies.js';
import type { SmallTalk } from './small-talk.js';

/** What a message did to a dialog that is asking for a slot. */
export type SlotOutcome = 'cancelled' | 'new_request' | 'asked_again' | 'answered';

const FREE_TEXT_SLOTS = new Set<SlotName>(['title', 'name', 'company', 'note', 'query', 'assignee']);

/**
 * The question for the slot the dialog is asking for (the tool's own question when it set one). A domain
 * the understanding could not take ("acme..com", "-acme.com") is named with what is wrong with it, rather
 * than asked for as if none had been given.
 */
export function questionFor(live: LiveDialog, apps: readonly string[], text?: string): string {
  const { question, asking, action } = live.context;
  if (!question && asking === 'domain' && text) {
    const word = domainLikeWord(text);
    const parsed = word === undefined ? undefined : parseDomainName(word);
    if (parsed && !parsed.ok) return `${parsed.reason} Which domain did you mean?`;
  }
  return question ?? say.question(asking ?? 'title', apps, action);
}

/**
 * A message while the dialog asks for a slot: an answer (or a correction), a cancel, a new request,
 * or neither (the question again). An answer moves the machine; the router then advances it.
 */
export class SlotFilling {
  constructor(
    private readonly deps: Pick<DialogStepDeps, 'audit' | 'apps'>,
    private readonly smallTalk: SmallTalk,
  ) {}

  /** `followUps`: asked "Which app?", an answer like "the same one" or "that one" is the person's last app, said back. */
  async reply(live: LiveDialog, understanding: Understanding, turn: TurnInput, replies: Replies, followUps?: FollowUps): Promise<SlotOutcome> {
    if (meansCancel(understanding, turn.text)) {
      live.send({ type: 'CANCEL' });
      await this.deps.audit.append({ actor: turn.person.id, action: 'action.cancelled', conversationId: turn.conversationId, data: { action: live.context.action } });
      replies.push(say.cancelledAction(live.context.action));
      return 'cancelled';
    }
    const answers = this.answersFor(live.context, turn);
    const last = followUps?.last;
    const pointsBack = live.context.asking === 'app' && answers.app === undefined && last !== undefined && refersBack(turn.text);
    if (pointsBack) answers.app = last.app;
    const differentIntent = understanding.intent !== live.context.intent;
    if (differentIntent && meansNewRequest(understanding, Object.keys(answers).length ? STRONG_NEW_REQUEST_CONFIDENCE : NEW_REQUEST_CONFIDENCE)) {
      return 'new_request';
    }
    if (Object.keys(answers).length === 0) {
      if (understanding.intent === 'help' || understanding.intent === 'greeting') replies.push(await this.smallTalk.reply(understanding.intent, turn, live));
      replies.push(questionFor(live, this.deps.apps, turn.text));
      return 'asked_again';
    }
    if (pointsBack) replies.push(say.carriedOver(last.app, { app: last.app }));
    live.send({ type: 'SLOTS', slots: answers });
    return 'answered';
  }

  /** Slot values in this message for the dialog's intent; a free-text slot being asked takes the whole message. */
  private answersFor(context: DialogContext, turn: TurnInput): Slots {
    const intent = context.intent;
    const found: Slots = intent ? extractSlots(turn.text, intent, { now: turn.now, timezone: turn.timezone, apps: this.deps.apps }) : {};
    const allowed = intent ? new Set(Object.keys(intentDefinition(intent).slots.shape)) : new Set<string>();
    const answers = Object.fromEntries(Object.entries(found).filter(([k, v]) => allowed.has(k) && v !== undefined)) as Slots;
    const asking = context.asking;
    if (asking && answers[asking] === undefined && FREE_TEXT_SLOTS.has(asking)) {
      const text = turn.text.trim().replace(/^(it'?s|its|the|call it|title:?)\s+/i, '');
      if (text) (answers as Record<string, unknown>)[asking] = text;
    }
    return answers;
  }
}
