import { secretsOf, type Config } from '../config/index.js';
import { ClaudeGroundedAnswerer } from './grounded-answer.js';
import { KnowledgeBase, type KnowledgeLogger } from './knowledge-base.js';
import { SAMPLE_KNOWLEDGE_DIR } from './sample-dir.js';

/**
 * The knowledge base the service uses: the documents in `KNOWLEDGE_DIR` (the sample set when unset),
 * answered by Claude from the retrieved passages when `ANTHROPIC_API_KEY` is set, quoted offline otherwise.
 */
export function createKnowledgeBase(config: Config, options: { logger?: KnowledgeLogger } = {}): KnowledgeBase {
  const { logger } = options;
  const grounded = config.anthropic
    ? new ClaudeGroundedAnswerer({ ...config.anthropic, secrets: secretsOf(config), ...(logger ? { logger: { warn: logger.warn.bind(logger), debug: () => {} } } : {}) })
    : undefined;
  return new KnowledgeBase({
    dir: config.knowledge.dir ?? SAMPLE_KNOWLEDGE_DIR,
    minCoverage: config.knowledge.minCoverage,
    grounded,
    ...(logger ? { logger } : {}),
  });
}
