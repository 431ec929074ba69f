import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

/**
 * Words too generic to identify an app on their own: "deploy the site" must not pick
 * "marketing-site" just because it is the only app ending in "site". They say what kind of software
 * an app is, which every app of an agency shares. "shop" and "store" are not among them: they say
 * what a client's business is, so "is anyone deploying the shop?" means acme-shop when it is the only
 * app with that word (two shops are a tie, and the question is asked).
 */
const GENERIC_WORDS = new Set([
  'app', 'apps', 'site', 'sites', 'web', 'website', 'page', 'pages', 'portal', 'api',
  'service', 'server', 'frontend', 'backend', 'front', 'back', 'end', 'client', 'admin', 'main', 'new',
  'old', 'the', 'landing', 'marketing', 'blog', 'docs', 'dashboard', 'prod', 'production', 'staging',
  'stage', 'preview', 'live', 'test', 'dev',
]);

interface AppMatch extends SlotMatch<string> {
  /** 1 for an exact match, lower for a typo or a partial match. */
  score: number;
}

const ALIASES: unique symbol = Symbol('app aliases');

/**
 * App names for the understanding, carrying each app's aliases ("the marketing site" → soarix-web).
 * It is the plain array of names that the understanding context, Claude's prompt and the "Which
 * app? (…)" question expect, with the aliases attached under a symbol: they reach the matcher
 * through every layer between the composition root and here without each signature changing, and
 * nothing that lists or logs the names shows them. A plain string[] still means names only.
 */
export type AppNames = readonly string[] & AliasesOf;
interface AliasesOf {
  readonly [ALIASES]?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Builds `AppNames` from the app catalog (tools/apps `AppCatalog.matchable()`).
 *
 * @example
 * matchApp('build the marketing site', appNames([{ name: 'soarix-web', aliases: ['the marketing site'] }])) // → 'soarix-web'
 */
export function appNames(apps: readonly { name: string; aliases?: readonly string[] }[]): AppNames {
  const names = apps.map((app) => app.name);
  const aliases = new Map(apps.map((app) => [app.name, (app.aliases ?? []).map(withoutArticle)] as const));
  Object.defineProperty(names, ALIASES, { value: aliases, enumerable: false });
  return Object.freeze(names) as AppNames;
}

// "the marketing site" is said as "marketing site" as often as not; the article names nothing.
const withoutArticle = (alias: string) => alias.trim().replace(/^(the|our|a|an)\s+/i, '');

/**
 * The configured app the text names, fuzzy-matched: "marketing site", "the landing page",
 * "soarixweb", "marketting site" and "Soarix Web" all find their app. Returns undefined when no
 * app is close, or when two apps are equally close: a wrong app is worse than a question.
 *
 * @example
 * matchApp('deploy the marketting site to prod', ['soarix-web', 'marketing-site']) // → 'marketing-site'
 * matchApp('deploy the blog', ['soarix-web', 'marketing-site']) // → undefined
 */
export function matchApp(text: string, apps: AppNames): string | undefined {
  return findApp(text, apps)?.value;
}

/** `matchApp`, with the span of the words that named the app. */
export function findApp(text: string, apps: AppNames): AppMatch | undefined {
  return safely(() => findAppUnsafe(prepareText(text), apps), undefined);
}

function findAppUnsafe(text: string, apps: AppNames): AppMatch | undefined {
  if (!Array.isArray(apps) || apps.length === 0 || text.trim() === '') return undefined;
  const words = tokenize(text);
  const candidates = apps.filter((app): app is string => typeof app === 'string' && compact(app).length > 0);
  const aliases = (apps as AliasesOf)[ALIASES];

  let best: AppMatch | undefined;
  let tie = false;
  for (const app of candidates) {
    const match = bestOf([app, ...(aliases?.get(app) ?? [])].map((said) => scoreApp(said, words)), app);
    if (!match) continue;
    if (!best || match.score > best.score + 1e-9) {
      best = match;
      tie = false;
    } else if (Math.abs(match.score - best.score) <= 1e-9 && match.value !== best.value) {
      tie = true;
    }
  }
  return best && !tie ? best : undefined;
}

/** The best of an app's name and aliases, reported under the app's name. */
function bestOf(matches: readonly (AppMatch | undefined)[], app: string): AppMatch | undefined {
  let best: AppMatch | undefined;
  for (const match of matches) if (match && (!best || match.score > best.score)) best = match;
  return best && { ...best, value: app };
}

interface Word {
  text: string;
  start: number;
  end: number;
}

// Words as people write app names: letters and digits, joined by nothing, hyphens, underscores or
// dots are split apart ("soarix-web" → soarix, web). Tokens that are e-mail addresses, URLs or
// host names are skipped whole: "acme.com" is a domain, not a mention of "acme-shop".
function tokenize(text: string): Word[] {
  const words: Word[] = [];
  for (const token of text.matchAll(/\S+/g)) {
    const raw = token[0];
    if (/@|:\/\/|[\p{L}\p{N}]\.[\p{L}]{2,}/u.test(raw)) continue;
    for (const part of raw.matchAll(/[\p{L}\p{N}]+/gu)) {
      const start = token.index + part.index;
      words.push({ text: part[0].toLowerCase(), start, end: start + part[0].length });
    }
  }
  return words.slice(0, 400);
}

function compact(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function scoreApp(app: string, words: readonly Word[]): AppMatch | undefined {
  const target = compact(app);
  const appWords = app.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  let best: AppMatch | undefined;
  const consider = (score: number, from: number, to: number) => {
    if (!best || score > best.score) {
      best = { value: app, score, spans: [{ start: words[from]!.start, end: words[to]!.end }] };
    }
  };

  // Windows of consecutive words, joined without separators, compared with the app's compact
  // name: "marketing site", "marketing-site" and "marketingsite" all become "marketingsite".
  const maxWindow = appWords.length + 1;
  for (let from = 0; from < words.length; from++) {
    let joined = '';
    for (let to = from; to < Math.min(words.length, from + maxWindow); to++) {
      joined += words[to]!.text;
      if (joined.length > target.length + 3) break;
      if (joined === target) consider(1, from, to);
      else {
        const similarity = typoSimilarity(joined, target);
        if (similarity > 0) consider(similarity, from, to);
      }
    }
  }

  // One distinctive word of a multi-word name ("deploy soarix", "the acme shop's build") is
  // enough when it is not a generic word.
  if (appWords.length > 1) {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!.text;
      if (word.length >= 4 && !GENERIC_WORDS.has(word) && appWords.includes(word)) consider(0.7, i, i);
    }
  }
  return best;
}

/**
 * How close a typed name is to the target, between 0 (not close) and 1 (identical). The number of
 * typos tolerated grows with length: none under five letters (where one edit turns "web" into
 * "wed"), one up to eight, two beyond.
 */
function typoSimilarity(typed: string, target: string): number {
  const allowed = target.length < 5 ? 0 : target.length <= 8 ? 1 : 2;
  if (allowed === 0 || Math.abs(typed.length - target.length) > allowed) return 0;
  // Typos rarely hit the first letter; requiring it keeps "parketing" from matching "marketing".
  if (typed[0] !== target[0]) return 0;
  const distance = damerauLevenshtein(typed, target, allowed);
  if (distance > allowed) return 0;
  return 0.9 - 0.05 * distance;
}

/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
export function damerauLevenshtein(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (a.length > 64 || b.length > 64) return Infinity;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return rowMin;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}
