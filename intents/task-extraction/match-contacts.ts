import { isCompanySuffix, isNotNameWord } from '../slots/index.js';
import { foldName } from './match-person.js';
import type { KnownContact } from './task-extractor.js';

/** Longest name or company, in words, looked for. */
const MAX_NAME_WORDS = 5;

/**
 * The CRM contacts a text names, built once per message and asked once per task.
 *
 * A contact is linked when the text says:
 * - their full name ("Jane Doe"), in any case;
 * - their first name ("call John"), capitalised, when no other contact has that first name;
 * - their company ("send Acme the proposal"), when they are the company's only contact. A
 *   single-word company must be capitalised, and legal suffixes are optional ("Acme" for "Acme Ltd").
 * Two contacts with the same name, or a company with several contacts, link nobody: linking the wrong
 * record is worse than linking none.
 */
export class ContactIndex {
  private readonly byFullName = new Map<string, string[]>();
  private readonly byFirstName = new Map<string, string[]>();
  private readonly byCompany = new Map<string, string[]>();

  constructor(contacts: readonly KnownContact[]) {
    for (const contact of contacts) {
      const full = foldName(contact.name);
      if (full === '') continue;
      add(this.byFullName, full, contact.id);
      const words = full.split(' ');
      if (words.length > 1) add(this.byFirstName, words[0]!, contact.id);
      if (contact.company) {
        const company = foldName(contact.company);
        if (company !== '') add(this.byCompany, company, contact.id);
        const core = withoutSuffix(contact.company);
        if (core !== '' && core !== company) add(this.byCompany, core, contact.id);
      }
    }
  }

  get size(): number {
    return this.byFullName.size;
  }

  /** Ids of the contacts `text` names, in the order they are named. */
  find(text: string): string[] {
    if (this.byFullName.size === 0) return [];
    const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’&.-]*/gu)].map((match) => {
      const raw = match[0].replace(/['’]s$/u, '').replace(/[.'’-]+$/u, '');
      return { raw, folded: foldName(raw) };
    });
    const found: string[] = [];
    const covered = new Set<number>();
    // Longest phrases first, so "Jane Doe" is read as Jane Doe and not as a first name.
    for (let length = Math.min(MAX_NAME_WORDS, words.length); length >= 1; length--) {
      for (let start = 0; start + length <= words.length; start++) {
        if (range(start, length).some((index) => covered.has(index))) continue;
        const phrase = words.slice(start, start + length);
        const key = phrase.map((word) => word.folded).join(' ');
        const ids = this.lookup(key, phrase.length === 1 ? phrase[0]!.raw : undefined);
        if (ids === undefined) continue;
        for (const index of range(start, length)) covered.add(index);
        if (ids.length === 1 && !found.includes(ids[0]!)) found.push(ids[0]!);
      }
    }
    return found;
  }

  /**
   * The contacts a phrase names, [] when it names several (ambiguous: a match, but no link), undefined
   * when it names none. `single` is the word as written when the phrase is one word.
   */
  private lookup(key: string, single: string | undefined): string[] | undefined {
    const nameLike = single === undefined || (/^\p{Lu}/u.test(single) && !isNotNameWord(single));
    const full = this.byFullName.get(key);
    if (full && nameLike) return unique(full);
    const company = this.byCompany.get(key);
    if (company && nameLike) return unique(company);
    if (single !== undefined && nameLike) {
      const first = this.byFirstName.get(key);
      if (first) return unique(first);
    }
    return undefined;
  }
}

function add(map: Map<string, string[]>, key: string, id: string): void {
  const ids = map.get(key);
  if (ids) ids.push(id);
  else map.set(key, [id]);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function range(start: number, length: number): number[] {
  return Array.from({ length }, (_, offset) => start + offset);
}

/** "Acme Ltd" → "acme"; "Smith & Sons Ltd" → "smith sons". */
function withoutSuffix(company: string): string {
  const words = company.trim().split(/\s+/u);
  while (words.length > 1 && isCompanySuffix(words[words.length - 1]!.replace(/,$/u, ''))) words.pop();
  return foldName(words.join(' '));
}
