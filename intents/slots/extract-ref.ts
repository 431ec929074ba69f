import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch, Span } from './slot-match.js';

/** What kind of git or build reference a `ref` slot holds. */
export type RefKind = 'branch' | 'commit' | 'tag' | 'build';

export interface RefMatch extends SlotMatch<string> {
  kind: RefKind;
}

const BRANCH_CHARS = String.raw`[\w][\w./-]{0,199}`;
const SHA = String.raw`[0-9a-f]{7,40}`;
const TAG = String.raw`v\d+(?:\.\d+){1,3}(?:-[\w.]+)?`;
/** Branch prefixes teams use; a word with one of these before a slash is a branch, not a path. */
const BRANCH_PREFIXES = 'feature|feat|fix|bugfix|hotfix|release|chore|refactor|docs|test|ci|perf|build|exp|experiment|wip|renovate|dependabot';
const WELL_KNOWN_BRANCHES = 'main|master|develop|development|dev|trunk';

/** Nouns after which "main" is the adjective ("the main site"), not the branch. */
const MAIN_AS_ADJECTIVE_BEFORE = [
  'site', 'sites', 'website', 'page', 'pages', 'app', 'apps', 'application', 'domain', 'domains', 'server', 'servers',
  'one', 'ones', 'thing', 'things', 'menu', 'nav', 'navigation', 'api', 'shop', 'store', 'product', 'project', 'client',
  'contact', 'office', 'reason', 'issue', 'problem', 'part', 'point', 'goal', 'dashboard', 'repo', 'repository', 'db',
  'database', 'account', 'person', 'course', 'street', 'road', 'screen', 'banner', 'image', 'logo', 'feature', 'features',
  'language', 'email', 'number', 'line', 'content', 'section', 'meeting', 'topic', 'question', 'difference', 'entrance',
].join('|');

interface RefPattern {
  kind: RefKind;
  pattern: RegExp;
  /** Keyword patterns ("branch x", "commit abc1234") beat shapes found without one. */
  keyword: boolean;
}

