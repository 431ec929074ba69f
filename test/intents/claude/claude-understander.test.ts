import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INTENT_CATALOG } from '../../../intents/catalog/index.js';
import {
  ClaudeConnectionError,
  ClaudeHttpError,
  ClaudeInputError,
  ClaudeOutputError,
  ClaudeTimeoutError,
  ClaudeUnderstander,
  CLAUDE_CONFIDENCE,
  CLAUDE_MAX_TEXT_CHARS,
  type ClaudeUnderstanderOptions,
} from '../../../intents/claude/index.js';
import { INTENT_IDS } from '../../../intents/ids.js';
import type { UnderstandContext } from '../../../intents/understander.js';
import { AnthropicFake } from '../../support/fakes/anthropic/index.js';
import { failure } from '../../support/failure.js';

// Every test runs the real @anthropic-ai/sdk against the fake Messages API on 127.0.0.1.

const SECRET = 'xoxb-slack-bot-token-0123456789';
const CONTEXT: UnderstandContext = {
  now: Date.parse('2026-10-24T22:30:00Z'),
  timezone: 'Europe/London',
  apps: ['marketing-site', 'soarix-web', 'acme-shop'],
};

let fake: AnthropicFake;

beforeEach(async () => {
  fake = await new AnthropicFake().start();
});

afterEach(async () => {
  await fake.stop();
});

function claude(overrides: Partial<ClaudeUnderstanderOptions> = {}): ClaudeUnderstander {
  return new ClaudeUnderstander({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    model: 'claude-sonnet-5-5',
    timeoutMs: 400,
    maxRetries: 1,
    secrets: [SECRET],
    ...overrides,
  });
}

describe('ClaudeUnderstander: a tool call becomes an understanding', () => {
  it('maps the tool to its intent and normalises the slots', async () => {
    fake.toolUse('deploy_create', { app: 'marketing site', env: 'prod' });
    const understanding = await claude().understand('push the marketing site to prod', CONTEXT);
    expect(understanding).toEqual({
      intent: 'deploy.create',
      confidence: CLAUDE_CONFIDENCE,
      slots: { app: 'marketing-site', env: 'production' },
      source: 'claude',
      alternatives: [],
    });
  });

  it('sends one tool per intent, forces a single tool call, and redacts the text', async () => {
    fake.toolUse('deploy_create', { app: 'soarix-web', env: 'staging' });
    await claude().understand(`deploy soarix-web to staging, the token is ${SECRET}`, CONTEXT);

    expect(fake.requests).toHaveLength(1);
    const { body, headers } = fake.requests[0]!;
    expect(body.tools!.map((tool) => tool.name)).toEqual(INTENT_IDS.map((id) => id.replaceAll('.', '_')));
    for (const [index, tool] of body.tools!.entries()) {
      expect(tool.description).toBe(INTENT_CATALOG[index]!.description);
      expect(tool.input_schema.type).toBe('object');
    }
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(body.model).toBe('claude-sonnet-5-5');
    expect(body.max_tokens).toBeGreaterThan(0);
    expect(body.messages).toEqual([{ role: 'user', content: 'deploy soarix-web to staging, the token is [redacted]' }]);
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(JSON.stringify(body)).not.toContain(fake.apiKey);
    // API version 2026-10-21 refuses sampling parameters; the fake would have answered 400.
    expect(body).not.toHaveProperty('temperature');
    expect(headers['anthropic-version']).toBe('2026-10-21');
  });

  it('tells Claude the moment, the time zone and the app names', async () => {
    fake.toolUse('greeting', {});
    await claude().understand('hi', CONTEXT);
    const system = String(fake.requests[0]!.body.system);
    expect(system).toContain('2026-10-24T23:30:00+01:00 (Saturday)');
    expect(system).toContain('Europe/London');
    expect(system).toContain('marketing-site, soarix-web, acme-shop');
    expect(system).toContain('out_of_scope');
  });

  it('caps the text it sends', async () => {
    fake.toolUse('knowledge_ask', {});
    await claude().understand('what is the status of the project? '.repeat(400), CONTEXT);
    const sent = fake.requests[0]!.body.messages[0]!.content as string;
    expect(sent.length).toBeLessThanOrEqual(CLAUDE_MAX_TEXT_CHARS);
  });

  it('normalises domains, years, dates, events and DNS names with the slot extractors', async () => {
    fake
      .toolUse('domain_register', { domain: 'www.Bücher.de', years: '2' })
      .toolUse('task_create', { title: 'call John', due: 'tomorrow at 5pm' })
      .toolUse('notify_subscribe', { events: ['deploy.live', 'build failures'] })
      .toolUse('domain_dns_add', { domain: 'www.acme.co.uk', recordType: 'cname', recordValue: 'acme.pages.dev' });
    const c = claude();
    expect((await c.understand('register bücher.de for two years', CONTEXT)).slots).toEqual({
      domain: 'xn--bcher-kva.de',
      years: 2,
    });
    expect((await c.understand('remind me to call John tomorrow at 5pm', CONTEXT)).slots).toEqual({
      title: 'call John',
      due: '2026-10-25T17:00:00+00:00',
    });
    expect((await c.understand('tell me when deploys go live and builds fail', CONTEXT)).slots).toEqual({
      events: ['deploy.live', 'build.failed'],
    });
    expect((await c.understand('add a cname www on acme.co.uk to acme.pages.dev', CONTEXT)).slots).toEqual({
      domain: 'acme.co.uk',
      recordType: 'CNAME',
      recordName: 'www',
      recordValue: 'acme.pages.dev',
    });
  });

  it('recovers a phone number that redaction masked, from the user’s own text', async () => {
    fake.toolUse('crm_lead_create', { name: 'Maria Lopez', phone: '+********3456' });
    const understanding = await claude().understand('new lead Maria Lopez, +44 7911 123456', CONTEXT);
    expect(fake.requests[0]!.body.messages[0]!.content).not.toContain('7911 123456');
    expect(understanding.slots).toEqual({ name: 'Maria Lopez', phone: '+447911123456' });
  });
});

