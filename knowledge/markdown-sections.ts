/** One part of a document: the text under one heading, up to the next heading of any level. */
export interface Section {
  /** `prices.md#website-packages`: stable while the file and heading stay the same. */
  id: string;
  /** The file's path relative to the knowledge folder, with forward slashes: `prices.md`, `team/onboarding.md`. */
  file: string;
  /** The heading's own text ("Website packages"); the file's name for text before any heading. */
  heading: string;
  /** The headings above this one, outermost first ("Prices"): indexed, so "refund policy" finds a section under "Policies". */
  parents: string[];
  /** The section's text, Markdown kept (lists stay lists), trimmed; never empty. */
  text: string;
}

const ATX_HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;

/**
 * Splits one Markdown file into sections by heading (ATX `#`…`######` and setext `===`/`---`).
 * Hand-written rather than a Markdown parser: only the headings matter here, and lines inside fenced
 * code blocks are the one place a `#` line is not a heading. Sections without text are left out
 * (a heading directly followed by a sub-heading); text before the first heading is a section named
 * after the file.
 *
 * @example
 * splitSections('prices.md', '# Prices\n\n## Website packages\n\nStarter: £2,900.')
 * // → [{ id: 'prices.md#website-packages', file: 'prices.md', heading: 'Website packages', parents: ['Prices'], text: 'Starter: £2,900.' }]
 */
export function splitSections(file: string, markdown: string): Section[] {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  const sections: Section[] = [];
  const trail: { level: number; heading: string }[] = [];
  const ids = new Set<string>();
  let current: { heading: string; parents: string[]; lines: string[] } = { heading: fileTitle(file), parents: [], lines: [] };
  let fence: string | undefined;

  const close = () => {
    const text = current.lines.join('\n').trim();
    if (text === '') return;
    const id = uniqueId(`${file}#${slug(current.heading)}`, ids);
    sections.push({ id, file, heading: current.heading, parents: current.parents, text });
  };
  const open = (level: number, heading: string) => {
    close();
    while (trail.length > 0 && trail.at(-1)!.level >= level) trail.pop();
    current = { heading, parents: trail.map((t) => t.heading), lines: [] };
    trail.push({ level, heading });
  };

  for (const [index, line] of lines.entries()) {
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      current.lines.push(line);
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      current.lines.push(line);
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      open(atx[1]!.length, cleanHeading(atx[2]!) || fileTitle(file));
      continue;
    }
    // A setext heading: a line of text underlined with === (level 1) or --- (level 2), not a list item
    // or a thematic break after a blank line.
    const underline = SETEXT_UNDERLINE.exec(lines[index + 1] ?? '');
    if (underline && line.trim() !== '' && !/^\s*([-*+]|\d+[.)])\s/.test(line)) {
      open(underline[1]![0] === '=' ? 1 : 2, cleanHeading(line.trim()));
      lines[index + 1] = '';
      continue;
    }
    current.lines.push(line);
  }
  close();
  return sections;
}

/** "Website packages" from "**Website** packages {#web}"; inline Markdown is not part of the words. */
function cleanHeading(raw: string): string {
  return raw
    .replace(/\s*\{#[^}]*\}\s*$/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .trim();
}

/** "team/on-boarding.md" → "on boarding". */
function fileTitle(file: string): string {
  return (file.split('/').at(-1) ?? file).replace(/\.(md|markdown)$/i, '').replace(/[-_]+/g, ' ');
}

function slug(heading: string): string {
  return (
    heading
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section'
  );
}

/** Two sections with the same heading in one file get `-2`, `-3`, …, as GitHub's anchors do. */
function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  taken.add(candidate);
  return candidate;
}
