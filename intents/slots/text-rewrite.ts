/**
 * A regular-expression rewrite that remembers where each piece came from, so that a span found in
 * the rewritten text ("at 5") can be mapped back to the text the user wrote ("at five").
 */
export interface Rewrite {
  text: string;
  /** Maps an index in the rewritten text back to the source; `end` for exclusive end indices. */
  toSource(index: number, edge: 'start' | 'end'): number;
}

interface Segment {
  outStart: number;
  outEnd: number;
  srcStart: number;
  srcEnd: number;
}

/** `regex` must be global; `replace` returns the replacement, or undefined to keep the match. */
export function rewriteWithMap(
  source: string,
  regex: RegExp,
  replace: (match: RegExpExecArray) => string | undefined,
): Rewrite {
  const segments: Segment[] = [];
  let text = '';
  let cursor = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(source); match; match = regex.exec(source)) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    const replacement = replace(match);
    if (replacement === undefined) continue;
    text += source.slice(cursor, match.index);
    segments.push({
      outStart: text.length,
      outEnd: text.length + replacement.length,
      srcStart: match.index,
      srcEnd: match.index + match[0].length,
    });
    text += replacement;
    cursor = match.index + match[0].length;
  }
  text += source.slice(cursor);

  return {
    text,
    toSource(index, edge) {
      let delta = 0;
      for (const segment of segments) {
        if (index < segment.outStart) break;
        if (index === segment.outStart) return segment.srcStart;
        if (index < segment.outEnd || (edge === 'end' && index === segment.outEnd)) {
          return edge === 'start' ? segment.srcStart : segment.srcEnd;
        }
        delta = segment.srcEnd - segment.outEnd;
      }
      return index + delta;
    },
  };
}