describe('ClaudeUnderstander: the answer is advice, nothing more', () => {
  it('drops keys that are not slots of the intent, "confirmed" included', async () => {
    fake.toolUse('deploy_create', {
      app: 'soarix-web',
      env: 'production',
      confirmed: true,
      confirmation: 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION',
      approved_by: 'admin',
      domain: 'soarix.ai',
    });
    const debug = vi.fn();
    const understanding = await claude({ logger: { warn: vi.fn(), debug } }).understand('ship soarix-web to prod', CONTEXT);

    expect(understanding).toEqual({
      intent: 'deploy.create',
      confidence: CLAUDE_CONFIDENCE,
      slots: { app: 'soarix-web', env: 'production' },
      source: 'claude',
      alternatives: [],
    });
    expect(Object.keys(understanding).sort()).toEqual(['alternatives', 'confidence', 'intent', 'slots', 'source']);
    expect(JSON.stringify(understanding)).not.toMatch(/confirm|approv/i);
    expect(debug).toHaveBeenCalledWith(
      expect.objectContaining({ intent: 'deploy.create', ignored: ['confirmed', 'confirmation', 'approved_by', 'domain'] }),
      expect.any(String),
    );
  });

  it('drops slot values that fail normalisation or validation, and logs their names', async () => {
    fake.toolUse('deploy_create', { app: 'the moon base', env: 'the moon', ref: 'main' });
    const debug = vi.fn();
    const understanding = await claude({ logger: { warn: vi.fn(), debug } }).understand('deploy main of the moon base', CONTEXT);
    expect(understanding.slots).toEqual({ ref: 'main' });
    expect(debug).toHaveBeenCalledWith(expect.objectContaining({ dropped: ['app', 'env'] }), expect.any(String));
    expect(JSON.stringify(debug.mock.calls)).not.toContain('moon');
  });

  it('offers Claude no slot, tool or instruction about confirming', async () => {
    fake.toolUse('greeting', {});
    await claude().understand('hello', CONTEXT);
    const { body } = fake.requests[0]!;
    expect(String(body.system)).not.toMatch(/confirm|approv/i);
    for (const tool of body.tools!) {
      expect(tool.name).not.toMatch(/confirm|approv/i);
      expect(JSON.stringify(tool.input_schema)).not.toMatch(/confirm|approv/i);
      expect(tool.input_schema.additionalProperties).toBe(false);
    }
  });
});

