// Voice notes: from the bytes a channel downloaded to text. Most used first.
export { transcribeVoiceNote, type HeardVoiceNote, type TranscribeVoiceNoteOptions, type VoiceNoteLimits } from './transcribe-voice-note.js';
export { type Transcriber, type Transcription, type TranscribeOptions, NoTranscriber, ScriptedTranscriber } from './transcriber.js';
export { createTranscriber, type TranscriberConfig, type TranscriberDeps } from './create-transcriber.js';
export { OpenAiTranscriber, OpenAiTranscriberOptionsSchema, type OpenAiTranscriberOptions, retryAfterMs } from './openai-transcriber.js';
export { prepareAudio, PrepareAudioOptionsSchema, TARGET_SAMPLE_RATE, type PreparedAudio, type PrepareAudioOptions } from './prepare-audio.js';
export {
  AudioTooLargeError,
  AudioTooLongError,
  AudioEmptyError,
  NotAudioError,
  UnsupportedAudioError,
  AudioCorruptError,
  FfmpegMissingError,
  AudioDecodeTimeoutError,
  formatBytes,
  formatDuration,
} from './audio-errors.js';
export { TranscriptionNotConfiguredError, TranscriptionAuthError, TranscriptionFailedError, NothingHeardError, type TranscriptionFailure } from './transcription-errors.js';
export { encodeWav } from './encode-wav.js';
export { sniffAudioFormat, AUDIO_FORMATS, type AudioFormat, type SniffResult } from './sniff-audio-format.js';
export { splitIntoChunks, type AudioChunk, type SplitOptions } from './split-into-chunks.js';
export { Resampler, resample, type ResamplerOptions } from './resampler.js';
export { parseWav, readWavHeader, type WavAudio, type WavHeader } from './parse-wav.js';
export { decodeOggOpus, type OggOpusDecoded } from './decode-ogg-opus.js';
export { inspectOggOpus, type OggOpusInfo } from './inspect-ogg-opus.js';
export { decodeWithFfmpeg, DEFAULT_FFMPEG_TIMEOUT_MS, type FfmpegDecodeOptions, type FfmpegDecoded, type FfmpegFormat } from './decode-with-ffmpeg.js';
export { inspectMp4, type Mp4Info } from './inspect-mp4.js';
export { downmixToMono, floatToInt16, int16ToFloat } from './pcm-samples.js';
