import { stemmer } from 'stemmer';
import type { RecordFacts, RecordQuery } from './record-source.js';
import { words } from './read-description.js';

/** The stem of a word as the resolver compares them: "calling" and "calls" → "call". */
export function stem(word: string): string {
  return stemmer(word.toLowerCase());
}

/**
 * Whether a record fits every part of a query, in memory. The sources query by the same rules in
 * SQL; this is the check the resolver trusts (and the only one for the options of a question).
 * A word matches a word of the record's text (or organisation) with the same stem, or one it
 * begins ("land" finds "landing page" when typed short).
 */
export function matchesQuery(facts: RecordFacts, query: Omit<RecordQuery, 'limit' | 'newestFirst'>): boolean {
  if (query.number !== undefined && facts.number !== query.number) return false;
  if (query.ownerIds.length && !facts.ownerIds.some((id) => query.ownerIds.includes(id))) return false;
  if (query.organisation && !(facts.organisation ?? '').toLowerCase().includes(query.organisation)) return false;
  if (query.createdFrom !== undefined && facts.createdAt < query.createdFrom) return false;
  if (query.createdBefore !== undefined && facts.createdAt >= query.createdBefore) return false;
  if (!query.words.length) return true;
  const own = words(`${facts.text} ${facts.organisation ?? ''}`);
  const stems = new Set(own.map(stem));
  return query.words.every((word) => stems.has(stem(word)) || (word.length >= 4 && own.some((w) => w.startsWith(word))));
}
