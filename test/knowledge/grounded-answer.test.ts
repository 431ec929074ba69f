import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ClaudeGroundedAnswerer,
  createKnowledgeBase,
  DO_NOT_KNOW,
  KnowledgeBase,
  SAMPLE_KNOWLEDGE_DIR,
  type KnowledgeLogger,
} from '../../knowledge/index.js';
import { AnthropicFake, ANTHROPIC_API_VERSIONS } from '../support/fakes/anthropic/index.js';
import { testConfig } from '../support/test-config.js';

// The real @anthropic-ai/sdk against the fake Messages API on 127.0.0.1.

const SECRET = 'xoxb-slack-bot-token-0123456789';
const QUESTION = 'how much is a landing page?';
const LANDING = 'prices.md#landing-page-price';
const OFFLINE = (await new KnowledgeBase({ dir: SAMPLE_KNOWLEDGE_DIR }).answer(QUESTION)).text;

let fake: AnthropicFake;
let dir: string;
let warnings: { details: Record<string, unknown>; message: string }[];

beforeAll(async () => {
  // The sample documents, one of them holding a secret by mistake: it must never reach the model.
  dir = await mkdtemp(path.join(tmpdir(), 'sb-kb-claude-'));
  await cp(SAMPLE_KNOWLEDGE_DIR, dir, { recursive: true });
  await writeFile(path.join(dir, 'landing-extras.md'), `# Landing page extras\n\nA landing page form can post to Slack (bot token ${SECRET}).\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeEach(async () => {
  fake = await new AnthropicFake().start();
  warnings = [];
});
afterEach(() => fake.stop());

const logger: KnowledgeLogger = { warn: (details, message) => warnings.push({ details, message }) };

function knowledgeBase(options: { timeoutMs?: number; maxRetries?: number } = {}): KnowledgeBase {
  const grounded = new ClaudeGroundedAnswerer({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    model: 'claude-sonnet-5-5',
    timeoutMs: options.timeoutMs ?? 2_000,
    maxRetries: options.maxRetries ?? 0,
    secrets: [SECRET],
  });
  return new KnowledgeBase({ dir, grounded, logger });
}

describe('grounded answers with Claude (Anthropic fake)', () => {
  it('answers from the passages it was given, citing them by id, with a Source line', async () => {
    fake.toolUse('answer_from_passages', {
      found: true,
      answer: 'A landing page is £1,200, or £1,800 with A/B test variants [prices.md#landing-page-price].',
      citations: [LANDING],
    });
    const answer = await knowledgeBase().answer(QUESTION);
    expect(answer).toMatchObject({ answered: true, offerPerson: false, via: 'claude', sources: ['prices.md › Landing page price'] });
    expect(answer.text).toBe('A landing page is £1,200, or £1,800 with A/B test variants.\nSource: prices.md › Landing page price');

    // What the fake received: the key, a real API version, the model, one user message with the passages and the question.
    expect(fake.rejected).toEqual([]);
    const [request] = fake.requests;
    const { headers, body } = request!;
    expect(headers['x-api-key'] === fake.apiKey || headers.authorization === `Bearer ${fake.apiKey}`).toBe(true);
    expect(ANTHROPIC_API_VERSIONS).toContain(headers['anthropic-version']);
    expect(body.model).toBe('claude-sonnet-5-5');
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer_from_passages' });
    expect(body.messages).toHaveLength(1);
    const sent = body.messages[0]!.content as string;
    expect(sent).toContain(`<passage id="${LANDING}" source="prices.md › Landing page price">`);
    expect(sent).toContain(`<question>\n${QUESTION}\n</question>`);
    // The passage holding a secret was retrieved and sent, redacted.
    expect(sent).toContain('landing-extras.md#landing-page-extras');
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(sent).toContain('bot token [redacted]');
  });

  it("takes Markdown out of the model's answer, as out of a quote", async () => {
    fake.toolUse('answer_from_passages', { found: true, answer: 'A landing page is **£1,200** ([prices](https://soarix.studio/prices)).', citations: [LANDING] });
    expect((await knowledgeBase().answer(QUESTION)).text).toBe('A landing page is £1,200 (prices (https://soarix.studio/prices)).\nSource: prices.md › Landing page price');
  });

  it('removes a citation of a passage it was not given, and keeps the valid ones', async () => {
    const given = (await knowledgeBase().search(QUESTION)).map((p) => p.id);
    expect(given).not.toContain('policies.md#refund-policy');
    fake.toolUse('answer_from_passages', {
      found: true,
      answer: 'A landing page costs £1,200, and the deposit is refundable.',
      citations: [LANDING, 'policies.md#refund-policy', 'pricing.md#secret-discounts', LANDING],
    });
    const answer = await knowledgeBase().answer(QUESTION);
    expect(answer).toMatchObject({ via: 'claude', sources: ['prices.md › Landing page price'], cited: [{ id: LANDING, file: 'prices.md', heading: 'Landing page price' }] });
    expect(warnings).toEqual([{ details: { removed: 2, kept: 1 }, message: expect.stringContaining('not given were removed') }]);
  });

  it('falls back to the offline quote when no valid citation is left', async () => {
    fake.toolUse('answer_from_passages', { found: true, answer: 'Everything is free this month.', citations: ['policies.md#refund-policy', 'made-up.md#offers'] });
    const answer = await knowledgeBase().answer(QUESTION);
    expect(answer).toMatchObject({ via: 'quote', answered: true, text: OFFLINE });
    expect(answer.text).not.toContain('free this month');
  });

  it('falls back to the offline quote when the answer cites nothing at all', async () => {
    fake.toolUse('answer_from_passages', { found: true, answer: 'About £1,200.', citations: [] });
    expect(await knowledgeBase().answer(QUESTION)).toMatchObject({ via: 'quote', text: OFFLINE });
  });

  it('says it does not know, and offers a person, when the passages do not answer', async () => {
    fake.toolUse('answer_from_passages', { found: false, answer: 'The documents do not say.', citations: [] });
    expect(await knowledgeBase().answer('do you offer a free trial')).toMatchObject({ answered: false, offerPerson: true, text: DO_NOT_KNOW });
  });

  it('does not call the model when no document shares a word with the question', async () => {
    expect(await knowledgeBase().answer('what is the wifi password')).toMatchObject({ answered: false, offerPerson: true });
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['an HTTP error', (f: AnthropicFake) => f.serverError(), 'claude_http_error'],
    ['a timeout', (f: AnthropicFake) => f.hang(1_000), 'claude_timeout'],
    ['a text answer with no tool call', (f: AnthropicFake) => f.textOnly('A landing page is free.'), 'claude_output_invalid'],
    ['a malformed tool input', (f: AnthropicFake) => f.malformedToolInput('answer_from_passages', { found: 'yes', answer: 1, citations: 'all' }), 'claude_output_invalid'],
  ])('falls back to the offline quote after %s', async (_, script, code) => {
    script(fake);
    const answer = await knowledgeBase({ timeoutMs: 300 }).answer(QUESTION);
    expect(answer).toMatchObject({ via: 'quote', answered: true, text: OFFLINE });
    expect(warnings).toEqual([{ details: { code }, message: expect.stringContaining('quoting the best passage') }]);
  });
});

describe('createKnowledgeBase: Claude when configured', () => {
  it('answers through ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY, and offline without them', async () => {
    fake.toolUse('answer_from_passages', { found: true, answer: 'We do, from £49 a month.', citations: ['faq.md#do-you-do-hosting'] });
    const withClaude = createKnowledgeBase(testConfig({ ANTHROPIC_API_KEY: fake.apiKey, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MAX_RETRIES: '0' }));
    expect(await withClaude.answer('do you do hosting?')).toMatchObject({ via: 'claude', text: 'We do, from £49 a month.\nSource: faq.md › Do you do hosting?' });
    expect(fake.requests).toHaveLength(1);

    const offline = createKnowledgeBase(testConfig({ KNOWLEDGE_DIR: dir }));
    expect(await offline.answer('do you do hosting?')).toMatchObject({ via: 'quote' });
    expect(offline.index.dir).toBe(dir);
  });
});
