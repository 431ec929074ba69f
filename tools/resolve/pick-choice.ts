const ORDINALS: Readonly<Record<string, number>> = {
  first: 1, '1st': 1, one: 1,
  second: 2, '2nd': 2, two: 2,
  third: 3, '3rd': 3, three: 3,
  fourth: 4, '4th': 4, four: 4,
  fifth: 5, '5th': 5, five: 5,
  sixth: 6, '6th': 6, six: 6,
  seventh: 7, '7th': 7, seven: 7,
  eighth: 8, '8th': 8, eight: 8,
};

const PICK = /^(?:(?:it'?s|the|number|no\.?|option)\s*)*(\d{1,2}|[a-z0-9]+)(?:\s+(?:one|please|pls))?[\s.!)]*$/i;

/**
 * The option an answer picks by position: "2", "number 2", "the second", "2nd one", "the last one" →
 * its index (0-based) among `count` options; undefined for anything else (a word, a title). "#12" is
 * not a position: it names a record by its own number, which the resolver reads among the options.
 */
export function pickByPosition(answer: string, count: number): number | undefined {
  const text = answer.trim().toLowerCase();
  if (/^(?:the\s+)?last(?:\s+one)?[\s.!]*$/.test(text)) return count > 0 ? count - 1 : undefined;
  const match = PICK.exec(text);
  if (!match) return undefined;
  const token = match[1]!;
  const position = /^\d+$/.test(token) ? Number(token) : ORDINALS[token];
  return position !== undefined && position >= 1 && position <= count ? position - 1 : undefined;
}
