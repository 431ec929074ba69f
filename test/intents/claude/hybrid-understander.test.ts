import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../core/index.js';
import {
  askClaudeReason,
  ClaudeUnderstander,
  HybridUnderstander,
  looksMultiIntent,
  shouldAskClaude,
  type ClaudePolicy,
  type UnderstandingLogger,
} from '../../../intents/claude/index.js';
import type { Understander, Understanding, UnderstandContext } from '../../../intents/understander.js';
import { AnthropicFake } from '../../support/fakes/anthropic/index.js';

const POLICY: ClaudePolicy = { claudeBelowConfidence: 0.7, claudeAboveChars: 160 };
const CONTEXT: UnderstandContext = { now: Date.parse('2026-10-24T22:30:00Z'), timezone: 'Europe/London', apps: ['soarix-web'] };
const SECRET = 'xoxb-slack-bot-token-0123456789';

function understanding(confidence: number, overrides: Partial<Understanding> = {}): Understanding {
  return { intent: 'task.list', confidence, slots: {}, source: 'offline', alternatives: [], ...overrides };
}

/** An offline understander that always answers the same. */
function stubOffline(answer: Understanding): Understander & { calls: number } {
  const stub = {
    calls: 0,
    async understand() {
      stub.calls++;
      return answer;
    },
  };
  return stub;
}

function recordingLogger(): UnderstandingLogger & { warnings: unknown[][]; debugs: unknown[][] } {
  const warnings: unknown[][] = [];
  const debugs: unknown[][] = [];
  return {
    warnings,
    debugs,
    warn: (...args) => void warnings.push(args),
    debug: (...args) => void debugs.push(args),
  };
}

// --- the policy ---

describe('askClaudeReason / shouldAskClaude', () => {
  it('asks when the offline classifier is unsure', () => {
    expect(askClaudeReason('what are my tasks', understanding(0.5), POLICY)).toBe('low_confidence');
    expect(askClaudeReason('what are my tasks', understanding(Number.NaN), POLICY)).toBe('low_confidence');
  });

  it('does not ask at or above the confidence threshold for short single requests', () => {
    expect(askClaudeReason('what are my tasks', understanding(0.7), POLICY)).toBeUndefined();
    expect(shouldAskClaude('deploy soarix-web to prod', understanding(0.95), POLICY)).toBe(false);
  });

  it('asks for text longer than the limit, not for text exactly at it', () => {
    expect(askClaudeReason('a'.repeat(161), understanding(0.99), POLICY)).toBe('long_text');
    expect(askClaudeReason('a'.repeat(160), understanding(0.99), POLICY)).toBeUndefined();
  });

  it('asks when the text looks like several requests', () => {
    expect(askClaudeReason('build acme-shop and then deploy it to staging', understanding(0.99), POLICY)).toBe('multi_intent');
  });

  it('never asks about blank text', () => {
    expect(shouldAskClaude('   ', understanding(0), POLICY)).toBe(false);
  });

  it('prefers the first reason that applies', () => {
    expect(askClaudeReason('build it and deploy it '.repeat(10), understanding(0.1), POLICY)).toBe('low_confidence');
    expect(askClaudeReason('build it and deploy it '.repeat(10), understanding(0.9), POLICY)).toBe('long_text');
  });
});

describe('looksMultiIntent', () => {
  it.each([
    'remind me to call John tomorrow at five and send Acme the proposal by Friday',
    'build acme-shop; deploy it to staging',
    'Deploy soarix-web to prod. Then add a note to the Acme deal.',
    'register acme.co.uk, then point it at acme-shop',
    'check if soarix.ai is free\nand buy it for 2 years',
    'roll back acme-shop and also notify me when builds fail',
  ])('sees several requests in %j', (text) => {
    expect(looksMultiIntent(text)).toBe(true);
  });

  it.each([
    'deploy acme-shop to staging and production',
    'hi! can you deploy soarix-web to prod?',
    'add a TXT record and an MX record on acme.co.uk',
    'remind me to call John tomorrow',
    'what is the status of shop.acme.co.uk',
    'salt and pepper',
    '',
  ])('sees one request in %j', (text) => {
    expect(looksMultiIntent(text)).toBe(false);
  });
});

// --- the hybrid understander ---

