import type { ReplyDraft } from '../../channels/index.js';
import { SwitchboardError, toSwitchboardError, UnexpectedError, type Logger } from '../../core/index.js';
import { greetingKind, type AppNames, type Understander, type Understanding } from '../../intents/index.js';
import { isStoreUnavailable, toStoreError, type AuditLog, type MessageRepo } from '../../store/index.js';
import { isOutsider, type RolePolicy, type ToolExecutor } from '../../tools/index.js';
import type { VoiceNotes } from '../agent/index.js';
import type { Turn, TurnHandler } from '../turn.js';
import type { KnowledgeAnswers } from './client-ports.js';
import type { ClientRepo, PendingLead } from './client-repo.js';
import { clientRequestIn } from './client-requests.js';
import * as say from './client-wording.js';
import type { Handoffs } from './handoffs.js';
import type { ProjectStatus } from './project-status.js';

/** Turns in a row the bot could not help with before a person is asked to take over. */
export const MISSES_BEFORE_HANDOFF = 2;

export interface ClientDeskDeps {
  /** Everyone who is not a client: the agent (staff tools, pairing for strangers). */
  staff: TurnHandler;
  understander: Understander;
  apps: () => AppNames;
  policy: RolePolicy;
  /** Runs client actions only: its registry holds nothing else, and the policy refuses clients anything else. */
  executor: ToolExecutor;
  repo: ClientRepo;
  handoffs: Handoffs;
  status: ProjectStatus;
  knowledge: KnowledgeAnswers | undefined;
  bookingUrl: string | undefined;
  voiceNotes: VoiceNotes;
  messages: MessageRepo;
  audit: AuditLog;
  defaultTimezone: string;
  logger: Logger;
  /** Whether a reply names something internal (an intent, slot, tool or setting): such a reply never reaches a client. */
  leaksInternals: (text: string) => boolean;
}

/**
 * The turn handler in front of the agent. Clients are answered here and only here: their turn never
 * reaches the staff dialog or the staff tools, whatever the text says; the one action they can run goes
 * through an executor whose registry holds only client actions (and the role policy refuses a client any
 * other). A conversation handed to a person is quiet (stored, acknowledged, no reply; the team sees the
 * message). The team's replies to hand-off notices are relayed to the client, and `/handback` gives a
 * conversation back to the bot. Everyone else goes to the agent unchanged.
 */
export class ClientDesk implements TurnHandler {
  constructor(private readonly deps: ClientDeskDeps) {}

  async handle(turn: Turn): Promise<ReplyDraft[]> {
    const role = turn.person.role;
    if (role === 'client') return this.guard(turn, await this.client(turn));
    if (role === 'unknown') return this.guard(turn, await this.deps.staff.handle(turn));
    return (await this.team(turn)) ?? this.deps.staff.handle(turn);
  }

  /** The last line of defence: a reply to a client or a stranger that names an internal thing is not sent. */
  private guard(turn: Turn, replies: ReplyDraft[]): ReplyDraft[] {
    return replies.map((reply) => {
      if (!this.deps.leaksInternals(reply.text)) return reply;
      this.deps.logger.error({ conversation: turn.conversation.id }, 'a reply to a client named something internal; a generic sentence was sent instead');
      return { text: say.CANNOT };
    });
  }

  // --- clients ---

  private async client(turn: Turn): Promise<ReplyDraft[]> {
    const { conversation, person } = turn;
    try {
      const heard = await this.textOf(turn);
      if (heard === undefined) return [{ text: say.UNHEARD }];
      const { text, transcript } = heard;
      const open = await this.deps.repo.openIn(conversation.id);
      if (open) {
        await this.deps.handoffs.forward(open, person, text);
        return [];
      }
      // A voice note is said back first, as to anyone: the client sees what the bot understood.
      return [...(transcript ? [say.heard(transcript)] : []), ...(await this.answer(turn, text))].map((t) => ({ text: t }));
    } catch (error) {
      if (isStoreUnavailable(error)) throw toStoreError(error);
      this.deps.logger.error({ err: toSwitchboardError(error), conversation: conversation.id }, 'client turn failed');
      return [{ text: say.ERROR }];
    }
  }

