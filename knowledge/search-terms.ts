import { stemmer } from 'stemmer';

/**
 * How words become index terms, the same way for documents and questions: lower case, accents
 * dropped, English stop words left out (BM25 gives them little weight anyway, but "how do you" would
 * still add to every score and blur the "do we know this?" threshold), and Porter stems, so "refunds"
 * finds "refund" and "charging" finds "charge".
 */
export interface TermOptions {
  /** Porter stemming (the `stemmer` package). Measured on the labelled questions: see bench/knowledge.ts. */
  stem: boolean;
  /** Read the words of one `SAME_MEANING` group as one term (needs `stem`). */
  synonyms: boolean;
}

// Function words of questions and documents. Words that carry meaning for an agency ("much", "long",
// "call", "site") are kept on purpose: "how long" asks about time, "how much" about money.
const STOP_WORDS = new Set(
  `a an and are as at be been but by can could did do does doing done for from had has have having he her here hers
  him his i if in into is it its it's just me my myself no nor not of on or our ours ourselves out she should so
  some such than that the their theirs them then there these they this those to too us very was we were what
  when where which while who whom why how will with would you your yours yourself yourselves s t d ll m re ve
  please pls hi hello hey thanks thank tell know want wanted like any anything get got let also about
  whats wats wat u ur r ya im ive dont pl plz thx`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Words people use for the same thing when they ask an agency, each group read as its first word, in
 * documents and questions alike. BM25 matches words, not meanings: without these, "how much is a
 * shopify store" does not find "Online shop prices". Kept short and about the trade, not general
 * English; measured with and without in bench/knowledge.ts.
 */
const SAME_MEANING = [
  'price cost costs charge fee much pricing expensive cheap budget quote',
  'shop store webshop ecommerce commerce',
  'website site webpage',
  'call meeting meet appointment',
  'book schedule arrange',
  'discount reduced reduction cheaper',
  'update edit change modify',
  'take turnaround duration',
  'payment pay paying',
  'mobile android iphone ios',
  'office opening',
  'charity charities nonprofit ngo',
  'instalment installment',
];

/** One word as an index term, or null to leave it out. MiniSearch calls it for every token. */
export function termFor(word: string, options: TermOptions): string | null {
  const plain = word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  if (plain === '' || STOP_WORDS.has(plain)) return null;
  if (!options.stem || !/^[a-z]+$/.test(plain)) return plain;
  const stem = stemmer(plain);
  return options.synonyms ? (CANONICAL.get(stem) ?? stem) : stem;
}

const CANONICAL = new Map(
  SAME_MEANING.flatMap((group) => {
    const [first, ...rest] = group.split(' ').map((w) => stemmer(w));
    return rest.map((stem) => [stem, first!] as const);
  }),
);

/** MiniSearch's own tokenizer: spaces and punctuation separate words (`£2,900` → `£2`, `900`). */
export const SPACE_OR_PUNCTUATION = /[\n\r\p{Z}\p{P}]+/u;

/** The distinct terms of a question, as the index would see them. */
export function questionTerms(text: string, options: TermOptions): string[] {
  const terms = text
    .split(SPACE_OR_PUNCTUATION)
    .map((word) => termFor(word, options))
    .filter((t): t is string => t !== null);
  return [...new Set(terms)];
}
