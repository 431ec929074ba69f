import type { PreparedAudio } from './prepare-audio.js';
import { TranscriptionNotConfiguredError } from './transcription-errors.js';

export interface TranscribeOptions {
  /** The spoken language as ISO-639-1 (`en`, `de`), when known; improves accuracy and latency. */
  language?: string;
}

export interface Transcription {
  /** The words heard, machine-made and untrusted. Empty when nothing was heard. */
  text: string;
  /** Requests made: notes longer than the provider's chunk length are sent in pieces. */
  chunks: number;
  /** Which implementation produced the text (`openai`, `scripted`…), for logs and the stored transcript. */
  provider: string;
}

/**
 * The port the media step uses to turn speech into text. Implementations: `OpenAiTranscriber` (any
 * OpenAI-compatible `/audio/transcriptions` endpoint), `NoTranscriber` (transcription is off),
 * `ScriptedTranscriber` (fixed answers, for tests and demos).
 *
 * @example
 * const { text } = await transcriber.transcribe(await prepareAudio(bytes, limits), { language: 'en' });
 */
export interface Transcriber {
  readonly provider: string;
  transcribe(audio: PreparedAudio, options?: TranscribeOptions): Promise<Transcription>;
}

/**
 * Transcription is not configured: every call throws TranscriptionNotConfiguredError, whose message
 * says how to turn it on (TRANSCRIBER=openai, OPENAI_API_KEY, OPENAI_BASE_URL).
 */
export class NoTranscriber implements Transcriber {
  readonly provider = 'none';

  async transcribe(): Promise<Transcription> {
    throw new TranscriptionNotConfiguredError();
  }
}

/**
 * Answers from a script, without any network: one text per call in order, or a function of the audio.
 * For tests of the steps after transcription, and for demos without a speech service.
 *
 * @example
 * const transcriber = new ScriptedTranscriber(['remind me to call John tomorrow at five']);
 */
export class ScriptedTranscriber implements Transcriber {
  readonly provider = 'scripted';
  /** Every audio it was given, in order. */
  readonly received: PreparedAudio[] = [];
  private readonly script: string[] = [];
  private readonly answer: ((audio: PreparedAudio, index: number) => string) | undefined;

  constructor(script: readonly string[] | ((audio: PreparedAudio, index: number) => string)) {
    if (typeof script === 'function') this.answer = script;
    else this.script.push(...script);
  }

  async transcribe(audio: PreparedAudio): Promise<Transcription> {
    this.received.push(audio);
    const text = this.answer ? this.answer(audio, this.received.length - 1) : this.script.shift();
    if (text === undefined) throw new Error('ScriptedTranscriber: no scripted text left');
    return { text, chunks: 1, provider: this.provider };
  }
}
