import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { OpenAiTranscriber } from './openai-transcriber.js';
import { NoTranscriber, type Transcriber } from './transcriber.js';

/** `config.voice.transcriber`: undefined when transcription is off. */
export type TranscriberConfig = Config['voice']['transcriber'];

export interface TranscriberDeps {
  clock: Clock;
  logger?: Logger;
  /** Overrides for the OpenAI-compatible provider (defaults: 3 retries, 120 s per request). */
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * The transcriber the configuration asks for: OpenAI-compatible when set, otherwise one that explains
 * how to configure transcription.
 *
 * @example
 * const transcriber = createTranscriber(config.voice.transcriber, { clock, logger });
 */
export function createTranscriber(config: TranscriberConfig, deps: TranscriberDeps): Transcriber {
  if (!config) return new NoTranscriber();
  switch (config.kind) {
    case 'openai':
      return new OpenAiTranscriber({
        apiKey: config.apiKey,
        baseUrl: config.baseUrl,
        model: config.model,
        chunkSeconds: config.chunkSeconds,
        clock: deps.clock,
        logger: deps.logger,
        maxRetries: deps.maxRetries,
        timeoutMs: deps.timeoutMs,
      });
  }
}
