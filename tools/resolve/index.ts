// Records found by description, shared by every tool's `prepare`: tasks now, contacts and deals the same way.
export { resolveRecord, recordFromSlot, MAX_CHOICES, type Resolution, type ResolveContext } from './resolve-record.js';
export type { RecordSource, RecordQuery, RecordFacts, PeopleDirectory } from './record-source.js';
export { readDescription, type Description } from './read-description.js';
export { matchesQuery, stem } from './match-record.js';
export { pickByPosition } from './pick-choice.js';
