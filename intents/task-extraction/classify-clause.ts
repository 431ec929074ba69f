import { findTaskClauses, stripLeadIn, type DueContext, type TaskClause } from '../slots/index.js';

/** What one clause of a message is. */
export type ClauseKind =
  /** Something to do: "remind me to call John", "email Sam", "ask Priya to review the PR", "dentist tomorrow at 3". */
  | 'task'
  /** Another request for the bot: "deploy the landing page to staging", "what's due tomorrow?". */
  | 'request'
  /** Neither: "okay so the meeting went well", "thanks". */
  | 'chatter';

/** A clause that starts with one of these is about something, not an instruction ("it went well"). */
const STATEMENT_SUBJECT =
  /^(?:i|i'm|i've|i'd|we|we're|we've|you|you're|he|he's|she|she's|they|they're|it|it's|its|there|there's|this|that|that's|these|those|everything|nothing|everyone)\b/iu;
/** Verbs that tell rather than ask: "the meeting is tomorrow", "the client loved it". */
const NARRATIVE_VERB =
  /\b(?:is|are|was|were|am|been|being|went|had|did|said|says|told|thinks|thought|seems|seemed|looks|looked|felt|feels|loved|liked|happened|got)\b/iu;

/**
 * What a clause found by `findTaskClauses` is. Its kind says how it starts; a clause that starts with
 * no request word is still a task when it carries a date still to come and tells nothing
 * ("dentist tomorrow at 3", "Jane on Friday" after "call John tomorrow and").
 */
export function classifyClause(clause: TaskClause, context: DueContext): ClauseKind {
  switch (clause.kind) {
    case 'reminder':
    case 'obligation':
    case 'assignee':
    case 'task-verb':
      return 'task';
    case 'request':
      return 'request';
    case 'none':
      break;
  }
  const text = stripLeadIn(clause.text);
  if (clause.question || /\?\s*$/u.test(text)) return 'request';
  const upcoming = clause.dates.some((date) => Date.parse(date.value) >= context.now - 60_000);
  if (upcoming && !STATEMENT_SUBJECT.test(text) && !NARRATIVE_VERB.test(text)) return 'task';
  return 'chatter';
}

/**
 * Whether `text` reads as a task (one or several) rather than another request or chatter. `text` is
 * split into clauses first, so "okay so, remind me to call John" is task-like and "okay so the meeting
 * went well" is not; "deploy the landing page to staging" is not a task but a request, which the caller
 * routes through normal understanding. Without a context, date phrases are read against a fixed
 * instant: enough to know that there is one.
 *
 * @example
 * isTaskLike('remind me to call John tomorrow') // → true
 * isTaskLike('deploy the landing page to staging') // → false
 */
export function isTaskLike(text: string, context?: DueContext): boolean {
  try {
    const due = context ?? { now: 0, timezone: 'UTC' };
    return findTaskClauses(text, due).clauses.some((clause) => classifyClause(clause, due) === 'task');
  } catch {
    return false;
  }
}
