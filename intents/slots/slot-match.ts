/** Where in the prepared text a slot value was read from, so free-text slots can leave it out. */
export interface Span {
  start: number;
  end: number;
}

/** A slot value and the span(s) of text it came from. */
export interface SlotMatch<T> {
  value: T;
  spans: Span[];
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

export function insideAny(span: Span, others: readonly Span[]): boolean {
  return others.some((other) => overlaps(span, other));
}

/**
 * Replaces each span with spaces of the same length, so indices found in the masked text still
 * point into the original. Used to hide e-mail addresses from the domain finder, phone numbers
 * from the date parser, and so on.
 */
export function maskSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const { start, end } of spans) {
    for (let i = Math.max(0, start); i < Math.min(end, chars.length); i++) chars[i] = ' ';
  }
  return chars.join('');
}

/** Removes spans (replacing each with one space) and tidies the result; see `tidyFreeText`. */
export function removeSpans(text: string, spans: readonly Span[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const { start, end } of sorted) {
    if (end <= cursor) continue;
    out += text.slice(cursor, Math.max(cursor, start)) + ' ';
    cursor = Math.max(cursor, end);
  }
  return out + text.slice(cursor);
}

/** Collapses whitespace and trims separators and dangling punctuation from both ends. */
export function tidyFreeText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/^[\s,.;:!?\-–—]+/, '')
    .replace(/[\s,;:\-–—]+$/, '')
    .replace(/([^.])[.]$/, '$1')
    .trim();
}
