import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClaudeHttpError, ClaudeOutputError, ClaudeTimeoutError } from '../../../intents/claude/index.js';
import {
  ClaudeTaskExtractor,
  CREATE_TASKS_TOOL_NAME,
  FallbackTaskExtractor,
  OfflineTaskExtractor,
  TaskDraftSchema,
  type ClaudeTaskExtractorOptions,
  type TaskExtractionContext,
  type TaskExtractor,
} from '../../../intents/task-extraction/index.js';
import { AnthropicFake } from '../../support/fakes/anthropic/index.js';
import { failure } from '../../support/failure.js';

// Every test runs the real @anthropic-ai/sdk against the fake Messages API on 127.0.0.1.

const SECRET = 'xoxb-slack-bot-token-0123456789';
const VOICE_NOTE = 'remind me to call John tomorrow at five and send Acme the proposal by Friday';
const CONTEXT: TaskExtractionContext = {
  now: Date.parse('2026-11-18T10:00:00Z'), // Wednesday, 10:00 in London
  timezone: 'Europe/London',
  apps: [],
  people: [
    { id: 'u-priya', name: 'Priya Shah' },
    { id: 'u-sam-lee', name: 'Sam Lee' },
    { id: 'u-sam-patel', name: 'Sam Patel' },
  ],
  contacts: [
    { id: 'c-john', name: 'John Smith' },
    { id: 'c-jane', name: 'Jane Doe', company: 'Acme Ltd' },
  ],
};

let fake: AnthropicFake;

beforeEach(async () => {
  fake = await new AnthropicFake().start();
});

afterEach(async () => {
  await fake.stop();
});

function claude(overrides: Partial<ClaudeTaskExtractorOptions> = {}): ClaudeTaskExtractor {
  return new ClaudeTaskExtractor({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    model: 'claude-sonnet-5-5',
    timeoutMs: 400,
    maxRetries: 1,
    secrets: [SECRET],
    ...overrides,
  });
}

