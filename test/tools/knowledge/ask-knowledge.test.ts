import { describe, expect, it } from 'vitest';
import type { Role } from '../../../core/index.js';
import { DO_NOT_KNOW, KnowledgeBase, SAMPLE_KNOWLEDGE_DIR } from '../../../knowledge/index.js';
import { askKnowledgeAction } from '../../../tools/knowledge/index.js';
import type { ToolContext } from '../../../tools/tool-action.js';

const action = askKnowledgeAction({ knowledge: new KnowledgeBase({ dir: SAMPLE_KNOWLEDGE_DIR }) });

function context(role: Role, text = ''): ToolContext {
  return {
    actor: { id: `p-${role}`, displayName: 'Lisa', role, timezone: null, preferredChannel: null, createdAt: 0 },
    conversationId: 'c1',
    now: Date.parse('2026-12-05T10:00:00Z'),
    timezone: 'UTC',
    text,
  };
}

const run = async (role: Role, query: string) => {
  const prepared = await action.prepare({ query }, context(role, query));
  if (!prepared.ok) throw new Error('not prepared');
  return action.execute(prepared.params, { ...context(role), idempotencyKey: 'message:1' });
};

describe('knowledge.ask', () => {
  it('is safe and reads the whole message when the understanding left no query', async () => {
    expect(action.risk({ query: 'x' })).toBe('safe');
    expect(await action.prepare({}, context('client', 'do you do hosting?'))).toEqual({ ok: true, params: { query: 'do you do hosting?' } });
    expect(await action.prepare({}, context('client', '   '))).toEqual({ ok: false, question: 'What would you like to know?', slot: 'query' });
    const tooLong = await action.prepare({ query: 'why '.repeat(300) }, context('client'));
    expect(tooLong).toMatchObject({ ok: false, refusal: expect.stringContaining('too long') });
  });

  it("answers staff and clients alike from the documents, with the source (\"what's our refund policy?\")", async () => {
    for (const role of ['owner', 'sales', 'client'] as const) {
      const result = await run(role, "what's our refund policy?");
      expect(result.summary).toMatch(/^The deposit secures your slot[\s\S]*\nSource: policies\.md › Refund policy$/);
      expect(result.data).toEqual({ answered: true, offerPerson: false, via: 'quote', sources: ['policies.md#refund-policy'] });
    }
  });

  it('offers a client a person when the documents do not answer, with the flag the hand-off acts on', async () => {
    const result = await run('client', 'what insurance do you have');
    expect(result.summary).toBe(DO_NOT_KNOW);
    expect(result.data).toMatchObject({ answered: false, offerPerson: true });
  });

  it('tells staff which documents it searched instead of offering them a colleague', async () => {
    const result = await run('developer', 'what insurance do you have');
    expect(result.summary).toBe(
      "I couldn't find that in our documents (faq.md, policies.md, prices.md, services.md). Adding it to one of them answers it next time.",
    );
    expect(result.data).toMatchObject({ answered: false, offerPerson: false });
  });
});
