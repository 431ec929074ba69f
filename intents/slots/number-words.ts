/** Small English cardinal numbers as people type and speech-to-text writes them. */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
};

/** Alternation of the number words, for building regular expressions. */
export const NUMBER_WORD_PATTERN = Object.keys(NUMBER_WORDS).join('|');

/** "5" → 5, "five" → 5, "forty-five" → 45, anything else → undefined. */
export function parseSmallNumber(token: string): number | undefined {
  const word = token.trim().toLowerCase();
  if (/^\d{1,4}$/.test(word)) return Number(word);
  const direct = NUMBER_WORDS[word];
  if (direct !== undefined) return direct;
  const compound = /^(twenty|thirty|forty|fifty)[\s-](one|two|three|four|five|six|seven|eight|nine)$/.exec(word);
  if (compound) return (NUMBER_WORDS[compound[1]!] ?? 0) + (NUMBER_WORDS[compound[2]!] ?? 0);
  return undefined;
}