describe('ClaudeTaskExtractor: a create_tasks call becomes drafts', () => {
  it('normalises due dates to the user\'s zone and reads the words Claude left', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, {
      tasks: [
        { title: 'call John', due: '2026-11-19T17:00:00Z', contacts: ['c-john'] },
        { title: 'send Acme the proposal', due: 'by Friday', contacts: ['c-jane'] },
      ],
    });
    const drafts = await claude().extract(VOICE_NOTE, CONTEXT);
    expect(drafts).toEqual([
      { title: 'call John', due: '2026-11-19T17:00:00+00:00', contactIds: ['c-john'], sourceText: 'remind me to call John tomorrow at five' },
      { title: 'send Acme the proposal', due: '2026-11-20T09:00:00+00:00', contactIds: ['c-jane'], sourceText: 'send Acme the proposal by Friday' },
    ]);
    for (const draft of drafts) expect(TaskDraftSchema.safeParse(draft).success).toBe(true);
  });

  it('re-expresses an instant given in another offset, and reads an ISO time without one as local', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, {
      tasks: [
        { title: 'call John', due: '2026-03-08T14:00:00+01:00' },
        { title: 'email Sam', due: '2026-03-08T09:00:00' },
      ],
    });
    const drafts = await claude().extract('call John and email Sam on Sunday', { ...CONTEXT, now: Date.parse('2026-03-07T17:00:00Z'), timezone: 'America/New_York' });
    expect(drafts.map((draft) => draft.due)).toEqual(['2026-03-08T09:00:00-04:00', '2026-03-08T09:00:00-04:00']);
  });

  it('assigns known people only: by id or by name; "me" is nobody; an unknown name goes back into the title', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, {
      tasks: [
        { title: 'review the contract', assignee: 'u-priya' },
        { title: 'book the venue', assignee: 'priya' },
        { title: 'call John', assignee: 'me' },
        { title: 'review the PR', assignee: 'Bob' },
        { title: 'Ask Bob to update the site', assignee: 'Bob' },
        { title: 'call the printer', assignee: 'Sam' },
        { title: 'water the plants', assignee: 'u-unknown-42' },
      ],
    });
    const drafts = await claude().extract('a long voice note with many tasks in it', CONTEXT);
    expect(drafts.map((draft) => [draft.title, draft.assignee?.personId])).toEqual([
      ['review the contract', 'u-priya'],
      ['book the venue', 'u-priya'],
      ['call John', undefined],
      ['Ask Bob to review the PR', undefined],
      ['Ask Bob to update the site', undefined],
      ['Ask Sam to call the printer', undefined],
      ['water the plants', undefined],
    ]);
    expect(drafts[0]!.assignee).toEqual({ personId: 'u-priya', name: 'Priya Shah' });
    // No clause of the message shares the titles' words: each draft points at the whole message.
    expect(new Set(drafts.map((draft) => draft.sourceText))).toEqual(new Set(['a long voice note with many tasks in it']));
  });

  it('keeps known contacts (by id or exact name) and drops the rest; accepts null for "not stated"', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, {
      tasks: [
        { title: 'send Jane the deck', due: null, assignee: null, contacts: ['Jane Doe', 'c-invented', 'c-jane'] },
        { title: 'call someone', contacts: ['c-nobody'] },
        { title: 'check the date', due: 'when the moon is blue' },
      ],
    });
    const debug = vi.fn();
    const drafts = await claude({ logger: { warn: vi.fn(), debug } }).extract('send Jane the deck, call someone and check the date', CONTEXT);
    expect(drafts).toEqual([
      { title: 'send Jane the deck', contactIds: ['c-jane'], sourceText: 'send Jane the deck' },
      { title: 'call someone', sourceText: 'call someone' },
      { title: 'check the date', sourceText: 'check the date' },
    ]);
    expect(debug).toHaveBeenCalledWith({ dropped: ['tasks.0.contacts', 'tasks.1.contacts', 'tasks.2.due'] }, expect.any(String));
    expect(JSON.stringify(debug.mock.calls)).not.toContain('moon');
  });

  it('returns no drafts when Claude finds no task', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, { tasks: [] });
    expect(await claude().extract('okay so the meeting went well', CONTEXT)).toEqual([]);
  });

  it('sends one forced tool, the moment, the zone, the people and contacts, and redacts the text', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, { tasks: [] });
    await claude().extract(`call John, the token is ${SECRET}, and text +44 7911 123456`, CONTEXT);
    expect(fake.requests).toHaveLength(1);
    const { body, headers } = fake.requests[0]!;
    expect(body.tools!.map((tool) => tool.name)).toEqual(['create_tasks']);
    expect(body.tools![0]!.input_schema).toMatchObject({ type: 'object', properties: { tasks: { type: 'array' } } });
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'create_tasks', disable_parallel_tool_use: true });
    expect(body.messages).toEqual([{ role: 'user', content: 'call John, the token is [redacted], and text +********3456' }]);
    const system = String(body.system);
    expect(system).toContain('2026-11-18T10:00:00+00:00 (Wednesday)');
    expect(system).toContain('Europe/London');
    expect(system).toContain('- u-priya: Priya Shah');
    expect(system).toContain('- c-jane: Jane Doe, Acme Ltd');
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(body).not.toHaveProperty('temperature');
    expect(headers['anthropic-version']).toBe('2026-10-21');
  });

  it('sends nothing for blank text', async () => {
    expect(await claude().extract('  \n\u0000 ', CONTEXT)).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('ClaudeTaskExtractor: answers it cannot use throw typed errors', () => {
  it.each([
    ['a string', 'call John'],
    ['an array', [{ title: 'call John' }]],
    ['null', null],
    ['no tasks key', { title: 'call John' }],
    ['tasks that are not a list', { tasks: 'call John' }],
    ['a task without a title', { tasks: [{ due: 'tomorrow' }] }],
    ['a title of the wrong type', { tasks: [{ title: 42 }] }],
    ['an empty title', { tasks: [{ title: '   ' }] }],
    ['contacts that are not a list', { tasks: [{ title: 'call John', contacts: 'c-john' }] }],
    ['too many tasks', { tasks: Array.from({ length: 21 }, (_, i) => ({ title: `task ${i}` })) }],
  ])('refuses tool input that is %s', async (_label, input) => {
    fake.malformedToolInput(CREATE_TASKS_TOOL_NAME, input);
    const error = await failure(claude().extract(VOICE_NOTE, CONTEXT));
    expect(error).toBeInstanceOf(ClaudeOutputError);
    expect(error).toMatchObject({ code: 'claude_output_invalid', problem: 'invalid_tool_input' });
  });

  it('refuses a text-only answer, a refusal and another tool', async () => {
    fake.textOnly('Sure! I have created two tasks for you.').refusal().toolUse('deploy_create', { app: 'soarix-web' });
    const extractor = claude();
    expect(await failure(extractor.extract(VOICE_NOTE, CONTEXT))).toMatchObject({ code: 'claude_output_invalid', problem: 'no_tool_call' });
    expect(await failure(extractor.extract(VOICE_NOTE, CONTEXT))).toMatchObject({ problem: 'refusal' });
    expect(await failure(extractor.extract(VOICE_NOTE, CONTEXT))).toMatchObject({ problem: 'unknown_tool', detail: 'deploy_create' });
  });

  it('retries one 500, and fails with the status when they persist', async () => {
    fake.serverError().toolUse(CREATE_TASKS_TOOL_NAME, { tasks: [{ title: 'call John' }] });
    expect(await claude().extract('call John', CONTEXT)).toEqual([{ title: 'call John', sourceText: 'call John' }]);
    fake.serverError().times(2);
    const error = await failure(claude({ maxRetries: 1 }).extract('call John', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeHttpError);
    expect(error).toMatchObject({ code: 'claude_http_error', httpStatus: 500, errorType: 'api_error' });
    expect(fake.requests).toHaveLength(4);
  });

  it('fails with claude_timeout when Claude hangs past the timeout', async () => {
    fake.hang(3_000);
    const started = Date.now();
    const error = await failure(claude({ timeoutMs: 300, maxRetries: 0 }).extract('call John', CONTEXT));
    expect(error).toBeInstanceOf(ClaudeTimeoutError);
    expect(error).toMatchObject({ code: 'claude_timeout', kind: 'attempt' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails with claude_timeout at its own deadline', async () => {
    fake.rateLimited(30);
    const error = await failure(claude({ deadlineMs: 400 }).extract('call John', CONTEXT));
    expect(error).toMatchObject({ code: 'claude_timeout', kind: 'deadline' });
  });

  it('fails with 401 for a wrong key', async () => {
    const error = await failure(claude({ apiKey: 'sk-ant-api03-not-the-right-key' }).extract('call John', CONTEXT));
    expect(error).toMatchObject({ code: 'claude_http_error', httpStatus: 401 });
  });
});

describe('FallbackTaskExtractor', () => {
  const offline = new OfflineTaskExtractor();
  const OFFLINE_RESULT = [
    { title: 'call John', due: '2026-11-19T17:00:00+00:00', contactIds: ['c-john'], sourceText: 'remind me to call John tomorrow at five' },
    { title: 'send Acme the proposal', due: '2026-11-20T09:00:00+00:00', contactIds: ['c-jane'], sourceText: 'send Acme the proposal by Friday' },
  ];

  it('answers with Claude when Claude answers', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, { tasks: [{ title: 'call John about the proposal' }] });
    const spy = vi.spyOn(offline, 'extract');
    const extractor = new FallbackTaskExtractor(claude(), offline);
    expect((await extractor.extract(VOICE_NOTE, CONTEXT)).map((draft) => draft.title)).toEqual(['call John about the proposal']);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("gives Claude's bound, which is none: a model may read one clause as two tasks", () => {
    expect((claude() as TaskExtractor).mayHoldSeveral).toBeUndefined();
    expect(new FallbackTaskExtractor(claude(), offline).mayHoldSeveral('remind me to call John tomorrow', CONTEXT)).toBe(true);
    expect(new FallbackTaskExtractor(offline, offline).mayHoldSeveral('remind me to call John tomorrow', CONTEXT)).toBe(false);
  });

  it('keeps an empty answer from Claude (no tasks is an answer)', async () => {
    fake.toolUse(CREATE_TASKS_TOOL_NAME, { tasks: [] });
    expect(await new FallbackTaskExtractor(claude(), offline).extract('okay so the meeting went well', CONTEXT)).toEqual([]);
  });

  it.each<[string, (fake: AnthropicFake) => void, string]>([
    ['malformed tool input', (f) => f.malformedToolInput(CREATE_TASKS_TOOL_NAME, { tasks: 'call John' }), 'claude_output_invalid'],
    ['a text-only answer', (f) => f.textOnly('Done!'), 'claude_output_invalid'],
    ['500s', (f) => f.serverError().times(2), 'claude_http_error'],
    ['a timeout', (f) => f.hang(3_000).hang(3_000), 'claude_timeout'],
  ])('falls back to the offline result on %s', async (_label, script, code) => {
    script(fake);
    const warn = vi.fn();
    const extractor = new FallbackTaskExtractor(claude({ timeoutMs: 300 }), offline, { logger: { warn, debug: vi.fn() } });
    expect(await extractor.extract(VOICE_NOTE, CONTEXT)).toEqual(OFFLINE_RESULT);
    expect(warn).toHaveBeenCalledWith({ code }, expect.any(String));
    expect(JSON.stringify(warn.mock.calls)).not.toContain('John');
  });

  it('falls back on any failure of the primary, typed or not', async () => {
    const broken: TaskExtractor = { extract: () => Promise.reject(new Error('boom')) };
    expect(await new FallbackTaskExtractor(broken, offline).extract(VOICE_NOTE, CONTEXT)).toEqual(OFFLINE_RESULT);
  });
});
