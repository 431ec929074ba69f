import path from 'node:path';

/** The sample documents shipped in the repository (knowledge/sample): what `KNOWLEDGE_DIR` defaults to. */
export const SAMPLE_KNOWLEDGE_DIR = path.join(import.meta.dirname, 'sample');
