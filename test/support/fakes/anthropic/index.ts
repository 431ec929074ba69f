export {
  AnthropicFake,
  FAKE_ANTHROPIC_API_KEY,
  ANTHROPIC_API_VERSIONS,
  MessagesRequestSchema,
  type AnthropicFakeOptions,
  type MessagesRequest,
  type RecordedRequest,
  type RejectedRequest,
} from './anthropic-fake.js';
