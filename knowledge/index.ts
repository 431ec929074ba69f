// The knowledge base: the agency's Markdown documents, searched by section (BM25) and answered from,
// offline by quoting or by Claude from the retrieved passages with checked citations. Most used first.
export {
  KnowledgeBase,
  DO_NOT_KNOW,
  DEFAULT_MIN_COVERAGE,
  PASSAGES_PER_QUESTION,
  sourceName,
  type KnowledgeAnswer,
  type KnowledgeSource,
  type KnowledgeBaseOptions,
  type KnowledgeLogger,
} from './knowledge-base.js';
export { createKnowledgeBase } from './create-knowledge-base.js';
export { KnowledgeIndex, DEFAULT_TUNING, type Passage, type SearchTuning } from './knowledge-index.js';
export { ClaudeGroundedAnswerer, type GroundedAnswerer, type GroundedDraft } from './grounded-answer.js';
export { checkCitations, type CheckedAnswer } from './check-citations.js';
export { quotePassage, plainText, QUOTE_MAX_CHARS } from './quote.js';
export { splitSections, type Section } from './markdown-sections.js';
export { SAMPLE_KNOWLEDGE_DIR } from './sample-dir.js';
