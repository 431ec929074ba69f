/**
 * Reading people's and companies' names out of free text. Chat messages are not reliably
 * capitalised, but where they are, capitals are the best signal a rule-based reader has, so the
 * readers here look for runs of capitalised words and accept lower case only after an explicit
 * cue ("my name is jane doe").
 */

/** Legal-form and trading suffixes that make a run of words a company. */
export const COMPANY_SUFFIXES = [
  'Ltd', 'Limited', 'Inc', 'Incorporated', 'LLC', 'LLP', 'GmbH', 'plc', 'PLC', 'Co', 'Corp', 'Corporation', 'SA',
  'S.A.', 'BV', 'B.V.', 'AG', 'Pty', 'SRL', 'Srl', 'SAS', 'SARL', 'Oy', 'AB', 'ApS', 'KG', 'NV', 'Group', 'Agency',
  'Studio', 'Studios', 'Labs', 'Holdings', 'Partners', 'Ventures', 'Media', 'Digital', 'Solutions', 'Technologies',
];
const SUFFIX_SET = new Set(COMPANY_SUFFIXES.map((suffix) => suffix.toLowerCase().replace(/\.$/, '')));

/** Name particles that may sit in lower case between the capitalised parts of a name. */
const PARTICLES = new Set(['de', 'da', 'di', 'del', 'della', 'der', 'den', 'van', 'von', 'la', 'le', 'du', 'dos', 'das', 'bin', 'al', 'el', 'ter', 'y']);

/**
 * Capitalised words that are not names: commands and sentence starters ("Add", "Please"),
 * the CRM's own nouns ("Lead", "Deal"), days and months.
 */
const NOT_NAME_WORDS = new Set(
  (
    'add new create save log please hi hey hello dear lead leads contact contacts note notes task tasks remind ask tell ' +
    'call email send move mark update set change find search look show delete remove erase forget who what when where ' +
    'why how is are can could would will the a an i im my we our us you your thanks thank ok okay yes no deal deals company ' +
    'client customer prospect crm today tomorrow tonight yesterday monday tuesday wednesday thursday friday saturday ' +
    'sunday january february march april may june july august september october november december mr mrs ms miss dr ' +
    'prof sir madam also and or but so then just re fwd fw subject account record file details info phone mobile ' +
    'tel proposal quote invoice meeting follow up get put make let need want assign assigned reminder todo to-do stage ' +
    'won lost qualified negotiation it this that there here they he she his her their them from with at of for on in ' +
    "by about as via per slack whatsapp telegram someone somebody anyone everyone everybody team people i'm i've i'd i'll it's that's there's here's let's"
  ).split(/\s+/),
);

/** A run of words read as a name, with its position. */
export interface NameRun {
  value: string;
  start: number;
  end: number;
  /** Ends with a company suffix ("Acme Ltd"). */
  isCompany: boolean;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.&-]*|&/gu;

function tokensFrom(text: string, from: number): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = from;
  for (let match = WORD.exec(text); match && tokens.length < 12; match = WORD.exec(text)) {
    // A gap with punctuation ends the run: "Jane Doe, Acme" is two runs.
    const gap = text.slice(tokens.length === 0 ? from : tokens[tokens.length - 1]!.end, match.index);
    if (tokens.length > 0 && !/^[ \t]+$/.test(gap)) break;
    if (tokens.length === 0 && !/^[ \t]*$/.test(gap)) break;
    const raw = match[0].replace(/[.'’-]+$/, (tail) => (/^\.$/.test(tail) && isAbbreviation(match![0]) ? tail : ''));
    tokens.push({ text: raw, start: match.index, end: match.index + raw.length });
    if (raw.length < match[0].length) break; // trailing punctuation ended the word and the run
  }
  return tokens;
}

function isAbbreviation(word: string): boolean {
  return /^(?:\p{Lu}\.|(?:inc|ltd|co|corp|jr|sr|st)\.|(?:\p{L}\.){2,})$/iu.test(word);
}

function isCapitalised(word: string): boolean {
  return /^[\p{Lu}\p{N}]/u.test(word);
}

export function isCompanySuffix(word: string): boolean {
  return SUFFIX_SET.has(word.toLowerCase().replace(/\.$/, ''));
}

export function isNotNameWord(word: string): boolean {
  return NOT_NAME_WORDS.has(word.toLowerCase().replace(/['’]s$/, '').replace(/\.$/, ''));
}

export interface ReadNameOptions {
  /** Accept lower-case words (after an explicit cue such as "my name is"). Default false. */
  allowLowerCase?: boolean;
  /** Maximum words. Default 4 (people), use 6 for companies. */
  maxWords?: number;
  /** Reading a company: "&" and "and" may join words ("Smith & Sons"). */
  company?: boolean;
}

/**
 * The name that starts at `from` (after optional spaces), or undefined when the next word is not
 * a name. Stops at punctuation, at a word that is not a name, and after `maxWords`.
 */
export function readName(text: string, from: number, options: ReadNameOptions = {}): NameRun | undefined {
  const maxWords = options.maxWords ?? 4;
  const tokens = tokensFrom(text, from);
  const taken: Token[] = [];
  for (const token of tokens) {
    const word = token.text;
    const possessive = /['’]s$/u.test(word);
    const bare = possessive ? word.slice(0, -2) : word;
    if (taken.length >= maxWords) break;
    const joiner = options.company && taken.length > 0 && (bare === '&' || bare.toLowerCase() === 'and');
    if (joiner) {
      taken.push({ ...token, text: bare });
      continue;
    }
    if (taken.length > 0 && PARTICLES.has(bare)) {
      taken.push(token);
      continue;
    }
    const suffix = options.company === true && taken.length > 0 && isCompanySuffix(bare);
    if (!suffix && isNotNameWord(bare)) break;
    if (!suffix && !isCapitalised(bare) && !options.allowLowerCase) break;
    if (!/\p{L}/u.test(bare)) break;
    taken.push({ ...token, text: bare, end: token.start + bare.length });
    if (possessive) break; // "Jane Doe's deal": the name ends at the possessive
  }
  // Trailing joiners and particles belong to what follows, not to the name.
  while (taken.length > 0 && (PARTICLES.has(taken[taken.length - 1]!.text) || /^(?:&|and)$/i.test(taken[taken.length - 1]!.text))) {
    taken.pop();
  }
  if (taken.length === 0) return undefined;
  const words = taken.map((t) => (options.allowLowerCase && !isCapitalised(t.text) && !PARTICLES.has(t.text) ? titleCase(t.text) : t.text));
  const value = words.join(' ').replace(/\s+([.])/g, '$1');
  return {
    value,
    start: taken[0]!.start,
    end: taken[taken.length - 1]!.end,
    isCompany: isCompanySuffix(taken[taken.length - 1]!.text),
  };
}

/** Every run of capitalised words in `text` that could be a name, in order. */
export function findNameRuns(text: string, options: ReadNameOptions = {}): NameRun[] {
  const runs: NameRun[] = [];
  for (const match of text.matchAll(/(?<![\p{L}\p{N}'’.&-])[\p{Lu}][\p{L}\p{M}'’.&-]*/gu)) {
    if (runs.some((run) => match.index < run.end)) continue;
    const run = readName(text, match.index, options);
    if (run) runs.push(run);
  }
  return runs;
}

function titleCase(word: string): string {
  return word.replace(/(^|[-'’])(\p{Ll})/gu, (_, boundary: string, letter: string) => boundary + letter.toUpperCase());
}
