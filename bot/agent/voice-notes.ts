import type { ChannelName, VoiceAttachment } from '../../channels/index.js';

/**
 * What the agent needs to hear a voice note: its transcript. The implementation (bot/create-bot.ts)
 * fetches the bytes through the channel that received it, decodes, and transcribes (voice/). Failures
 * throw coded errors whose message a person can read ("That voice note is 31 MB; the limit is 20 MB.").
 */
export interface VoiceNotes {
  transcribe(channel: ChannelName, attachment: VoiceAttachment): Promise<HeardNote>;
}

export interface HeardNote {
  text: string;
  durationSeconds: number;
  /** Anything worth keeping with the transcript: format, provider, chunks. */
  meta: Record<string, unknown>;
}