  /** The message's text; a voice note is transcribed (stored as machine-made), undefined when it cannot be heard. */
  private async textOf(turn: Turn): Promise<{ text: string; transcript?: string } | undefined> {
    const { message, inbound } = turn;
    if (!message.voice) return { text: message.text };
    try {
      const heard = await this.deps.voiceNotes.transcribe(message.channel, message.voice);
      await this.deps.messages.recordTranscript(inbound.id, heard.text, { ...heard.meta, durationSeconds: heard.durationSeconds });
      return { text: [message.text.trim(), heard.text].filter(Boolean).join('\n'), transcript: heard.text };
    } catch (error) {
      const readable = error instanceof SwitchboardError && !(error instanceof UnexpectedError);
      if (!readable) this.deps.logger.error({ err: error }, 'client voice note failed');
      return undefined;
    }
  }

  private async answer(turn: Turn, text: string): Promise<string[]> {
    const { conversation, person, message } = turn;
    const { repo, handoffs } = this.deps;
    // Slash commands are the team's (/approve, /deploy, /handback): refused, whatever follows.
    const command = /^\s*\/(\w+)/.exec(text);
    if (command && command[1]!.toLowerCase() !== 'help' && command[1]!.toLowerCase() !== 'start') {
      await this.deps.audit.append({ actor: person.id, action: 'client.refused', conversationId: conversation.id, data: { command: command[1] } });
      return [say.CANNOT];
    }
    if (command) return [say.HELP];
    switch (clientRequestIn(text)) {
      case 'person':
        await handoffs.open(conversation, person, 'asked_for_person');
        return [say.HANDED_OFF];
      case 'call':
        await repo.helped(conversation.id);
        if (this.deps.bookingUrl) return [say.bookingLink(this.deps.bookingUrl)];
        await handoffs.tellTeam('client.call_requested', say.callNotice(person.displayName ?? 'A client', conversation.channel));
        return [say.CALL_REQUESTED];
      case 'status': {
        const lines = await this.deps.status.linesFor(this.phoneOf(turn), message.receivedAt, this.timezone(turn));
        await repo.helped(conversation.id);
        return [lines ? say.projectStatus(lines) : say.NO_PROJECT];
      }
      case 'erase':
        await this.deps.audit.append({ actor: person.id, action: 'client.erase_requested', conversationId: conversation.id, data: {} });
        await handoffs.tellTeam('client.erase_requested', say.eraseNotice(person.displayName ?? 'A client', conversation.channel, conversation.id));
        await repo.helped(conversation.id);
        return [say.ERASE_REQUESTED];
      default:
        break;
    }

    const understanding = await this.deps.understander.understand(text, { now: message.receivedAt, timezone: this.timezone(turn), apps: this.deps.apps() });
    const pending = await repo.pendingLead(conversation.id);
    if (pending) {
      const answered = await this.pendingAnswer(turn, text, understanding, pending);
      if (answered) return answered;
    }
    // The ceiling is the policy's, fixed in code for clients: a staff intent is refused, whatever the words.
    if (!this.deps.policy.mayStart('client', understanding.intent)) {
      await this.deps.audit.append({ actor: person.id, action: 'client.refused', conversationId: conversation.id, data: { intent: understanding.intent } });
      return [say.CANNOT];
    }
    switch (understanding.intent) {
      case 'greeting':
        return [say.greeting(person.displayName, greetingKind(text))];
      case 'help':
        return [say.HELP];
      case 'cancel':
        return [say.NOTHING_TO_CANCEL];
      case 'knowledge.ask': {
        const found = this.deps.knowledge ? await this.deps.knowledge.answer(understanding.slots.query ?? text) : undefined;
        if (found?.answered) {
          await repo.helped(conversation.id);
          return [found.text];
        }
        return this.missed(turn, say.NOT_KNOWN);
      }
      case 'crm.lead.create': {
        const { name, company, email, note } = understanding.slots;
        const details: PendingLead = { ...(company ? { company } : {}), ...(email ? { email } : {}), need: note ?? text };
        if (!name) {
          await repo.setPendingLead(conversation.id, details);
          return [say.ASK_NAME];
        }
        return [await this.captureLead(turn, name, details)];
      }
      default:
        return this.missed(turn, say.NOT_UNDERSTOOD);
    }
  }

  /** A message while a lead waits for the client's name: the name (or a cancel); undefined when it is something else. */
  private async pendingAnswer(turn: Turn, text: string, understanding: Understanding, pending: PendingLead): Promise<string[] | undefined> {
    const { repo } = this.deps;
    const conversationId = turn.conversation.id;
    if (understanding.intent === 'cancel' || /^\s*(cancel|never\s*mind|no thanks?)\b/i.test(text)) {
      await repo.setPendingLead(conversationId, null);
      return [say.CANCELLED];
    }
    const name = understanding.slots.name ?? nameAnswer(text);
    if (!name) {
      await repo.setPendingLead(conversationId, null);
      return undefined;
    }
    const more: PendingLead = {
      ...pending,
      ...(understanding.slots.company ? { company: understanding.slots.company } : {}),
      ...(understanding.slots.email ? { email: understanding.slots.email } : {}),
    };
    return [await this.captureLead(turn, name, more)];
  }

