import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { splitSections, type Section } from './markdown-sections.js';
import { questionTerms, SPACE_OR_PUNCTUATION, termFor, type TermOptions } from './search-terms.js';

/** A section found for a question, with how well it matched. */
export interface Passage extends Section {
  /** BM25 score (MiniSearch's BM25+, field boosts applied); comparable between the passages of one question only. */
  score: number;
  /**
   * How much of the question the section speaks about, 0 to 1: the question's terms found in the
   * section, each weighted by its inverse document frequency, over all of the question's terms. A term
   * no document contains weighs most ("insurance" in "what insurance do you have"): a question about
   * something the documents never mention is poorly covered however well its common words match.
   */
  coverage: number;
}

/** How the index is built and searched. The defaults were chosen on the labelled questions (bench/knowledge.ts). */
export interface SearchTuning extends TermOptions {
  /** Field boosts: a heading names what a section is about, so its words count more than the body's. */
  boost: { heading: number; parents: number; text: number };
  /** Edit distance allowed per term, as a fraction of its length, for terms of 5 letters or more (0: off). */
  fuzzy: number;
  /** Whether a question's terms also match longer words they begin ("host" → "hosting"). */
  prefix: boolean;
  /**
   * How much more than the rarest indexed term a question's term weighs in `coverage` when no document
   * has it: a word the documents never use ("parking", "insurance") says the question is about
   * something else more surely than a rare word they do use.
   */
  unknownWeight: number;
}

export const DEFAULT_TUNING: SearchTuning = { stem: true, synonyms: true, boost: { heading: 2, parents: 1, text: 1 }, fuzzy: 0.3, prefix: false, unknownWeight: 2 };

type IndexedSection = Section & { position: number };

const MARKDOWN = /\.(md|markdown)$/i;

/**
 * The agency's Markdown documents in one folder (sub-folders too), split into sections by heading and
 * indexed for BM25 with MiniSearch.
 *
 * Freshness: `refresh()` lists the folder and compares every file's size and modification time with
 * what was indexed, and rebuilds the whole index when anything changed (the folder holds a handful of
 * documents: a rebuild takes a few milliseconds). Called before each question, so an edited, added or
 * removed document is used from the next question on, on every instance. Checked per question rather
 * than with fs.watch: it costs well under a millisecond for a folder of this size (bench/knowledge.ts),
 * needs no timer or debounce to wait for in tests, and also works where file events do not arrive
 * (network and container-mounted folders, editors that replace files by renaming).
 */
export class KnowledgeIndex {
  private miniSearch: MiniSearch<IndexedSection> | undefined;
  private sections: Section[] = [];
  private documentFrequency = new Map<string, number>();
  private signature: string | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    readonly dir: string,
    private readonly tuning: SearchTuning = DEFAULT_TUNING,
  ) {}

  /** Sections currently indexed. */
  get size(): number {
    return this.sections.length;
  }

  /** Files currently indexed, relative to the folder. */
  get files(): string[] {
    return [...new Set(this.sections.map((s) => s.file))];
  }

  /**
   * Re-indexes when the documents changed since the last call (or on the first). Concurrent callers
   * share one check. Resolves true when the index was rebuilt. A missing folder is an empty index.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.rebuildIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The best sections for a question, best first; nothing when no term of the question is in any document. */
  search(question: string, limit = 4): Passage[] {
    const index = this.miniSearch;
    if (!index) return [];
    const terms = questionTerms(question, this.tuning);
    if (terms.length === 0) return [];
    const weights = new Map(terms.map((term) => [term, this.idf(term)]));
    const total = [...weights.values()].reduce((sum, w) => sum + w, 0);
    return index
      .search(distinctWords(question, this.tuning))
      .slice(0, limit)
      .map((result) => {
        // `terms` are the question's terms that matched (a fuzzy or prefix match counts as its source term).
        const covered = result.terms.reduce((sum, term) => sum + (weights.get(term) ?? 0), 0);
        return { ...this.sections[result.id as number]!, score: result.score, coverage: total > 0 ? Math.min(1, covered / total) : 0 };
      });
  }

  /** BM25's inverse document frequency of a term over the sections (a term in no section weighs most). */
  private idf(term: string): number {
    const n = this.sections.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (df === 0 ? this.tuning.unknownWeight : 1);
  }

  private async rebuildIfChanged(): Promise<boolean> {
    const files = await listMarkdown(this.dir);
    const stats = await Promise.all(files.map(async (file) => ({ file, stat: await stat(path.join(this.dir, file)).catch(() => undefined) })));
    const signature = stats.map(({ file, stat: s }) => `${file}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}`).join('\n');
    if (signature === this.signature && this.miniSearch) return false;
    const sections: Section[] = [];
    for (const file of files) {
      // A file removed between the listing and the read is simply not indexed this time.
      const text = await readFile(path.join(this.dir, file), 'utf8').catch(() => undefined);
      if (text !== undefined) sections.push(...splitSections(file, text));
    }
    this.sections = sections;
    this.miniSearch = this.build(sections);
    this.documentFrequency = countSections(sections, this.tuning);
    this.signature = signature;
    return true;
  }

  private build(sections: Section[]): MiniSearch<IndexedSection> {
    const { boost, fuzzy, prefix } = this.tuning;
    const index = new MiniSearch<IndexedSection>({
      // The position in `sections` is the MiniSearch id: short, and what `search()` looks a result up by.
      idField: 'position',
      fields: ['heading', 'parents', 'text'],
      extractField: (section, field) => (field === 'parents' ? section.parents.join(' ') : section[field as keyof IndexedSection]),
      processTerm: (term) => termFor(term, this.tuning),
      searchOptions: {
        boost,
        combineWith: 'OR',
        prefix,
        fuzzy: fuzzy > 0 ? (term) => (term.length >= 5 ? fuzzy : false) : false,
      },
    });
    index.addAll(sections.map((section, position) => ({ ...section, position })));
    return index;
  }
}

/**
 * The question with each term once: "how much does a website cost" asks about price once, not twice
 * ("much" and "cost" are the same term), so a section is not ranked up for matching it twice.
 */
function distinctWords(question: string, options: TermOptions): string {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const word of question.split(SPACE_OR_PUNCTUATION)) {
    const term = termFor(word, options);
    if (term === null || seen.has(term)) continue;
    seen.add(term);
    words.push(word);
  }
  return words.join(' ');
}

/** In how many sections each term occurs (any field). */
function countSections(sections: readonly Section[], options: TermOptions): Map<string, number> {
  const counts = new Map<string, number>();
  for (const section of sections) {
    for (const term of questionTerms(`${section.heading}\n${section.parents.join('\n')}\n${section.text}`, options)) {
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return counts;
}

/** Markdown files under `dir`, relative, with forward slashes, sorted; dot files and folders left out. */
async function listMarkdown(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .map((entry) => entry.split(path.sep).join('/'))
    .filter((entry) => MARKDOWN.test(entry) && !entry.split('/').some((part) => part.startsWith('.')))
    .sort();
}
