import { isWindowOpen } from '../../channels/whatsapp/index.js';
import type { Clock, Logger } from '../../core/index.js';
import type { AuditLog, Conversation, ConversationRepo, MessageRepo, NotificationRepo, PeopleRepo, Person, StoredMessage } from '../../store/index.js';
import type { Outbox } from '../outbox/index.js';
import { ClientRepo, type Handoff, type HandoffReason } from './client-repo.js';
import * as say from './client-wording.js';

/** Events the team may subscribe a chat to; without subscribers, owners and admins hear them directly. */
export type TeamEvent = 'handoff.requested' | 'lead.created' | 'client.call_requested' | 'client.erase_requested';

/** Client messages quoted in a hand-off notice. */
const SUMMARY_MESSAGES = 8;

export interface HandoffsDeps {
  repo: ClientRepo;
  people: PeopleRepo;
  conversations: ConversationRepo;
  messages: MessageRepo;
  notifications: NotificationRepo;
  /** Kicked after a message is stored; a CLI process without channels passes a no-op (the service delivers on its next pass). */
  outbox: Pick<Outbox, 'kick'>;
  audit: AuditLog;
  logger: Logger;
  clock: Clock;
  /** Whether an approved WhatsApp template is configured: outside the 24-hour window it is the only way to reach a client. */
  whatsappTemplate: boolean;
  /** Where the conversation can be opened, if the service has such a page (e.g. a console); else the id is given. */
  conversationLink?: (conversationId: string) => string | undefined;
}

/**
 * The team's side of client conversations: telling the team (chats subscribed to the event, or else every
 * owner and admin in their latest conversation), handing a conversation to a person and back, and relaying
 * the team's replies to the client through the bot's number. Every message is a stored row the outbox
 * delivers, so the WhatsApp customer-service window and retries apply as to any other.
 */
export class Handoffs {
  constructor(private readonly deps: HandoffsDeps) {}

  /** Tells the team; returns the stored notices (one per chat), already handed to the outbox. */
  async tellTeam(event: TeamEvent, text: string): Promise<StoredMessage[]> {
    const notices: StoredMessage[] = [];
    for (const conversationId of await this.teamChats(event)) {
      notices.push(await this.deps.messages.recordNotification(conversationId, { text, kind: 'notification', payload: { event } }));
      void this.deps.outbox.kick(conversationId);
    }
    if (notices.length === 0) this.deps.logger.warn({ event }, 'nobody on the team can be told: no subscribed chat and no owner or admin with a conversation');
    return notices;
  }

  private async teamChats(event: TeamEvent): Promise<string[]> {
    const subscribed = await this.deps.notifications.subscribersOf(event);
    if (subscribed.length) {
      const chats = await Promise.all(subscribed.map(async (s) => (await this.topLevel((await this.deps.conversations.findById(s.conversationId))!)).id));
      return [...new Set(chats)];
    }
    const staff = await this.deps.people.withRoles(['owner', 'admin']);
    const chats: string[] = [];
    for (const person of staff) {
      const conversation =
        (person.preferredChannel ? await this.deps.conversations.latestFor(person.id, person.preferredChannel) : undefined) ??
        (await this.deps.conversations.latestFor(person.id));
      if (!conversation) continue;
      const chat = await this.topLevel(conversation);
      if (!chats.includes(chat.id)) chats.push(chat.id);
    }
    return chats;
  }

  /**
   * A Slack thread's channel, posted in at the top: the notice starts a thread of its own, so a reply in
   * it names the notice (its parent ts), never an older conversation with the bot.
   */
  private async topLevel(conversation: Conversation): Promise<Conversation> {
    return conversation.channel === 'slack' && conversation.thread ? this.deps.conversations.ensure('slack', conversation.externalId) : conversation;
  }

  /**
   * Hands the conversation to the team: one open hand-off per conversation (asking again changes
   * nothing and tells nobody twice). Returns whether this call opened it.
   */
  async open(conversation: Conversation, client: Person, reason: HandoffReason): Promise<boolean> {
    const summary = await this.summary(conversation.id);
    const { handoff, created } = await this.deps.repo.openHandoff(conversation.id, reason, summary);
    if (!created) return false;
    await this.deps.audit.append({ actor: client.id, action: 'handoff.opened', conversationId: conversation.id, data: { handoffId: handoff.id, reason } });
    const text = say.handoffNotice({
      who: client.displayName ?? 'A client',
      channel: conversation.channel,
      why: reason === 'asked_for_person' ? 'asked to talk to a person' : 'could not be helped by the bot twice in a row',
      summary,
      conversationId: conversation.id,
      handoffId: handoff.id,
      link: this.deps.conversationLink?.(conversation.id),
    });
    for (const notice of await this.tellTeam('handoff.requested', text)) await this.deps.repo.addNotice(handoff.id, notice.id);
    return true;
  }