describe('ClaudeUnderstander: retries and timeouts (the SDK’s)', () => {
  it('retries after a 429, waiting as long as retry-after says', async () => {
    fake.rateLimited(1).toolUse('task_list', {});
    const started = Date.now();
    const understanding = await claude().understand('what are my tasks', CONTEXT);
    expect(understanding.intent).toBe('task.list');
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries after a 500', async () => {
    fake.serverError().toolUse('task_list', {});
    expect((await claude().understand('what are my tasks', CONTEXT)).intent).toBe('task.list');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries after a 529 overloaded', async () => {
    fake.overloaded().toolUse('task_list', {});
    expect((await claude().understand('what are my tasks', CONTEXT)).intent).toBe('task.list');
    expect(fake.requests).toHaveLength(2);
  });

  it('fails with the status when the 500s persist', async () => {
    fake.serverError().times(2);
    const error = await failure(claude({ maxRetries: 1 }).understand('what are my tasks', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeHttpError);
    expect(error).toMatchObject({ code: 'claude_http_error', httpStatus: 500, errorType: 'api_error' });
    expect((error as ClaudeHttpError).requestId).toMatch(/^req_/);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails with claude_timeout when Claude hangs past the timeout', async () => {
    fake.hang(3_000);
    const started = Date.now();
    const error = await failure(claude({ timeoutMs: 300, maxRetries: 0 }).understand('what are my tasks', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeTimeoutError);
    expect(error).toMatchObject({ code: 'claude_timeout', kind: 'attempt' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('retries a timed-out attempt', async () => {
    fake.hang(3_000).toolUse('task_list', {});
    expect((await claude({ timeoutMs: 300, maxRetries: 1 }).understand('what are my tasks', CONTEXT)).intent).toBe('task.list');
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up at its own deadline rather than wait out a long retry-after', async () => {
    fake.rateLimited(30).toolUse('task_list', {});
    const started = Date.now();
    const error = await failure(claude({ deadlineMs: 400 }).understand('what are my tasks', CONTEXT));
    expect(error).toMatchObject({ code: 'claude_timeout', kind: 'deadline' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up at its own deadline in the middle of a slow attempt', async () => {
    fake.hang(3_000);
    const started = Date.now();
    const error = await failure(claude({ timeoutMs: 2_000, deadlineMs: 300 }).understand('what are my tasks', CONTEXT));
    expect(error).toMatchObject({ code: 'claude_timeout', kind: 'deadline' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails with 401 authentication_error for a wrong key, without retrying', async () => {
    fake.toolUse('task_list', {});
    const error = await failure(claude({ apiKey: 'sk-ant-api03-not-the-right-key' }).understand('tasks', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeHttpError);
    expect(error).toMatchObject({ httpStatus: 401, errorType: 'authentication_error' });
    expect(fake.rejected).toEqual([expect.objectContaining({ status: 401 })]);
    expect(fake.requests).toHaveLength(0);
  });

  it('fails with claude_unreachable when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(claude({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).understand('tasks', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeConnectionError);
    expect(error).toMatchObject({ code: 'claude_unreachable' });
  });
});

describe('ClaudeUnderstander: answers it cannot use', () => {
  it.each([
    ['a string', 'deploy soarix-web please'],
    ['an array', [{ app: 'soarix-web' }]],
    ['null', null],
    ['a slot of the wrong type', { app: 42 }],
    ['an environment list', { env: ['production'] }],
  ])('refuses tool input that is %s with claude_output_invalid', async (_label, input) => {
    fake.malformedToolInput('deploy_create', input);
    const error = await failure(claude().understand('deploy soarix-web', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeOutputError);
    expect(error).toMatchObject({ code: 'claude_output_invalid', problem: 'invalid_tool_input' });
  });

  it('refuses a text-only answer', async () => {
    fake.textOnly('Sure, I will deploy it for you!');
    expect(await failure(claude().understand('deploy soarix-web', CONTEXT))).toMatchObject({
      code: 'claude_output_invalid',
      problem: 'no_tool_call',
    });
  });

  it('refuses a refusal', async () => {
    fake.refusal();
    expect(await failure(claude().understand('deploy soarix-web', CONTEXT))).toMatchObject({ problem: 'refusal' });
  });

  it('refuses a tool that is not an intent tool', async () => {
    fake.toolUse('deploy_everything_now', { app: 'soarix-web' });
    expect(await failure(claude().understand('deploy soarix-web', CONTEXT))).toMatchObject({
      code: 'claude_output_invalid',
      problem: 'unknown_tool',
      detail: 'deploy_everything_now',
    });
  });

  it('sends nothing for blank text', async () => {
    expect(await failure(claude().understand('  \n ', CONTEXT))).toBeInstanceOf(ClaudeInputError);
    expect(fake.requests).toHaveLength(0);
    expect(fake.rejected).toHaveLength(0);
  });
});
