import type { ChannelAdapter, ChannelName, VoiceAttachment } from '../channels/index.js';
import type { Config } from '../config/index.js';
import { SwitchboardError } from '../core/errors.js';
import { TranscriptionNotConfiguredError, transcribeVoiceNote, type Transcriber } from '../voice/index.js';
import type { HeardNote, VoiceNotes } from './agent/voice-notes.js';

export class VoiceNoteUnavailableError extends SwitchboardError {
  readonly code = 'voice_note_unavailable';
}

/**
 * Hears voice notes: the bytes come through the channel that received the note (Telegram getFile,
 * WhatsApp's media download, Slack's file URL, the web chat's upload), then voice/ decodes and
 * transcribes them. A note whose declared size is over the limit is refused before downloading.
 */
export class ChannelVoiceNotes implements VoiceNotes {
  constructor(
    private readonly deps: {
      channels: ReadonlyMap<ChannelName, ChannelAdapter>;
      limits: Pick<Config['voice'], 'maxBytes' | 'maxSeconds'>;
      transcriber: Transcriber;
    },
  ) {}

  async transcribe(channel: ChannelName, attachment: VoiceAttachment): Promise<HeardNote> {
    const { limits, transcriber } = this.deps;
    // Transcription off: say how to turn it on, without downloading the note first.
    if (transcriber.provider === 'none') throw new TranscriptionNotConfiguredError();
    const adapter = this.deps.channels.get(channel);
    if (!adapter?.fetchMedia) throw new VoiceNoteUnavailableError(`I can't fetch voice notes sent on ${channel}; please type your message.`);
    if (attachment.declaredSizeBytes !== undefined && attachment.declaredSizeBytes > limits.maxBytes) {
      throw new VoiceNoteUnavailableError(
        `That voice note is ${size(attachment.declaredSizeBytes)}; the limit is ${size(limits.maxBytes)}. Please send a shorter one or type your message.`,
      );
    }
    const media = await adapter.fetchMedia(attachment, { maxBytes: limits.maxBytes }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'media_too_large') throw error;
      throw new VoiceNoteUnavailableError(`That voice note is over the limit of ${size(limits.maxBytes)}. Please send a shorter one or type your message.`, { cause: error });
    });
    const heard = await transcribeVoiceNote(new Uint8Array(media.bytes), media.declaredMimeType ?? attachment.declaredMimeType, {
      limits,
      transcriber,
    });
    return { text: heard.text, durationSeconds: heard.durationSeconds, meta: { format: heard.format, chunks: heard.chunks } };
  }
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