describe('HybridUnderstander', () => {
  let fake: AnthropicFake;

  beforeEach(async () => {
    fake = await new AnthropicFake().start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  function claudeOnFake(overrides: Partial<ConstructorParameters<typeof ClaudeUnderstander>[0]> = {}) {
    return new ClaudeUnderstander({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      model: 'claude-sonnet-5-5',
      timeoutMs: 300,
      maxRetries: 0,
      secrets: [SECRET],
      ...overrides,
    });
  }

  const UNSURE = understanding(0.3, { intent: 'knowledge.ask', slots: { query: 'offline query' } });

  it('returns the offline understanding when Claude is not configured', async () => {
    const offline = stubOffline(UNSURE);
    const hybrid = new HybridUnderstander({ offline, ...POLICY });
    expect(await hybrid.understand('what now?', CONTEXT)).toBe(UNSURE);
    expect(offline.calls).toBe(1);
  });

  it('does not call Claude for a confident, short, single request', async () => {
    fake.toolUse('deploy_create', { app: 'soarix-web', env: 'production' });
    const sure = understanding(0.95, { intent: 'deploy.create' });
    const hybrid = new HybridUnderstander({ offline: stubOffline(sure), claude: claudeOnFake(), ...POLICY });
    expect(await hybrid.understand('deploy soarix-web to prod', CONTEXT)).toBe(sure);
    expect(fake.requests).toHaveLength(0);
    expect(fake.rejected).toHaveLength(0);
  });

  it('uses Claude’s understanding when the offline classifier is unsure', async () => {
    fake.toolUse('deploy_create', { app: 'soarix web', env: 'live' });
    const hybrid = new HybridUnderstander({ offline: stubOffline(UNSURE), claude: claudeOnFake(), ...POLICY });
    expect(await hybrid.understand('get soarix web out there, live', CONTEXT)).toEqual({
      intent: 'deploy.create',
      confidence: 0.9,
      slots: { app: 'soarix-web', env: 'production' },
      source: 'claude',
      alternatives: [],
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('asks Claude about a confident offline answer when the text looks like several requests', async () => {
    fake.toolUse('build_start', { app: 'soarix-web' });
    const sure = understanding(0.95, { intent: 'deploy.create' });
    const hybrid = new HybridUnderstander({ offline: stubOffline(sure), claude: claudeOnFake(), ...POLICY });
    expect((await hybrid.understand('build soarix-web and then deploy it', CONTEXT)).intent).toBe('build.start');
  });

  const FAILURES: Array<[string, (fake: AnthropicFake) => void, Partial<ConstructorParameters<typeof ClaudeUnderstander>[0]>, string]> = [
    ['rate limited', (f) => void f.rateLimited(0), {}, 'claude_http_error'],
    ['server error', (f) => void f.serverError(), {}, 'claude_http_error'],
    ['overloaded', (f) => void f.overloaded(), {}, 'claude_http_error'],
    ['hanging', (f) => void f.hang(3_000), {}, 'claude_timeout'],
    ['long retry-after past the deadline', (f) => void f.rateLimited(30), { maxRetries: 2, deadlineMs: 300 }, 'claude_timeout'],
    ['malformed tool input', (f) => void f.malformedToolInput('deploy_create', 'soarix-web'), {}, 'claude_output_invalid'],
    ['text only', (f) => void f.textOnly('Deploying now!'), {}, 'claude_output_invalid'],
    ['an unknown tool', (f) => void f.toolUse('rm_rf', {}), {}, 'claude_output_invalid'],
    ['a wrong API key', (f) => void f.toolUse('task_list', {}), { apiKey: 'sk-ant-api03-wrong-key-000000' }, 'claude_http_error'],
  ];

  it.each(FAILURES)('falls back to the offline understanding when Claude fails: %s', async (_label, script, options, code) => {
    script(fake);
    const logger = recordingLogger();
    const text = `what does the client want? my token is ${SECRET}`;
    const hybrid = new HybridUnderstander({ offline: stubOffline(UNSURE), claude: claudeOnFake(options), ...POLICY, logger });

    expect(await hybrid.understand(text, CONTEXT)).toBe(UNSURE);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]![0]).toMatchObject({ code, reason: 'low_confidence', offlineIntent: 'knowledge.ask' });
    const logged = JSON.stringify(logger.warnings);
    expect(logged).not.toContain('what does the client want');
    expect(logged).not.toContain(SECRET);
  });

  it('falls back when Claude cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const logger = recordingLogger();
    const hybrid = new HybridUnderstander({
      offline: stubOffline(UNSURE),
      claude: claudeOnFake({ baseUrl: `http://127.0.0.1:${port}` }),
      ...POLICY,
      logger,
    });
    expect(await hybrid.understand('what now?', CONTEXT)).toBe(UNSURE);
    expect(logger.warnings[0]![0]).toMatchObject({ code: 'claude_unreachable' });
  });

  it('falls back even when the Claude understander throws something unexpected', async () => {
    const broken: Understander = { understand: vi.fn().mockRejectedValue(new TypeError('bug')) };
    const logger = recordingLogger();
    const hybrid = new HybridUnderstander({ offline: stubOffline(UNSURE), claude: broken, ...POLICY, logger });
    expect(await hybrid.understand('what now?', CONTEXT)).toBe(UNSURE);
    expect(logger.warnings[0]![0]).toMatchObject({ code: 'unexpected' });
  });

  it('keeps the HTTP status in the warning', async () => {
    fake.serverError();
    const logger = recordingLogger();
    const hybrid = new HybridUnderstander({ offline: stubOffline(UNSURE), claude: claudeOnFake(), ...POLICY, logger });
    await hybrid.understand('what now?', CONTEXT);
    expect(logger.warnings[0]![0]).toMatchObject({ code: 'claude_http_error', httpStatus: 500 });
  });

  it('takes the service’s pino logger', async () => {
    const hybrid = new HybridUnderstander({ offline: stubOffline(UNSURE), ...POLICY, logger: silentLogger() });
    expect(await hybrid.understand('what now?', CONTEXT)).toBe(UNSURE);
  });
});
