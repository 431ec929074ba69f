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
/**
 * Words that end a business's name far more often than a person's ("Redwood Dental", "Quarry
 * Brewing", "Helix Bio"): a run ending in one is read as a company. Occupational surnames (Baker,
 * Cook, Taylor, Smith) are left out on purpose.
 */
export const BUSINESS_WORDS = [
  'Dental', 'Dentistry', 'Clinic', 'Clinics', 'Medical', 'Health', 'Healthcare', 'Pharmacy', 'Pharma', 'Vets', 'Veterinary',
  'Roofing', 'Plumbing', 'Builders', 'Construction', 'Electric', 'Electrical', 'Engineering', 'Interiors', 'Homes', 'Realty',
  'Properties', 'Estates', 'Rentals', 'Cleaning', 'Logistics', 'Transport', 'Shipping', 'Freight', 'Imports', 'Exports',
  'Trading', 'Traders', 'Foods', 'Food', 'Kitchen', 'Bakery', 'Cafe', 'Café', 'Coffee', 'Restaurant', 'Bistro', 'Brewing',
  'Brewery', 'Winery', 'Wines', 'Distillery', 'Hotel', 'Hotels', 'Hospitality', 'Travel', 'Travels', 'Tours', 'Auto', 'Autos',
  'Motors', 'Cycles', 'Bikes', 'Outdoor', 'Outdoors', 'Cosmetics', 'Beauty', 'Salon', 'Spa', 'Fitness', 'Gym', 'Pilates',
  'Yoga', 'Textiles', 'Apparel', 'Clothing', 'Fashion', 'Jewellery', 'Jewelry', 'Furniture', 'Florists', 'Flowers', 'Garden',
  'Gardens', 'School', 'Academy', 'Tutoring', 'Education', 'Bio', 'Biotech', 'Robotics', 'Software', 'Systems', 'Tech',
  'Security', 'Insurance', 'Finance', 'Financial', 'Capital', 'Bank', 'Consulting', 'Consultants', 'Law', 'Legal',
  'Architects', 'Arquitectos', 'Arquitetura', 'Architecture', 'Design', 'Designs', 'Marketing', 'Events', 'Store', 'Shop',
  'Boutique', 'Industries', 'Manufacturing', 'Foundation', 'Trust', 'Network', 'Networks', 'Energy', 'Photography',
  'Productions', 'Publishing', 'Press', 'Services', 'Airlines', 'Records',
];
const SUFFIX_SET = new Set([...COMPANY_SUFFIXES, ...BUSINESS_WORDS].map((suffix) => suffix.toLowerCase().replace(/\.$/, '')));
/** Courtesy titles before a name, left out of it: "Mr. Ahmed Khan" is Ahmed Khan. */
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'madam']);

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
    "by about as via per slack whatsapp telegram someone somebody anyone everyone everybody team people i'm i've i'd i'll it's that's there's here's let's " +
    'good morning afternoon evening under gdpr pls plz vp ceo cto cfo coo linkedin instagram facebook twitter'
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
  return /^(?:\p{Lu}\.|(?:inc|ltd|co|corp|jr|sr|st|mr|mrs|ms|dr|prof)\.|(?:\p{L}\.){2,})$/iu.test(word);
}

export function isHonorific(word: string): boolean {
  return HONORIFICS.has(word.toLowerCase().replace(/\.$/, ''));
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

/**
 * Everyday words that end a name typed in lower case ("new lead sarah connor wants a site",
 * "delete victor hale from crm"): without capitals, only a list of what is not a name tells where
 * the name stops. Checked on lower-case words only, after a cue that says a name follows.
 */
const LOOSE_STOP_WORDS = new Set(
  (
    'wants want wanted needs need would like looking interested here there again too also asap now today soon ' +
    'is was are were be been being has have had will can could should may might must do does did not no yes ' +
    'new old one guy lady woman man person people data details info information number email phone record card file ' +
    'contact contacts lead leads crm deal note everything anything all me him her them us it that this these those ' +
    'what whats who whose where when how why which called said asked told wrote emailed rang phoned says asks agreed ' +
    'signed left moved already still just only about over after before via website site shop app quote booking ' +
    'redesign ecommerce online store duplicate test spam other his hers their theirs our ours your yours my mine ' +
    'webinar expo conference meetup event referral form inbound enquiry inquiry ad ads google web page please thanks ' +
    'pls plz asap who’s whos whats what’s its it’s yet to into as back opportunity opportunities opp account accounts ' +
    'stage pipeline record records notes deals again'
  ).split(/\s+/),
);

function isLooseStop(word: string): boolean {
  const lower = word.toLowerCase();
  return LOOSE_STOP_WORDS.has(lower) || (word === lower && /(?:ing|ed|ly)$/.test(lower) && lower.length > 4);
}

export interface ReadNameOptions {
  /** Accept lower-case words (after an explicit cue such as "my name is"). Default false. */
  allowLowerCase?: boolean;
  /** Accept lower-case words, stopping at everyday words ("sarah connor wants …"). Default false. */
  loose?: boolean;
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
  for (const [index, token] of tokens.entries()) {
    const word = token.text;
    // "Mr. Ahmed Khan", "Dr Maya Patel": the title is not part of the name.
    if (index === 0 && tokens.length > 1 && isHonorific(word)) continue;
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
    if (!suffix && options.loose && isLooseStop(bare)) break;
    if (!suffix && !isCapitalised(bare) && !options.allowLowerCase && !options.loose) break;
    if (!/\p{L}/u.test(bare)) break;
    taken.push({ ...token, text: bare, end: token.start + bare.length });
    if (possessive) break; // "Jane Doe's deal": the name ends at the possessive
  }
  // Trailing joiners and particles belong to what follows, not to the name.
  while (taken.length > 0 && (PARTICLES.has(taken[taken.length - 1]!.text) || /^(?:&|and)$/i.test(taken[taken.length - 1]!.text))) {
    taken.pop();
  }
  if (taken.length === 0) return undefined;
  const words = taken.map((t) => ((options.allowLowerCase || options.loose) && !isCapitalised(t.text) && !PARTICLES.has(t.text) ? titleCase(t.text) : t.text));
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
