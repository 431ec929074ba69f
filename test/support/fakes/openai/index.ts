export {
  OpenAiFake,
  FAKE_OPENAI_API_KEY,
  OPENAI_MAX_UPLOAD_BYTES,
  OPENAI_AUDIO_EXTENSIONS,
  type OpenAiFakeOptions,
  type TranscriptionRequest,
  type RejectedRequest,
} from './openai-fake.js';
export { parseMultipart, boundaryOf, MultipartError, type MultipartPart } from './multipart.js';
export { inspectWav, type InspectedWav } from './inspect-wav.js';
