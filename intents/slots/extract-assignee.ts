import { prepareText, safely } from './prepare-text.js';
import { isNotNameWord, readName } from './proper-names.js';
import type { SlotMatch } from './slot-match.js';

/** The user themself: the dialog resolves it to the requester. */
export const SELF_ASSIGNEE = 'me';

interface AssigneeRule {
  pattern: RegExp;
  /** Group holding the name. */
  group: number;
  /** Lower-case names are accepted when the phrasing leaves no doubt ("ask priya to"). */
  allowLowerCase: boolean;
  /** Only the part from this group on is removed from a task title (keeps "task" for the prefix rules). */
  removeFrom?: number;
}

const RULES: AssigneeRule[] = [
  // "ask Priya to …", "tell sam to …", "remind John to …" (not "remind me to")
  { pattern: /\b(?:ask|tell|remind|get|have)\s+(?!me\b|us\b|myself\b)(\S+(?:\s+\S+)?)\s+to\b/giu, group: 1, allowLowerCase: true },
  // "assign it to Sam", "assigned to me", "and assign to Priya"
  {
    pattern: /(?:,?\s*\band\s+)?\bassign(?:ed)?\s+(?:it\s+|this\s+|that\s+|the\s+task\s+)?to\s+(me|myself|\S+(?:\s+\S+)?)/giu,
    group: 1,
    allowLowerCase: true,
  },
  // "assignee: Priya", "owner: Sam"
  { pattern: /\b(?:assignee|owner)\s*[:=]\s*(\S+(?:\s+\S+)?)/giu, group: 1, allowLowerCase: true },
  // "a task for Priya", "reminder for Sam"
  { pattern: /\b(?:task|to-?do|reminder|job)\s+(for\s+(\S+(?:\s+\S+)?))/giu, group: 2, allowLowerCase: false, removeFrom: 1 },
  // "for Priya: review the PR"
  { pattern: /^(?:\s*(?:please|pls)\s+)?for\s+(\S+(?:\s+\S+)?)\s*[:,\-–—]/giu, group: 1, allowLowerCase: false },
  // "Priya should send the invoice", "Sam needs to call Acme"
  { pattern: /^\s*(\S+(?:\s+\S+)?)\s+(?:should|needs\s+to|has\s+to|must|is\s+to)\s+/giu, group: 1, allowLowerCase: false },
  // task lists: "Priya's tasks", "tasks for Sam", "my tasks"
  { pattern: /(?<![\p{L}])(\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)?)'s\s+(?:tasks|to-?dos|list|reminders)\b/gu, group: 1, allowLowerCase: false },
  { pattern: /\b(?:tasks|to-?dos|reminders)\s+(?:for|of|assigned\s+to|owned\s+by)\s+(me|\S+(?:\s+\S+)?)/giu, group: 1, allowLowerCase: false },
  { pattern: /\bmy\s+(?:tasks|to-?dos|reminders|list)\b()/giu, group: 1, allowLowerCase: false },
  // "@priya" (chat mentions)
  { pattern: /(?<![\w.@])@([\p{L}\p{N}][\p{L}\p{N}._-]{0,40})(?![\w@])/giu, group: 1, allowLowerCase: true },
];

/** "what's due tomorrow for Priya": only when listing tasks, where "for" can only mean whose. */
const TRAILING_FOR: AssigneeRule = {
  pattern: /\bfor\s+(me|\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)?)\s*[?.!]*\s*$/gu,
  group: 1,
  allowLowerCase: false,
};

/** Time words that follow "tasks for" without naming anyone ("tasks for next week"). */
const NOT_WHOSE = String.raw`(?!(?:next|last|this|coming|later|now|week|weekend|month|the)\b)`;

/**
 * Whose list, when listing tasks: the phrasing leaves no doubt, so lower-case names count ("what's on
 * bob's list?", "tasks for bob", "what is sam working on?", "everyone's tasks").
 */
