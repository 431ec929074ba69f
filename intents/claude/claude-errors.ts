import { SwitchboardError, toSwitchboardError } from '../../core/index.js';

/**
 * Errors of the Claude understander. Callers branch on `code`; the hybrid understander treats every
 * one of them the same way (fall back to the offline understanding) and logs only the code.
 *
 * No message here ever contains the user's text or the model's output: messages reach logs.
 */

/** Claude did not answer in time: one attempt hit `timeoutMs`, or all attempts together hit the deadline. */
export class ClaudeTimeoutError extends SwitchboardError {
  readonly code = 'claude_timeout';
  override readonly status = 504;
  constructor(
    /** `attempt`: the SDK's per-request timeout after its last retry; `deadline`: the overall budget ran out. */
    readonly kind: 'attempt' | 'deadline',
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      kind === 'attempt'
        ? `Claude did not answer within ${timeoutMs} ms (after retries)`
        : `Claude did not answer within the overall deadline of ${timeoutMs} ms`,
      options,
    );
  }
}

/** The Messages API answered with an HTTP error (after the SDK's retries, for retryable ones). */
export class ClaudeHttpError extends SwitchboardError {
  readonly code = 'claude_http_error';
  override readonly status = 502;
  constructor(
    /** The status the Messages API answered with: 401, 429, 500, 529, … */
    readonly httpStatus: number,
    /** `error.type` of the API's error body: `authentication_error`, `rate_limit_error`, `overloaded_error`, … */
    readonly errorType: string | null,
    /** `request-id` response header, for Anthropic support. */
    readonly requestId: string | null,
    options?: { cause?: unknown },
  ) {
    super(`Claude answered HTTP ${httpStatus}${errorType ? ` (${errorType})` : ''}`, options);
  }
}

/** The Messages API could not be reached at all (DNS, refused connection, TLS). */
export class ClaudeConnectionError extends SwitchboardError {
  readonly code = 'claude_unreachable';
  override readonly status = 502;
  constructor(options?: { cause?: unknown }) {
    super('Claude could not be reached', options);
  }
}

/** There was nothing to send: the text is empty once trimmed (and redacted). */
export class ClaudeInputError extends SwitchboardError {
  readonly code = 'claude_input_empty';
  override readonly status = 400;
  constructor() {
    super('There is no text to send to Claude');
  }
}

/** Why an answer from Claude could not be used. */
export type ClaudeOutputProblem =
  /** The response body is not a Messages API message. */
  | 'malformed_response'
  /** The model answered in text and called no tool. */
  | 'no_tool_call'
  /** The model refused (`stop_reason: "refusal"`). */
  | 'refusal'
  /** The answer was cut at `max_tokens`, so the tool input may be incomplete. */
  | 'truncated'
  /** The model called a tool that is not one of the intent tools. */
  | 'unknown_tool'
  /** The tool input is not an object, or a slot has the wrong JSON type. */
  | 'invalid_tool_input';

/** Claude answered, but not with something the understander can use. */
export class ClaudeOutputError extends SwitchboardError {
  readonly code = 'claude_output_invalid';
  override readonly status = 502;
  constructor(
    readonly problem: ClaudeOutputProblem,
    /** Where the problem is (a tool name, a slot path), never a value. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`Claude's answer could not be used: ${problem}${detail ? ` (${detail})` : ''}`, options);
  }
}

export type ClaudeError = ClaudeTimeoutError | ClaudeHttpError | ClaudeConnectionError | ClaudeOutputError | ClaudeInputError;

/**
 * Normalises what the SDK throws into one of the errors above, once, at the SDK boundary.
 * `deadlineHit` says whether our own overall deadline aborted the request (the SDK reports that as
 * a user abort).
 */
export function fromSdkError(
  error: unknown,
  /** The SDK module (loaded on the first call, see claude-tool-call.ts): its error classes. */
  sdk: Pick<typeof import('@anthropic-ai/sdk'), 'AnthropicError' | 'APIConnectionError' | 'APIConnectionTimeoutError' | 'APIError' | 'APIUserAbortError'>,
  limits: { timeoutMs: number; deadlineMs: number; deadlineHit: boolean },
): SwitchboardError {
  const { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (error instanceof SwitchboardError) return error;
  // Order matters: APIConnectionTimeoutError extends APIConnectionError, which extends APIError.
  if (error instanceof APIUserAbortError || limits.deadlineHit) {
    return new ClaudeTimeoutError('deadline', limits.deadlineMs, { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) return new ClaudeTimeoutError('attempt', limits.timeoutMs, { cause: error });
  if (error instanceof APIConnectionError) return new ClaudeConnectionError({ cause: error });
  if (error instanceof APIError && typeof error.status === 'number') {
    return new ClaudeHttpError(error.status, error.type ?? null, error.requestID ?? null, { cause: error });
  }
  // Any other SDK error is about the response it could not read (a body that is not JSON, …).
  if (error instanceof AnthropicError) return new ClaudeOutputError('malformed_response', undefined, { cause: error });
  return toSwitchboardError(error);
}
