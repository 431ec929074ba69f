import type { Section } from './markdown-sections.js';
import { questionTerms, type TermOptions } from './search-terms.js';

/** Characters of a quoted passage: a few sentences, readable in one chat bubble on a phone. */
export const QUOTE_MAX_CHARS = 600;

/**
 * The part of a section that answers a question, as plain text every channel shows the same way
 * (WhatsApp, Telegram, Slack and the web chat each read `*`, `_` and `[]()` differently, so inline
 * Markdown is taken out; list items stay on their own lines). A section longer than `maxChars` is cut
 * to the run of sentences and list items around the one that matches the question best, with "…"
 * where text was left out.
 *
 * @example
 * quotePassage(section, 'how much is the business package', { stem: true, synonyms: true })
 * // → '- Business: £6,500. Up to 15 pages with a custom design, …'
 */
export function quotePassage(section: Pick<Section, 'text'>, question: string, terms: TermOptions, maxChars = QUOTE_MAX_CHARS): string {
  const units = splitUnits(plainText(section.text));
  if (units.length === 0) return '';
  const whole = joinUnits(units);
  if (whole.length <= maxChars) return whole;

  const wanted = new Set(questionTerms(question, terms));
  const scores = units.map((unit) => questionTerms(unit.text, terms).filter((t) => wanted.has(t)).length);
  // The first unit with the most question terms (the section's opening when none has any).
  const best = scores.indexOf(Math.max(...scores));
  let first = best;
  let last = best;
  // Grow forwards first (what follows a matching sentence usually completes it), then backwards.
  for (let grew = true; grew; ) {
    grew = false;
    if (last + 1 < units.length && joinUnits(units.slice(first, last + 2)).length <= maxChars) {
      last++;
      grew = true;
    } else if (first > 0 && joinUnits(units.slice(first - 1, last + 1)).length <= maxChars) {
      first--;
      grew = true;
    }
  }
  const chosen = joinUnits(units.slice(first, last + 1));
  // One sentence longer than the limit is cut at a word.
  const text = chosen.length > maxChars ? chosen.slice(0, maxChars).replace(/\s+\S*$/, '') : chosen;
  const cutAfter = last < units.length - 1 || text.length < chosen.length;
  // Text left out before a list item or paragraph is a line of its own, not glued to "- Business: …".
  const cutBefore = first === 0 ? '' : units[first]!.newLine ? '…\n' : '… ';
  return `${cutBefore}${text}${cutAfter ? ' …' : ''}`;
}

/** Inline Markdown out: links keep their text and address, emphasis and code marks go, `*`/`+` bullets become `-`. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^```.*$|^~~~.*$/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, text: string, url: string) => (text === url ? url : `${text} (${url})`))
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/gm, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^(\s*)[*+]\s+/gm, '$1- ')
    .replace(/^>\s?/gm, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

interface Unit {
  text: string;
  /** Starts a new line when joined (a list item, or the first sentence of a paragraph). */
  newLine: boolean;
  /** Starts a new paragraph (a blank line before it). */
  newParagraph: boolean;
}

/** Sentences of paragraphs, and list items whole (a list item is read as one fact: "Starter: £2,900. Up to 5 pages…"). */
function splitUnits(text: string): Unit[] {
  const units: Unit[] = [];
  for (const [p, paragraph] of text.split(/\n\s*\n/).entries()) {
    const items = paragraph.split(/\n(?=\s*(?:-|\d+[.)])\s)/);
    for (const [i, item] of items.entries()) {
      const flat = item.replace(/\s*\n\s*/g, ' ').trim();
      if (flat === '') continue;
      const isListItem = /^(?:-|\d+[.)])\s/.test(flat);
      const sentences = isListItem ? [flat] : flat.split(/(?<=[.!?])\s+(?=[A-Z0-9£$€"“(])/);
      for (const [s, sentence] of sentences.entries()) {
        units.push({ text: sentence, newLine: s === 0 && (isListItem || i === 0), newParagraph: s === 0 && i === 0 && p > 0 });
      }
    }
  }
  return units;
}

function joinUnits(units: readonly Unit[]): string {
  return units
    .map((unit, index) => (index === 0 ? unit.text : `${unit.newParagraph ? '\n\n' : unit.newLine ? '\n' : ' '}${unit.text}`))
    .join('');
}
