import type { NotifyEvent } from '../intents/index.js';
import type { ConversationRepo, MessageRepo, NotificationRepo, PeopleRepo } from '../store/index.js';
import type { Outbox } from './outbox/index.js';

/**
 * Sends a person something proactive (a reminder, a job's result) on their preferred channel, in the
 * conversation they last wrote from there. The message is stored first (durable), then the outbox
 * delivers it (retries, failures on record and reported).
 */
export class Notifier {
  constructor(
    private readonly deps: {
      people: PeopleRepo;
      conversations: ConversationRepo;
      messages: MessageRepo;
      notifications: NotificationRepo;
      outbox: Outbox;
    },
  ) {}

  /**
   * Stores the message and hands it to the outbox without waiting for the platform (this is called
   * from delivery-failure reports too, inside the outbox). Returns false when the person has no
   * conversation to send to.
   *
   * With `event`, the message is one chat's copy of that event: it is claimed per (event, chat) like
   * a notification, so a chat that also subscribed to the event (a task's owner subscribed to
   * "task.due" in the same direct message) gets one message, not two.
   */
  async notifyPerson(personId: string, text: string, event?: { id: string; type: NotifyEvent }): Promise<boolean> {
    const { people, conversations, messages, notifications, outbox } = this.deps;
    const person = await people.findById(personId);
    if (!person) return false;
    const preferred = person.preferredChannel;
    const conversation =
      (preferred ? await conversations.latestFor(personId, preferred) : undefined) ??
      // Not written from there yet: a direct message to their identity (a Telegram or WhatsApp chat
      // id is the user id; Slack opens the DM for a user id).
      (preferred ? await this.directConversation(personId, preferred) : undefined) ??
      (await conversations.latestFor(personId));
    if (!conversation) return false;
    if (event && !(await notifications.claim(event.id, conversation.id, event.type))) return true;
    await messages.recordNotification(conversation.id, {
      text,
      kind: 'notification',
      ...(event ? { payload: { event: event.type, eventId: event.id } } : {}),
    });
    void outbox.kick(conversation.id);
    return true;
  }

  private async directConversation(personId: string, channel: string) {
    if (channel === 'webchat' || channel === 'terminal') return undefined;
    const identity = (await this.deps.people.identitiesOf(personId)).find((i) => i.channel === channel);
    return identity ? this.deps.conversations.ensure(channel, identity.externalId) : undefined;
  }
}