  /** The client's recent messages, for the team; what the bot said is left out (the team can open the conversation). */
  private async summary(conversationId: string): Promise<string> {
    const recent = (await this.deps.messages.history(conversationId, 50)).filter((m) => m.direction === 'in' && m.text.trim()).slice(-SUMMARY_MESSAGES);
    return recent.length ? recent.map((m) => `> ${m.text.trim().replace(/\s+/g, ' ').slice(0, 300)}`).join('\n') : '> (no messages yet)';
  }

  /**
   * A client message while a person has the conversation: shown to the team where they heard about it
   * (in the Slack thread of the notice; as a new message on Telegram, itself a notice they can reply to).
   */
  async forward(handoff: Handoff, client: Person, text: string): Promise<void> {
    const seen = new Set<string>();
    for (const notice of await this.deps.repo.noticesOf(handoff.id)) {
      const chat = await this.deps.conversations.findById(notice.conversationId);
      if (!chat) continue;
      // On Slack the thread of the first notice in a channel; elsewhere the chat itself. Once per place.
      const target = chat.channel === 'slack' && !chat.thread && notice.platformMessageId ? await this.deps.conversations.ensure('slack', chat.externalId, notice.platformMessageId) : chat;
      const place = `${target.channel}:${target.externalId}`;
      if (seen.has(place)) continue;
      seen.add(place);
      const row = await this.deps.messages.recordNotification(target.id, { text: say.clientSaid(client.displayName ?? 'Client', text), kind: 'notification', payload: { event: 'handoff.message' } });
      await this.deps.repo.addNotice(handoff.id, row.id);
      void this.deps.outbox.kick(target.id);
    }
  }

  /**
   * A team member's reply to a notice, sent to the client through the bot's number. WhatsApp's
   * customer-service window applies: more than 24 hours after the client last wrote, only the approved
   * template goes out (the outbox sends it), and without one nothing is sent and the team member is told.
   */
  async relay(handoff: Handoff, from: Person, text: string): Promise<'sent' | 'template' | 'window_closed' | 'gone'> {
    const client = await this.deps.conversations.findById(handoff.conversationId);
    if (!client) return 'gone';
    let outcome: 'sent' | 'template' = 'sent';
    if (client.channel === 'whatsapp' && !isWindowOpen(await this.deps.messages.lastInboundAt('whatsapp', client.externalId), this.deps.clock.now())) {
      if (!this.deps.whatsappTemplate) return 'window_closed';
      outcome = 'template';
    }
    await this.deps.messages.recordNotification(client.id, { text, kind: 'notification', payload: { relayedBy: from.id, handoffId: handoff.id } });
    await this.deps.audit.append({ actor: from.id, action: 'handoff.relayed', conversationId: client.id, data: { handoffId: handoff.id } });
    void this.deps.outbox.kick(client.id);
    return outcome;
  }

  /** Gives the conversation back to the bot and tells the client; false when it was already back. */
  async handBack(handoff: Handoff, by: Person | null): Promise<boolean> {
    if (!(await this.deps.repo.close(handoff.id, by?.id ?? null))) return false;
    await this.deps.repo.helped(handoff.conversationId);
    await this.deps.audit.append({ actor: by?.id ?? 'admin-api', action: 'handoff.closed', conversationId: handoff.conversationId, data: { handoffId: handoff.id } });
    await this.deps.messages.recordNotification(handoff.conversationId, { text: say.HANDED_BACK, kind: 'notification', payload: { handoffId: handoff.id } });
    void this.deps.outbox.kick(handoff.conversationId);
    return true;
  }

  /** A label for an open hand-off in the team's list: the client's name and channel. */
  async label(handoff: Handoff): Promise<string> {
    const conversation = await this.deps.conversations.findById(handoff.conversationId);
    const first = (await this.deps.messages.history(handoff.conversationId, 50)).find((m) => m.direction === 'in' && m.personId);
    const person = first?.personId ? await this.deps.people.findById(first.personId) : undefined;
    return `${person?.displayName ?? 'a client'} on ${conversation?.channel ?? 'an unknown channel'}`;
  }
}
