import { checkCitations } from './check-citations.js';
import type { GroundedAnswerer } from './grounded-answer.js';
import { DEFAULT_TUNING, KnowledgeIndex, type Passage, type SearchTuning } from './knowledge-index.js';
import { plainText, quotePassage } from './quote.js';

/**
 * The least coverage (see `Passage.coverage`) at which the best passage is taken to answer a question.
 * Calibrated on the labelled questions of test/knowledge/fixtures/questions.json (bench/knowledge.ts
 * prints precision and recall at every threshold).
 */
export const DEFAULT_MIN_COVERAGE = 0.25;
/** Passages retrieved per question (and given to Claude). */
export const PASSAGES_PER_QUESTION = 4;

/** The sentence said when the documents do not answer: it offers a person (the hand-off acts on `offerPerson`). */
export const DO_NOT_KNOW = "I don't know that from our documents, sorry. I can ask someone from the team to get back to you.";

/** Where an answer comes from: a file of the knowledge folder and a heading in it. */
export interface KnowledgeSource {
  /** The section id, `prices.md#website-packages`. */
  id: string;
  file: string;
  heading: string;
}

export interface KnowledgeAnswer {
  /** Ready to send on any channel: plain text, ending with a "Source: prices.md › Website packages" line when answered. */
  text: string;
  /** Where the answer comes from, as the Source line names it: `prices.md › Website packages`. */
  sources: string[];
  /** The same sources with their section ids. */
  cited: KnowledgeSource[];
  /** False when the documents do not answer the question (`text` then says so and offers a person). */
  answered: boolean;
  /** True exactly when not answered: the conversation may hand over to a person. */
  offerPerson: boolean;
  /** `claude`: a grounded answer with checked citations; `quote`: the best passage, quoted; `none`: not answered. */
  via: 'claude' | 'quote' | 'none';
}

/** Warnings about a failed model call; only codes and counts, never the question or the documents. */
export interface KnowledgeLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface KnowledgeBaseOptions {
  /** The folder of Markdown documents (`KNOWLEDGE_DIR`). */
  dir: string;
  /** Writes grounded answers (Claude when configured); without one, answers quote the best passage. */
  grounded?: GroundedAnswerer | undefined;
  minCoverage?: number;
  tuning?: SearchTuning;
  logger?: KnowledgeLogger;
}

/**
 * The agency's documents, answering questions: the service the `knowledge.ask` action and the client
 * conversations call.
 *
 * Offline, an answer quotes the best passage and names its source; when even the best passage covers
 * too little of the question it says it does not know and offers a person. With a grounded answerer
 * (Claude), the retrieved passages are its only material; its citations are checked against them after
 * it answers (a citation of a passage it was not given is removed), and an answer left without a valid
 * citation, or any failure of the model, falls back to the offline answer.
 *
 * @example
 * const kb = new KnowledgeBase({ dir: config.knowledge.dir });
 * const reply = await kb.answer("what's your refund policy?");
 * // → { answered: true, via: 'quote', text: 'The deposit secures …\nSource: policies.md › Refund policy', … }
 */
export class KnowledgeBase {
  readonly index: KnowledgeIndex;
  private readonly grounded: GroundedAnswerer | undefined;
  private readonly minCoverage: number;
  private readonly tuning: SearchTuning;
  private readonly logger: KnowledgeLogger | undefined;

  constructor(options: KnowledgeBaseOptions) {
    this.tuning = options.tuning ?? DEFAULT_TUNING;
    this.index = new KnowledgeIndex(options.dir, this.tuning);
    this.grounded = options.grounded;
    this.minCoverage = options.minCoverage ?? DEFAULT_MIN_COVERAGE;
    this.logger = options.logger;
  }

  /** The best sections for a question, best first, from the documents as they are now (re-indexed if they changed). */
  async search(query: string, limit = PASSAGES_PER_QUESTION): Promise<Passage[]> {
    try {
      await this.index.refresh();
    } catch (error) {
      // A folder that cannot be read right now (permissions, KNOWLEDGE_DIR naming a file): answer from
      // what was indexed last rather than fail the question.
      this.logger?.warn({ code: (error as NodeJS.ErrnoException).code ?? 'unknown' }, 'knowledge: the documents could not be read; answering from the last index');
    }
    return this.index.search(query, limit);
  }

  /** Whether a passage is good enough to answer with on its own (the offline threshold). */
  answers(passage: Passage | undefined): passage is Passage {
    return passage !== undefined && passage.coverage >= this.minCoverage;
  }

  async answer(query: string): Promise<KnowledgeAnswer> {
    const passages = await this.search(query);
    if (passages.length === 0) return notAnswered();
    if (this.grounded) {
      const answer = await this.groundedAnswer(query, passages);
      if (answer) return answer;
    }
    return this.quote(query, passages);
  }

  /** The offline answer: the best passage quoted with its source, or "don't know" below the threshold. */
  private quote(query: string, passages: readonly Passage[]): KnowledgeAnswer {
    const best = passages[0];
    if (!this.answers(best)) return notAnswered();
    return answered(quotePassage(best, query, this.tuning), [best], 'quote');
  }

  /** Claude's answer from these passages, or undefined to fall back to the quote. */
  private async groundedAnswer(query: string, passages: readonly Passage[]): Promise<KnowledgeAnswer | undefined> {
    let draft;
    try {
      draft = await this.grounded!.answer(query, passages);
    } catch (error) {
      this.logger?.warn({ code: (error as { code?: unknown }).code ?? 'unknown' }, 'knowledge: the grounded answer failed; quoting the best passage');
      return undefined;
    }
    if (!draft.found) return notAnswered();
    const checked = checkCitations(draft, passages);
    if (checked.removed.length > 0) {
      this.logger?.warn({ removed: checked.removed.length, kept: checked.cited.length }, 'knowledge: citations of passages that were not given were removed');
    }
    if (checked.cited.length === 0 || checked.text === '') return undefined;
    // Asked for plain text; Markdown that slipped through would read differently on every channel.
    return answered(plainText(checked.text), checked.cited, 'claude');
  }
}

function answered(text: string, passages: readonly Passage[], via: 'claude' | 'quote'): KnowledgeAnswer {
  const cited = passages.map(({ id, file, heading }) => ({ id, file, heading }));
  const sources = cited.map(sourceName);
  return { text: `${text}\n${sources.length > 1 ? 'Sources' : 'Source'}: ${sources.join('; ')}`, sources, cited, answered: true, offerPerson: false, via };
}

function notAnswered(): KnowledgeAnswer {
  return { text: DO_NOT_KNOW, sources: [], cited: [], answered: false, offerPerson: true, via: 'none' };
}

/** "prices.md › Website packages": a source as people read it (the Source line says "Sources: a; b" for several). */
export function sourceName(source: Pick<KnowledgeSource, 'file' | 'heading'>): string {
  return `${source.file} › ${source.heading}`;
}
