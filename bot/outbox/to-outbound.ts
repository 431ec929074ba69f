import type { ChannelName, OutboundMessage } from '../../channels/index.js';
import type { Conversation, StoredMessage } from '../../store/index.js';

/** The channel-facing form of a stored outbound row, addressed to its conversation. */
export function toOutbound(stored: StoredMessage, conversation: Pick<Conversation, 'channel' | 'externalId' | 'thread'>): OutboundMessage {
  const buttons = (stored.payload as { buttons?: OutboundMessage['buttons'] }).buttons;
  return {
    id: stored.id,
    channel: conversation.channel as ChannelName,
    conversation: conversation.externalId,
    ...(conversation.thread ? { thread: conversation.thread } : {}),
    text: stored.text,
    ...(buttons ? { buttons } : {}),
    kind: stored.kind === 'notification' ? 'notification' : 'reply',
    ...(stored.inReplyTo ? { inReplyTo: stored.inReplyTo } : {}),
    createdAt: stored.createdAt,
  };
}
