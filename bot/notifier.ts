import type { ConversationRepo, MessageRepo, PeopleRepo } from '../store/index.js';
import type { MessagePipeline } from './message-pipeline.js';

/**
 * Sends a person something proactive (a reminder, a job's result) on their preferred channel, in the
 * conversation they last wrote from there. The message is stored first, then delivered; a failed
 * delivery stays recorded as failed (see MessagePipeline.deliver).
 */
export class Notifier {
  constructor(
    private readonly deps: {
      people: PeopleRepo;
      conversations: ConversationRepo;
      messages: MessageRepo;
      pipeline: MessagePipeline;
    },
  ) {}

  /** Returns false when the person has no conversation to send to. */
  async notifyPerson(personId: string, text: string): Promise<boolean> {
    const { people, conversations, messages, pipeline } = this.deps;
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
    const stored = await messages.recordNotification(conversation.id, { text, kind: 'notification' });
    await pipeline.deliver([pipeline.toOutbound(stored, conversation)]);
    return true;
  }

  private async directConversation(personId: string, channel: string) {
    if (channel === 'webchat' || channel === 'terminal') return undefined;
    const identity = (await this.deps.people.identitiesOf(personId)).find((i) => i.channel === channel);
    return identity ? this.deps.conversations.ensure(channel, identity.externalId) : undefined;
  }

}
