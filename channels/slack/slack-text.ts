/**
 * Slack's message text is mrkdwn with control sequences in angle brackets (`<@U123>`, `<#C123|ops>`,
 * `<https://example.com|example.com>`, `<!here>`) and `&`, `<`, `>` escaped as entities. The bot reads
 * plain text: this turns one into the other.
 */

const CONTROL = /<([^<>]*)>/g;

/** Whether the text mentions the user (`<@U123>` or `<@U123|name>`). */
export function mentionsUser(text: string, userId: string | undefined): boolean {
  if (!userId) return false;
  return text.includes(`<@${userId}>`) || text.includes(`<@${userId}|`);
}

/**
 * Plain text from Slack's text: the bot's own mention is removed, other mentions, channels and
 * links become their readable form (a link Slack made from `example.com` is `example.com` again, so
 * the domain slot can find it), entities are unescaped, and the whole is trimmed.
 *
 * @example
 * plainTextFromSlack('<@U0BOT> check <http://soarix.io|soarix.io> &amp; <#C1|ops>', 'U0BOT') // 'check soarix.io & #ops'
 */
export function plainTextFromSlack(text: string, botUserId: string | undefined): string {
  const replaced = text.replace(CONTROL, (_whole, inner: string) => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      if (botUserId && id === botUserId) return '';
      return label ? `@${label.replace(/^@/, '')}` : `@${id}`;
    }
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!')) {
      // <!here>, <!channel>, <!everyone>, <!subteam^S123|@team>, <!date^…|fallback>
      if (label) return label;
      const keyword = target.slice(1).split('^')[0] ?? '';
      return `@${keyword}`;
    }
    if (label) return label;
    return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
  });
  return unescapeEntities(replaced).replace(/[ \t]{2,}/g, ' ').trim();
}

/** `&amp;`, `&lt;` and `&gt;`: the only entities Slack escapes in message text. */
export function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}
