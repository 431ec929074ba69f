import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicFake } from './index.js';

/** The fake must refuse what the Messages API refuses, or tests against it prove nothing. */

let fake: AnthropicFake;

beforeEach(async () => {
  fake = await new AnthropicFake().start();
});

afterEach(async () => {
  await fake.stop();
});

const TOOL = {
  name: 'deploy_create',
  description: 'Deploy an app',
  input_schema: { type: 'object', properties: { app: { type: 'string' } } },
};

function validBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'claude-sonnet-5-5',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'deploy soarix-web' }],
    tools: [TOOL],
    tool_choice: { type: 'any' },
    ...overrides,
  };
}

async function post(
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const all: Record<string, string> = {};
  const merged = { 'content-type': 'application/json', 'x-api-key': fake.apiKey, 'anthropic-version': '2026-10-21', ...headers };
  for (const [name, value] of Object.entries(merged)) if (value !== undefined) all[name] = value;
  const response = await fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: all,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

describe('AnthropicFake: authentication and headers', () => {
  it('accepts the key as x-api-key and as a Bearer token', async () => {
    fake.textOnly('one').textOnly('two');
    expect((await post(validBody())).status).toBe(200);
    expect((await post(validBody(), { 'x-api-key': undefined, authorization: `Bearer ${fake.apiKey}` })).status).toBe(200);
    expect(fake.requests).toHaveLength(2);
  });

  it('answers 401 authentication_error for a missing or wrong key, in the API error shape', async () => {
    const missing = await post(validBody(), { 'x-api-key': undefined });
    const wrong = await post(validBody(), { 'x-api-key': 'sk-ant-wrong' });
    for (const answer of [missing, wrong]) {
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } });
      expect(answer.json.request_id).toMatch(/^req_/);
    }
    expect(fake.requests).toHaveLength(0);
    expect(fake.rejected.map((r) => r.status)).toEqual([401, 401]);
  });

  it('requires an existing anthropic-version', async () => {
    const missing = await post(validBody(), { 'anthropic-version': undefined });
    const unknown = await post(validBody(), { 'anthropic-version': '1999-01-01' });
    expect([missing.status, unknown.status]).toEqual([400, 400]);
    expect(missing.json.error.type).toBe('invalid_request_error');
    expect(missing.json.error.message).toContain('anthropic-version');
  });

  it('answers 404 not_found_error on other paths', async () => {
    const response = await fetch(`${fake.url}/v1/complete`, { method: 'POST', headers: { 'x-api-key': fake.apiKey } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
  });
});

describe('AnthropicFake: the request body', () => {
  it.each([
    ['not JSON', '{"model": '],
    ['no model', validBody({ model: undefined })],
    ['no max_tokens', validBody({ max_tokens: undefined })],
    ['max_tokens 0', validBody({ max_tokens: 0 })],
    ['max_tokens not an integer', validBody({ max_tokens: 1.5 })],
    ['no messages', validBody({ messages: [] })],
    ['a message without a role', validBody({ messages: [{ content: 'hi' }] })],
    ['a message with empty content', validBody({ messages: [{ role: 'user', content: '' }] })],
    ['an unknown top-level field', validBody({ confirmed: true })],
    ['a tool name with a dot', validBody({ tools: [{ ...TOOL, name: 'deploy.create' }] })],
    ['a tool name longer than 64', validBody({ tools: [{ ...TOOL, name: 'x'.repeat(65) }] })],
    ['a tool without description', validBody({ tools: [{ name: TOOL.name, input_schema: TOOL.input_schema }] })],
    ['a tool whose input_schema is not an object', validBody({ tools: [{ ...TOOL, input_schema: { type: 'string' } }] })],
    ['two tools with one name', validBody({ tools: [TOOL, TOOL] })],
    ['tool_choice of an unknown type', validBody({ tool_choice: { type: 'sometimes' } })],
    ['tool_choice naming a missing tool', validBody({ tool_choice: { type: 'tool', name: 'nope' } })],
    ['tool_choice any without tools', validBody({ tools: undefined })],
    ['temperature under 2026-10-21', validBody({ temperature: 0 })],
    ['thinking with forced tool use', validBody({ thinking: { type: 'adaptive' } })],
    ['streaming', validBody({ stream: true })],
  ])('refuses %s with 400 invalid_request_error', async (_label, body) => {
    fake.textOnly('never sent');
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(fake.requests).toHaveLength(0);
    expect(fake.pending).toBe(1);
  });

  it('accepts temperature under API version 2023-06-01, where it still exists', async () => {
    fake.textOnly('ok');
    expect((await post(validBody({ temperature: 0 }), { 'anthropic-version': '2023-06-01' })).status).toBe(200);
  });

  it('records what it accepted', async () => {
    fake.textOnly('ok');
    await post(validBody({ system: 'be brief' }));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.system).toBe('be brief');
    expect(fake.requests[0]!.headers['anthropic-version']).toBe('2026-10-21');
  });
});

describe('AnthropicFake: scripted answers', () => {
  it('answers a tool call in the Messages response shape', async () => {
    fake.toolUse('deploy_create', { app: 'soarix-web' });
    const answer = await post(validBody());
    expect(answer.status).toBe(200);
    expect(answer.headers.get('request-id')).toMatch(/^req_/);
    expect(answer.json).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [{ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'deploy_create', input: { app: 'soarix-web' } }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it('answers a text-only turn with end_turn', async () => {
    fake.textOnly('I would rather chat.');
    const answer = await post(validBody());
    expect(answer.json.content).toEqual([{ type: 'text', text: 'I would rather chat.' }]);
    expect(answer.json.stop_reason).toBe('end_turn');
  });

  it('answers errors with their status, type and retry-after', async () => {
    fake.rateLimited(7).serverError().overloaded();
    const limited = await post(validBody());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json.error.type).toBe('rate_limit_error');
    expect((await post(validBody())).json.error.type).toBe('api_error');
    const overloaded = await post(validBody());
    expect(overloaded.status).toBe(529);
    expect(overloaded.json.error.type).toBe('overloaded_error');
  });

  it('answers 500 and counts the request when nothing is scripted', async () => {
    const answer = await post(validBody());
    expect(answer.status).toBe(500);
    expect(fake.unscripted).toBe(1);
  });

  it('answers a hung request late', async () => {
    fake.hang(150);
    const started = Date.now();
    const answer = await post(validBody());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.json.stop_reason).toBe('end_turn');
  });
});