const LISTING_RULES: AssigneeRule[] = [
  { pattern: /\b(everyone|everybody|the\s+(?:whole\s+)?team)(?:['’]s)?\s+(?:open\s+)?(?:tasks|to-?dos|lists?|reminders)\b/giu, group: 1, allowLowerCase: true },
  {
    pattern: /(?<![\p{L}'’])(\p{L}[\p{L}-]*)['’]s\s+(?:open\s+)?(?:tasks|to-?dos|to-?do\s+list|list|reminders|plate|workload)\b/giu,
    group: 1,
    allowLowerCase: true,
  },
  {
    pattern: new RegExp(String.raw`\b(?:tasks|to-?dos|reminders|list)\s+(?:for|of|assigned\s+to|owned\s+by)\s+${NOT_WHOSE}(\S+)`, 'giu'),
    group: 1,
    allowLowerCase: true,
  },
  { pattern: /\bwhat(?:['’]s|\s+is|\s+are)\s+(\S+)\s+(?:working\s+on|doing|busy\s+with|up\s+to)\b/giu, group: 1, allowLowerCase: true },
  { pattern: /\bwhat\s+(?:does|do|has)\s+(\S+)\s+(?:have|got|need|still\s+have)\s+(?:to\s+do|on|left|open)\b/giu, group: 1, allowLowerCase: true },
  // "what tasks does bob have", "everything sam has open"
  { pattern: /\b(?:tasks|to-?dos|reminders)\s+(?:does|do|has)\s+(\S+)\s+(?:have|got)\b/giu, group: 1, allowLowerCase: true },
  { pattern: /\beverything\s+(\S+)\s+(?:has|still\s+has)\s+(?:open|on|to\s+do|left)\b/giu, group: 1, allowLowerCase: true },
  // "anything overdue for bob?", "tasks due for sam": one word at the very end, after words about tasks
  { pattern: /\b(?:anything|tasks?|to-?dos?|reminders?)\b[^?.!]*?\bfor\s+(\p{L}[\p{L}'-]*)\s*[?.!]*\s*$/giu, group: 1, allowLowerCase: true },
];

export interface AssigneeOptions {
  /**
   * Listing tasks: also read a trailing "for <Name>" ("what's due for Priya?") and lower-case names in
   * phrases that can only mean whose list ("what's on bob's list?"). Off by default: in a new task
   * "buy flowers for Mum" names who benefits, not who does it.
   */
  trailingFor?: boolean;
}

/**
 * Who a task is for: "ask Priya to …", "assign to Sam", "a task for Priya: …", "@priya".
 * "assign to me" and "my tasks" give "me" (the requester).
 *
 * @example
 * extractAssignee('ask Priya to send Acme the proposal by Friday') // → 'Priya'
 */
export function extractAssignee(text: string, options: AssigneeOptions = {}): string | undefined {
  return findAssignee(text, options)?.value;
}

/** `extractAssignee` with the span of the whole phrase, so the task title can leave it out. */
export function findAssignee(text: string, options: AssigneeOptions = {}): SlotMatch<string> | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    for (const rule of options.trailingFor ? [...RULES, ...LISTING_RULES, TRAILING_FOR] : RULES) {
      for (const match of prepared.matchAll(rule.pattern)) {
        const raw = match[rule.group] ?? '';
        const assignee = readAssignee(match, rule, raw);
        if (!assignee) continue;
        const matchEnd = match.index + match[0].length;
        const groupStart = match.index + match[0].lastIndexOf(raw);
        // The group may run past the name ("for Priya: review …"): then the phrase ends with the name.
        const end = groupStart + raw.length === matchEnd ? groupStart + assignee.length : matchEnd;
        const start = rule.removeFrom !== undefined ? match.index + match[0].indexOf(match[rule.removeFrom]!) : match.index;
        return { value: assignee.value, spans: [{ start, end }] };
      }
    }
    return undefined;
  }, undefined);
}

/** The assignee and how many characters of the group it used. */
function readAssignee(match: RegExpExecArray, rule: AssigneeRule, raw: string): { value: string; length: number } | undefined {
  if (raw === '' && /^my\s/i.test(match[0].trimStart())) return { value: SELF_ASSIGNEE, length: 0 };
  if (/^(?:me|myself)$/i.test(raw)) return { value: SELF_ASSIGNEE, length: raw.length };
  // Only a task list may be everyone's ("show the team's tasks"); "ask the team to review" names nobody.
  if (LISTING_RULES.includes(rule) && /^(?:everyone|everybody|the\s+(?:whole\s+)?team)$/i.test(raw)) return { value: 'everyone', length: raw.length };
  if (match[0].trimStart().startsWith('@')) return { value: `@${raw}`, length: raw.length };
  const name = readName(raw, 0, { allowLowerCase: rule.allowLowerCase, maxWords: 2 });
  if (!name || isNotNameWord(name.value)) return undefined;
  return { value: name.value, length: name.end };
}
