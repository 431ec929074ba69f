import { z } from 'zod';
import { STAFF_ROLES } from '../../core/index.js';
import type { KnowledgeBase } from '../../knowledge/index.js';
import type { ToolAction } from '../tool-action.js';

export const AskKnowledgeParamsSchema = z.object({ query: z.string().trim().min(1).max(1_000) });
export type AskKnowledgeParams = z.infer<typeof AskKnowledgeParamsSchema>;

/** What staff hear when the documents do not answer: where it looked (a client is offered a person instead). */
export function notInDocuments(files: readonly string[]): string {
  return files.length > 0
    ? `I couldn't find that in our documents (${files.join(', ')}). Adding it to one of them answers it next time.`
    : "I couldn't find that: there are no documents in the knowledge base yet.";
}

/**
 * `knowledge.ask`: a question answered from the agency's documents (knowledge/). Safe, read-only, for
 * clients and staff alike ("what's our refund policy?"). The reply is plain text with a Source line;
 * when the documents do not answer, a client is offered a person and the result says so in its data
 * (`{ answered: false, offerPerson: true }`) for the hand-off to act on.
 */
export function askKnowledgeAction(deps: { knowledge: Pick<KnowledgeBase, 'answer' | 'index'> }): ToolAction<AskKnowledgeParams> {
  return {
    name: 'knowledge.ask',
    intent: 'knowledge.ask',
    input: AskKnowledgeParamsSchema,
    async prepare(slots, ctx) {
      // The understanding keeps the whole question as the query; a message it could not read a query from is the question itself.
      const query = (slots.query ?? ctx.text).trim();
      if (query === '') return { ok: false, question: 'What would you like to know?', slot: 'query' };
      if (query.length > 1_000) return { ok: false, refusal: 'That question is too long for me: please ask it in fewer words (up to 1,000 characters).' };
      return { ok: true, params: { query } };
    },
    risk: () => 'safe',
    plan: (p) => `Look up "${p.query}" in our documents.`,
    phrase: () => ({ verb: 'ask', target: 'knowledge', qualifier: 'question' }),
    async execute(params, ctx) {
      const answer = await deps.knowledge.answer(params.query);
      const staff = STAFF_ROLES.includes(ctx.actor.role);
      const offerPerson = answer.offerPerson && !staff;
      const summary = answer.answered || !staff ? answer.text : notInDocuments(deps.knowledge.index.files);
      return {
        summary,
        data: { answered: answer.answered, offerPerson, via: answer.via, sources: answer.cited.map((s) => s.id) },
      };
    },
  };
}
