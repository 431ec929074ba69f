import { SystemClock } from '../../core/index.js';
import { createTranscriber, OpenAiTranscriber, ScriptedTranscriber } from '../../voice/index.js';
import { OpenAiFake } from '../support/fakes/openai/index.js';
import { describeTranscriberContract, SPOKEN } from './transcriber.contract.js';

// Each implementation of the Transcriber port joins the contract in a few lines. The OpenAI-compatible
// one runs against the local fake (a real HTTP server that decodes the WAV it receives), with a short
// chunk length so that long notes go out in several requests.

describeTranscriberContract('OpenAI-compatible (OpenAI fake)', async () => {
  const fake = await new OpenAiFake().start();
  fake.respondWith((request) => (request.durationSeconds > 0 ? ` ${SPOKEN} ` : ''));
  const transcriber = new OpenAiTranscriber({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'whisper-1', chunkSeconds: 10, clock: new SystemClock() });
  return { transcriber, kind: 'transcribes', requests: () => fake.requests.length, chunkSeconds: 10, close: () => fake.stop() };
});

describeTranscriberContract('none (transcription switched off)', async () => ({
  transcriber: createTranscriber(undefined, { clock: new SystemClock() }),
  kind: 'disabled',
  requests: () => 0,
  close: async () => {},
}));

describeTranscriberContract('scripted (tests and demos)', async () => ({
  transcriber: new ScriptedTranscriber(() => SPOKEN),
  kind: 'transcribes',
  requests: () => 0,
  close: async () => {},
}));
