import { describe, expect, it } from 'vitest';
import { ClaudeUnderstander, HybridUnderstander } from '../../intents/claude/index.js';
import { OfflineUnderstander } from '../../intents/index.js';
import { AnthropicFake } from '../support/fakes/anthropic/index.js';
import { describeUnderstanderContract, expectValid } from './understander.contract.js';

// Each implementation of the Understander port joins the contract in a few lines. Claude runs the real
// SDK against the local Anthropic fake, which answers like a model on a bad day: good and bad tool calls,
// unknown tools, junk slots, plain text, server errors.

let offline: OfflineUnderstander | undefined;
const trained = () => (offline ??= OfflineUnderstander.train());

async function adversarialClaude(): Promise<{ claude: ClaudeUnderstander; fake: AnthropicFake }> {
  const fake = await new AnthropicFake().start();
  for (let i = 0; i < 40; i++) {
    fake
      .toolUse('deploy_create', { app: 'marketing site', env: 'prod' })
      .toolUse('task_create', { title: 42, due: 'not a date', assignee: { nested: true }, approve: true, confirmed: 'yes' })
      .malformedToolInput('crm_lead_create', 'just a string')
      .toolUse('no_such_tool', { app: 'soarix-web' })
      .textOnly('I think you want to deploy something.')
      .toolUse('out_of_scope', {})
      .toolUse('domain_dns_add', { domain: 'ACME.co.uk', recordType: 'TXT', recordValue: 'x'.repeat(10_000), recordName: '\u0000' })
      .toolUse('crm_deal_update', { stage: 'bribed', company: ['Globex'] })
      .serverError();
  }
  const claude = new ClaudeUnderstander({ apiKey: fake.apiKey, baseUrl: fake.url, model: 'claude-sonnet-5-5', timeoutMs: 2_000, maxRetries: 0, secrets: [] });
  return { claude, fake };
}

describeUnderstanderContract('offline classifier', async () => ({ understander: trained(), mayReject: false, close: async () => {} }));

describeUnderstanderContract('Claude (Anthropic fake)', async () => {
  const { claude, fake } = await adversarialClaude();
  return {
    understander: claude,
    mayReject: true,
    async close() {
      expect(fake.requests.length).toBeGreaterThan(20); // the contract really went through the SDK and the fake
      await fake.stop();
    },
  };
});

describeUnderstanderContract('hybrid: offline, then Claude (Anthropic fake)', async () => {
  const { claude, fake } = await adversarialClaude();
  const understander = new HybridUnderstander({ offline: trained(), claude, claudeBelowConfidence: 0.7, claudeAboveChars: 160 });
  return {
    understander,
    mayReject: false,
    async close() {
      expect(fake.requests.length).toBeGreaterThan(5); // long, multi-request and unclear texts were sent to Claude
      await fake.stop();
    },
  };
});

describe('the Understander contract itself', () => {
  const good = { intent: 'deploy.create', confidence: 0.9, slots: { app: 'soarix-web', env: 'production' }, source: 'offline', alternatives: [{ intent: 'deploy.status', confidence: 0.05 }] } as const;
  it('accepts a good answer and refuses each kind of broken one', () => {
    expect(() => expectValid({ ...good, alternatives: [...good.alternatives] }, 'ok')).not.toThrow();
    const broken: [string, unknown][] = [
      ['an unknown intent', { ...good, intent: 'deploy.everything' }],
      ['a confidence above 1', { ...good, confidence: 1.5 }],
      ['a confidence that is not a number', { ...good, confidence: Number.NaN }],
      ['a slot of another intent', { ...good, slots: { ...good.slots, title: 'x' } }],
      ['a slot of the wrong type', { ...good, slots: { app: 'soarix-web', env: 'moon' } }],
      ['an unknown source', { ...good, source: 'gpt' }],
      ['alternatives out of order', { ...good, alternatives: [{ intent: 'help', confidence: 0.01 }, { intent: 'cancel', confidence: 0.02 }] }],
      ['a value JSON cannot keep', { ...good, slots: { app: 'soarix-web', env: 'production' }, extra: () => 1 }],
    ];
    for (const [what, understanding] of broken) {
      expect(() => expectValid(understanding as never, what), what).toThrow();
    }
  });
});
