import { SwitchboardError } from '../core/errors.js';

/** Why speech did not become text. One class per `code`; messages can be shown to the sender or the team. */

/** No transcription provider is configured (TRANSCRIBER=none, or no OPENAI_API_KEY). */
export class TranscriptionNotConfiguredError extends SwitchboardError {
  readonly code = 'transcription_not_configured';
  override readonly status = 503;
  constructor() {
    super(
      'Voice notes cannot be transcribed: no transcription service is configured. ' +
        'Set TRANSCRIBER=openai and OPENAI_API_KEY (and OPENAI_TRANSCRIBE_MODEL, default whisper-1) to use OpenAI, ' +
        'or also OPENAI_BASE_URL (e.g. http://127.0.0.1:8080/v1) for a self-hosted Whisper server (whisper.cpp server, faster-whisper/speaches, LocalAI).',
    );
  }
}

/** The provider refused the credentials (401/403): nothing will work until the configuration changes. */
export class TranscriptionAuthError extends SwitchboardError {
  readonly code = 'transcription_unauthorized';
  override readonly status = 502;
  constructor(
    readonly httpStatus: number,
    readonly providerMessage: string | undefined,
  ) {
    super(
      `The transcription service refused Switchboard's API key (HTTP ${httpStatus}${providerMessage ? `: ${providerMessage}` : ''}). ` +
        'Check OPENAI_API_KEY (and OPENAI_BASE_URL if you use your own server).',
    );
  }
}

export type TranscriptionFailure =
  /** The provider answered an HTTP error (after retries for 408/409/429/5xx). */
  | 'http'
  /** The provider could not be reached (after retries). */
  | 'network'
  /** No answer within the per-request time limit (after retries). */
  | 'timeout'
  /** A 200 answer that is not the documented `{ "text": … }`. */
  | 'bad_response';

/** The provider did not produce a transcript. `attempts` counts every request made for the failing chunk. */
export class TranscriptionFailedError extends SwitchboardError {
  readonly code = 'transcription_failed';
  override readonly status = 502;
  constructor(
    readonly reason: TranscriptionFailure,
    readonly attempts: number,
    readonly detail: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`The voice note could not be transcribed (${detail}${attempts > 1 ? `, after ${attempts} attempts` : ''}); please try again later or type your message.`, options);
  }
}

/** The note decoded fine but holds no speech (silence, or the model heard nothing). */
export class NothingHeardError extends SwitchboardError {
  readonly code = 'nothing_heard';
  override readonly status = 422;
  constructor(readonly durationSeconds: number) {
    super("I couldn't hear any words in that voice note; please record it again closer to the microphone, or type your message.");
  }
}