const PATTERNS: RefPattern[] = [
  { kind: 'commit', keyword: true, pattern: new RegExp(String.raw`\b(?:commit|sha|rev(?:ision)?|hash)\s*[:#]?\s*(${SHA})(?![\w])`, 'giu') },
  { kind: 'tag', keyword: true, pattern: new RegExp(String.raw`\b(?:tag|release|version)\s*[:#]?\s*(v?\d+(?:\.\d+){1,3}(?:-[\w.]+)?)(?![\w.])`, 'giu') },
  { kind: 'build', keyword: true, pattern: /\bbuild\s*(?:number|num|no\.?|id)?\s*[:#]?\s*#?(\d{1,9})(?![\w.])/giu },
  { kind: 'branch', keyword: true, pattern: new RegExp(String.raw`\b(?:branch|br)(?:\s*[:=]\s*|\s+)(${BRANCH_CHARS})`, 'giu') },
  // "the hotfix branch", "priya's feature/x branch": any name said before "branch" (words that
  // describe a branch instead of naming it are dropped by NOT_BRANCHES).
  { kind: 'branch', keyword: true, pattern: new RegExp(String.raw`(?<![\w./-])(${BRANCH_CHARS})\s+branch\b`, 'giu') },
  { kind: 'tag', keyword: false, pattern: new RegExp(String.raw`(?<![\w.])(${TAG})(?![\w.]|\.\d)`, 'giu') },
  { kind: 'branch', keyword: false, pattern: new RegExp(String.raw`(?<![\w./-])((?:${BRANCH_PREFIXES})/[\w][\w./-]{0,199})`, 'giu') },
  {
    kind: 'branch',
    keyword: false,
    pattern: new RegExp(String.raw`\b(?:from|on|off|of|using|at|with)\s+(?:the\s+)?(${WELL_KNOWN_BRANCHES})(?![\w./-])`, 'giu'),
  },
  // A bare well-known branch name: "/build api main", "deploy api main to staging", "the latest
  // main". Not when it describes a noun ("the main site", "main page"), which is the adjective.
  {
    kind: 'branch',
    keyword: false,
    pattern: new RegExp(String.raw`(?<![\w./-])(main|master|develop|trunk)(?![\w./-])(?!\s+(?:${MAIN_AS_ADJECTIVE_BEFORE})\b)`, 'giu'),
  },
  // A bare SHA needs letters and digits both: "1234567" is a number and "defaced" is a word.
  { kind: 'commit', keyword: false, pattern: new RegExp(String.raw`(?<![\w#./-])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])(${SHA})(?![\w./-])`, 'giu') },
  { kind: 'build', keyword: false, pattern: /(?<![\w&])#(\d{1,9})(?![\w.])/gu },
];

/** Words that follow "branch" without being a branch name ("the branch is broken"). */
const NOT_BRANCHES = new Set([
  'is', 'was', 'to', 'from', 'for', 'the', 'a', 'an', 'and', 'or', 'name', 'called', 'named', 'that', 'it', 'please',
  // after "branch": "the hotfix branch of shop", "… branch onto production", "did the … branch succeed"
  'of', 'on', 'onto', 'in', 'into', 'at', 'with', 'off', 'by', 'as', 'so', 'but', 'if', 'when', 'now', 'asap', 'too',
  'succeed', 'succeeded', 'pass', 'passed', 'fail', 'failed', 'work', 'worked', 'build', 'built', 'deploy', 'deployed',
  // before "branch": words that describe a branch rather than name it
  'this', 'my', 'your', 'our', 'his', 'her', 'their', 'its', 'same', 'new', 'old', 'other', 'another', 'right', 'wrong',
  'default', 'current', 'latest', 'last', 'previous', 'next', 'one', 'which', 'what', 'whose', 'any', 'every', 'each',
  'feature', 'remote', 'local', 'git', 'release', 'separate', 'different', 'whole', 'entire', 'single',
]);

/**
 * The git ref or build the message names: a branch ("branch feature/login", "from main"), a
 * commit SHA (7-40 hex, lower-cased), a tag ("v1.4.2") or a build number ("build #42" → "#42").
 *
 * @example
 * extractRef('deploy soarix-web from feature/login to staging') // → 'feature/login'
 * extractRef('roll back to build 42') // → '#42'
 */
export function extractRef(text: string): string | undefined {
  return findRef(text)?.value;
}

export function findRef(text: string): RefMatch | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    const found: Array<RefMatch & { keyword: boolean }> = [];
    for (const { kind, pattern, keyword } of PATTERNS) {
      for (const match of prepared.matchAll(pattern)) {
        const value = normaliseRef(kind, match[1]!);
        if (!value) continue;
        const start = match.index + match[0].lastIndexOf(match[1]!);
        const span: Span = { start: keyword ? match.index : start, end: start + match[1]!.length };
        found.push({ kind, value, spans: [span], keyword });
      }
    }
    const best = found.sort((a, b) => Number(b.keyword) - Number(a.keyword) || a.spans[0]!.start - b.spans[0]!.start)[0];
    return best ? { kind: best.kind, value: best.value, spans: best.spans } : undefined;
  }, undefined);
}

function normaliseRef(kind: RefKind, raw: string): string | undefined {
  switch (kind) {
    case 'commit':
      return raw.toLowerCase();
    case 'build':
      return `#${Number(raw)}`;
    case 'tag':
      return raw;
    case 'branch': {
      const name = raw.replace(/[./-]+$/, '');
      // git's own rules (git check-ref-format): no "..", no "/." or "//", no ".lock" suffix.
      if (!name || NOT_BRANCHES.has(name.toLowerCase()) || /\.\.|\/\.|\/\/|\.lock$|@\{/.test(name)) return undefined;
      return name;
    }
  }
}