  /** The one place a client's details become a lead: through the executor, once per message. */
  private async captureLead(turn: Turn, name: string, details: PendingLead): Promise<string> {
    const { conversation, person, inbound, message } = turn;
    const phone = this.phoneOf(turn);
    const result = await this.deps.executor.execute({
      action: 'client.lead.capture',
      params: { name, ...details, ...(phone ? { phone } : {}), channel: message.channel, externalId: message.user.id },
      actor: person,
      conversationId: conversation.id,
      timezone: this.timezone(turn),
      idempotencyKey: `message:${inbound.id}:client.lead.capture`,
    });
    await this.deps.repo.setPendingLead(conversation.id, null);
    await this.deps.repo.helped(conversation.id);
    return result.summary;
  }

  /** A turn the bot could not help with; the second in a row hands the conversation to a person. */
  private async missed(turn: Turn, fallback: string): Promise<string[]> {
    const misses = await this.deps.repo.miss(turn.conversation.id);
    if (misses < MISSES_BEFORE_HANDOFF) return [fallback];
    await this.deps.handoffs.open(turn.conversation, turn.person, 'not_helped');
    return [say.HANDED_OFF_AFTER_MISSES];
  }

  /** The number a WhatsApp client writes from (their wa_id), in E.164; other channels carry none. */
  private phoneOf(turn: Turn): string | undefined {
    return turn.message.channel === 'whatsapp' && /^\d{6,15}$/.test(turn.message.user.id) ? `+${turn.message.user.id}` : undefined;
  }

  private timezone(turn: Turn): string {
    return turn.person.timezone ?? this.deps.defaultTimezone;
  }

  // --- the team ---

  /** A team member's reply to a hand-off notice (relayed to the client), or `/handback`; undefined for anything else. */
  private async team(turn: Turn): Promise<ReplyDraft[] | undefined> {
    const { message, person } = turn;
    const { repo, handoffs } = this.deps;
    // `/handback` on Telegram; on Slack `/switchboard handback` arrives as `handback`, and so does the word typed in a thread.
    const command = /^\/?handback(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(message.text.trim());
    const replied = message.replyTo ? await repo.byReply(message.channel, message.conversation, message.replyTo) : undefined;
    if (command) {
      if (!this.deps.policy.mayRunCommand(person.role, 'handoff.handback')) return [{ text: say.HANDBACK_NOT_ALLOWED }];
      const named = command[1];
      let target = named ? await repo.findOpen(named) : replied?.status === 'open' ? replied : undefined;
      if (named && !target) return [{ text: say.noSuchHandoff(named) }];
      if (!target) {
        const open = await repo.listOpen();
        if (open.length === 0) return [{ text: say.NO_OPEN_HANDOFFS }];
        if (open.length > 1) return [{ text: say.whichHandoff(await Promise.all(open.map(async (h) => ({ id: h.id, label: await handoffs.label(h) })))) }];
        target = open[0]!;
      }
      const label = await handoffs.label(target);
      await handoffs.handBack(target, person);
      return [{ text: say.handedBackTo(label) }];
    }
    if (!replied || message.user.isBot) return undefined;
    if (replied.status !== 'open') return [{ text: say.RELAY_CLOSED }];
    const outcome = await handoffs.relay(replied, person, message.text);
    return [{ text: outcome === 'sent' ? say.RELAYED : outcome === 'template' ? say.RELAYED_AS_TEMPLATE : outcome === 'window_closed' ? say.WINDOW_CLOSED : say.RELAY_CLOSED }];
  }
}

/** A bare name given as an answer ("Lisa Wong", "it's Lisa", "I'm Lisa Wong"): at most four words of letters. */
function nameAnswer(text: string): string | undefined {
  const stripped = text
    .trim()
    .replace(/^(my name is|my name's|name is|i am|i'm|im|it's|its|this is|call me)\s+/i, '')
    .replace(/[.!]+$/, '')
    .trim();
  return /^\p{L}[\p{L}'’-]*(\s+\p{L}[\p{L}'’-]*){0,3}$/u.test(stripped) ? stripped : undefined;
}
