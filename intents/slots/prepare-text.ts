/**
 * Slot extractors read text that arrives from chat platforms and speech-to-text: it may be empty,
 * huge, full of emoji, control characters or mixed scripts. Every extractor first passes it through
 * `prepareText`, so the regular expressions downstream only ever see a bounded, well-formed string.
 */

/**
 * Slots are looked for in the first this-many characters only. A chat command or a one-minute
 * voice note fits easily; capping keeps every extractor (chrono-node included) well under a
 * millisecond-scale budget even when someone pastes 100 KB.
 */
export const MAX_SLOT_TEXT_LENGTH = 2_000;

// C0/C1 control characters except tab and newline, which carry meaning as separators.
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Invisible formatting characters (zero-width spaces and joiners, bidi overrides, BOM): copy-pasted
// text is full of them and they would split words such as "pr\u200Bod" in two.
const INVISIBLE_CHARS = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Bounded, well-formed, NFKC-normalised text (full-width "ｐｒｏｄ" reads as "prod"), with
 * typographic apostrophes and quotes mapped to ASCII so that "Jane’s" and “v=spf1 …” match the
 * same patterns as their ASCII spellings. Idempotent; never throws.
 */
export function prepareText(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  try {
    // Cut before normalising so a 100 KB paste costs no more than a short message; the slack
    // leaves room for NFKC expanding or INVISIBLE_CHARS shrinking the text.
    const head = text.length > MAX_SLOT_TEXT_LENGTH * 2 ? text.slice(0, MAX_SLOT_TEXT_LENGTH * 2) : text;
    return head
      .replace(LONE_SURROGATES, '\uFFFD')
      .normalize('NFKC')
      .replace(INVISIBLE_CHARS, '')
      .replace(CONTROL_CHARS, ' ')
      .replace(/\r\n?/g, '\n')
      .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
      .slice(0, MAX_SLOT_TEXT_LENGTH)
      .replace(LONE_SURROGATES, '\uFFFD');
  } catch {
    return '';
  }
}

/**
 * Runs one extractor and turns any failure into "not found". A slot is advice for the dialog:
 * losing one is recoverable (the dialog asks for it), crashing the turn is not.
 */
export function safely<T>(extract: () => T, fallback: T): T {
  try {
    return extract();
  } catch {
    return fallback;
  }
}
