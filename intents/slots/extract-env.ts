import type { Environment } from '../ids.js';
import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

/**
 * How people name each environment. Word boundaries are explicit (`(?<![\w-])…(?![\w-])`): a
 * hyphen joins words, so "production-ready", "prod-like" and "soarix-prod-db" are adjectives or
 * names, not an environment; "the product page" never contains the word "prod".
 *
 * Decisions: "pre-prod"/"preprod"/"UAT" mean staging (the last stop before production, which is
 * what staging is here). "live" means production only in phrases about where code runs ("go
 * live", "put it live", "to live", "live site"), because "live chat" and "I live in" are not
 * environments. "dev"/"development" are not mapped: the agency has no such environment and
 * guessing one would deploy to the wrong place.
 */
const ENV_PATTERNS: ReadonlyArray<readonly [Environment, RegExp]> = [
  ['staging', /(?<![\w-])(?:pre-?prod(?:uction)?|uat)(?![\w-])/giu],
  ['production', /(?<![\w-])(?:prod|production|prd|prod\s+env(?:ironment)?)(?![\w-])/giu],
  [
    'production',
    /(?<![\w-])(?:(?:go(?:es|ing)?|went|gone|put\s+(?:it|this|that|them)|push(?:ed)?\s+(?:it|this|that)?|make\s+(?:it|this)|to|on(?:to)?|in(?:to)?|is\s+(?:it|this|that)|be)\s+)live(?![\w-])|(?<![\w-])live(?=\s+(?:site|env(?:ironment)?|server|version|app|website)\b)/giu,
  ],
  ['staging', /(?<![\w-])(?:stage|staging|stg)(?![\w-])/giu],
  ['preview', /(?<![\w-])(?:preview|previews|pr\s+preview|preview\s+(?:env(?:ironment)?|deploy(?:ment)?|url|link))(?![\w-])/giu],
];

/**
 * In a sentence about a deploy ("is the landing page live yet?", "put the marketing site live",
 * "which build is live on client portal"), a bare "live" can only mean production. Still not:
 * "live chat", "live stream", "I live in".
 */
const BARE_LIVE = /(?<!\b(?:i|we|they|you|who|people)\s+)(?<![\w-])live(?![\w-])(?!\s+(?:chat|chats|stream|streams|streaming|demo|demos|event|events|call|calls|session|sessions|webinar|in|with|on\s+air)\b)/giu;

export interface EnvOptions {
  /** The message is about deploys or builds: a bare "live" means production. */
  deployContext?: boolean;
}

/** Words that mark the destination when a sentence names two environments. */
const TARGET_BEFORE = /(?:\bto|\binto|\bonto|\bon|\bin|\bfor|\bpromote\s+\S+\s+to)\s+(?:the\s+)?$/i;

/** Every environment mention in `text`, in order. */
export function findEnvs(text: string, options: EnvOptions = {}): SlotMatch<Environment>[] {
  return safely(() => {
    const prepared = prepareText(text);
    const found: SlotMatch<Environment>[] = [];
    const patterns = options.deployContext ? [...ENV_PATTERNS, ['production', BARE_LIVE] as const] : ENV_PATTERNS;
    for (const [env, pattern] of patterns) {
      for (const match of prepared.matchAll(pattern)) {
        const span = { start: match.index, end: match.index + match[0].length };
        if (found.some((f) => f.spans.some((s) => s.start < span.end && span.start < s.end))) continue;
        found.push({ value: env, spans: [span] });
      }
    }
    return found.sort((a, b) => a.spans[0]!.start - b.spans[0]!.start);
  }, []);
}

/**
 * The environment the message is about. When two are named ("promote staging to production",
 * "deploy to prod, not staging") the one after "to"/"on"/"into" wins; otherwise the first.
 *
 * @example
 * extractEnv('ship soarix-web to prod') // → 'production'
 * extractEnv('fix the product page') // → undefined
 */
export function extractEnv(text: string, options: EnvOptions = {}): Environment | undefined {
  return pickEnv(text, options)?.value;
}

export function pickEnv(text: string, options: EnvOptions = {}): SlotMatch<Environment> | undefined {
  const found = findEnvs(text, options);
  if (new Set(found.map((f) => f.value)).size <= 1) return found[0];
  const prepared = prepareText(text);
  return found.find((f) => TARGET_BEFORE.test(prepared.slice(Math.max(0, f.spans[0]!.start - 40), f.spans[0]!.start))) ?? found[0];
}
