import type { KnownPerson } from './task-extractor.js';

/** How a name said in a message matches the team. */
export type PersonMatch =
  | { kind: 'known'; person: KnownPerson }
  /** Several people answer to the name ("Sam" with Sam Lee and Sam Patel): nobody is assigned. */
  | { kind: 'ambiguous'; candidates: KnownPerson[] }
  | { kind: 'unknown' };

/** Words that mean the sender: the caller assigns such a task to them. */
const SELF = /^(?:me|myself|i|self|sender|the\s+sender|user|the\s+user)$/iu;

/** True for "me", "myself", "I": the task is the sender's own. */
export function isSelf(name: string): boolean {
  return SELF.test(name.trim());
}

/**
 * The team member a name means: a case- and accent-insensitive match of the full name, of the first
 * name, or of the id (for "@priya" mentions). A full-name match wins over first names; two or more
 * people with the matching name make it ambiguous.
 *
 * @example
 * matchPerson('priya', [{ id: 'u1', name: 'Priya Shah' }]) // → { kind: 'known', person: { id: 'u1', name: 'Priya Shah' } }
 * matchPerson('Sam', [{ id: 'u2', name: 'Sam Lee' }, { id: 'u3', name: 'Sam Patel' }]) // → { kind: 'ambiguous', … }
 */
export function matchPerson(name: string, people: readonly KnownPerson[]): PersonMatch {
  const said = foldName(name.replace(/^@/, ''));
  if (said === '' || people.length === 0) return { kind: 'unknown' };
  const exact = people.filter((person) => foldName(person.name) === said || foldName(person.id) === said);
  if (exact.length > 0) return fromCandidates(exact);
  if (!said.includes(' ')) {
    const byFirstName = people.filter((person) => foldName(person.name).split(' ')[0] === said);
    if (byFirstName.length > 0) return fromCandidates(byFirstName);
  }
  return { kind: 'unknown' };
}

function fromCandidates(candidates: KnownPerson[]): PersonMatch {
  const unique = [...new Map(candidates.map((person) => [person.id, person])).values()];
  return unique.length === 1 ? { kind: 'known', person: unique[0]! } : { kind: 'ambiguous', candidates: unique };
}

/** Lower case, accents and punctuation gone, single spaces: "Zoë  O'Neil" → "zoe oneil". */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’.]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
