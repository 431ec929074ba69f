import { DueSchema } from '../catalog/index.js';
import {
  ClaudeOutputError,
  ClaudeToolCall,
  capText,
  safeName,
  type ClaudeConnectionOptions,
  type ToolCall,
  SILENT_UNDERSTANDING_LOGGER,
  type UnderstandingLogger,
} from '../claude/index.js';
import { extractDue, findTaskClauses, formatInstantInZone, resolveTimeZone, type DueContext } from '../slots/index.js';
import { CREATE_TASKS_TOOL_NAME, CreateTasksAnswerSchema, createTasksTool, type CreateTasksAnswer } from './create-tasks-tool.js';
import { foldName, isSelf, matchPerson } from './match-person.js';
import { buildTaskExtractionPrompt, type TaskPromptContext } from './task-extraction-prompt.js';
import {
  knownContacts,
  knownPeople,
  TaskDraftSchema,
  type KnownContact,
  type KnownPerson,
  type TaskDraft,
  type TaskExtractionContext,
  type TaskExtractor,
} from './task-extractor.js';

/** Characters of the message sent to Claude: a voice note of several minutes. */
export const TASK_EXTRACTION_MAX_TEXT_CHARS = 4_000;
/** Output tokens: up to `MAX_TASKS_PER_MESSAGE` short tasks; an answer cut at this limit is refused. */
export const TASK_EXTRACTION_MAX_TOKENS = 2_048;
/** The longest title a draft keeps (`TitleSchema`). */
const MAX_TITLE_CHARS = 200;

export interface ClaudeTaskExtractorOptions extends ClaudeConnectionOptions {
  /** Characters of the message sent; default `TASK_EXTRACTION_MAX_TEXT_CHARS`. */
  maxTextChars?: number;
  /** `max_tokens` of the request; default `TASK_EXTRACTION_MAX_TOKENS`. */
  maxTokens?: number;
}

/**
 * Tasks from free speech with Claude: one tool, `create_tasks`, forced with `tool_choice`; the answer
 * validated with zod and normalised so that it keeps the offline extractor's contract:
 * - `due` that is an ISO instant with an offset is re-expressed in the user's zone; anything else
 *   ("tomorrow at 5pm", an ISO time without offset) goes through `extractDue`; what that cannot read is
 *   dropped (the task stays, without a date);
 * - `assignee` must be a known person (by id or by name, as `matchPerson` matches). "me" assigns nobody
 *   (the caller assigns the sender). An unknown or ambiguous name is not assigned: it goes back into
 *   the title ("Ask Bob to review the PR") unless the title already names them;
 * - `contacts` keeps known contact ids (or names that match exactly one contact);
 * - `sourceText` is the offline clause the title's words best match, or the message itself.
 *
 * Sends: a system prompt (now, time zone, known people and contacts) and the message, redacted (every
 * configured secret replaced, international phone numbers masked) and capped. A blank message is not
 * sent: it has no tasks.
 *
 * Failures throw `ClaudeTimeoutError`, `ClaudeHttpError`, `ClaudeConnectionError` or `ClaudeOutputError`
 * (text instead of the tool, another tool, a refusal, a truncated answer, input of the wrong shape);
 * `FallbackTaskExtractor` turns each into the offline result.
 *
 * @example
 * const claude = new ClaudeTaskExtractor({ ...config.anthropic, secrets: secretsOf(config) });
 * const extractor = new FallbackTaskExtractor(claude, new OfflineTaskExtractor());
 */
export class ClaudeTaskExtractor implements TaskExtractor {
  private readonly claude: ClaudeToolCall;
  private readonly maxTextChars: number;
  private readonly maxTokens: number;
  private readonly logger: UnderstandingLogger;

  constructor(options: ClaudeTaskExtractorOptions) {
    this.claude = new ClaudeToolCall(options);
    this.maxTextChars = options.maxTextChars ?? TASK_EXTRACTION_MAX_TEXT_CHARS;
    this.maxTokens = options.maxTokens ?? TASK_EXTRACTION_MAX_TOKENS;
    this.logger = options.logger ?? SILENT_UNDERSTANDING_LOGGER;
  }

  async extract(text: string, context: TaskExtractionContext): Promise<TaskDraft[]> {
    const clean = sanitise(text);
    const sent = this.claude.prepare(clean, this.maxTextChars);
    if (sent === '') return [];
    const people = knownPeople(context);
    const contacts = knownContacts(context);
    const call = await this.claude.call({
      // Names come from the store; the whole prompt is redacted, keeping a misplaced secret out of it too.
      system: buildTaskExtractionPrompt({ now: context.now, timezone: context.timezone, people, contacts }),
      text: sent,
      maxTokens: this.maxTokens,
      tools: [createTasksTool()],
      // The one tool, once.
      toolChoice: { type: 'tool', name: CREATE_TASKS_TOOL_NAME, disable_parallel_tool_use: true },
    });
    return this.read(call, clean, { now: context.now, timezone: context.timezone }, people, contacts);
  }

  // --- the answer ---

  private read(call: ToolCall, text: string, context: DueContext, people: readonly KnownPerson[], contacts: readonly KnownContact[]): TaskDraft[] {
    if (call.name !== CREATE_TASKS_TOOL_NAME) throw new ClaudeOutputError('unknown_tool', safeName(call.name));
    if (typeof call.input !== 'object' || call.input === null || Array.isArray(call.input)) {
      throw new ClaudeOutputError('invalid_tool_input', 'input is not an object');
    }
    const input = CreateTasksAnswerSchema.safeParse(call.input);
    if (!input.success) {
      const paths = [...new Set(input.error.issues.map((issue) => issue.path.join('.') || '(root)'))].slice(0, 5).join(', ');
      throw new ClaudeOutputError('invalid_tool_input', `wrong shape at ${paths}`);
    }

    const normaliser = new AnswerNormaliser(text, context, people, contacts);
    const drafts = input.data.tasks.map((task, index) => normaliser.draft(task, index));
    if (normaliser.dropped.length > 0) this.logger.debug({ dropped: normaliser.dropped }, 'Claude task fields left out of the drafts');
    return drafts;
  }
}

// --- from Claude's tasks to drafts ---

type AnswerTask = CreateTasksAnswer['tasks'][number];

class AnswerNormaliser {
  /** Field paths ("tasks.1.due") whose values were not used; never the values themselves. */
  readonly dropped: string[] = [];
  private readonly clauses: { text: string; words: Set<string> }[];

  constructor(
    private readonly text: string,
    private readonly context: DueContext,
    private readonly people: readonly KnownPerson[],
    private readonly contacts: readonly KnownContact[],
  ) {
    this.clauses = findTaskClauses(text, context).clauses.map((clause) => ({ text: clause.text, words: wordsOf(clause.text) }));
  }

  draft(task: AnswerTask, index: number): TaskDraft {
    let title = singleLine(task.title);
    if (title === '') throw new ClaudeOutputError('invalid_tool_input', `tasks.${index}.title`);

    const due = task.due ? this.due(task.due) : undefined;
    if (task.due && !due) this.dropped.push(`tasks.${index}.due`);

    let assignee: TaskDraft['assignee'];
    if (task.assignee && !isSelf(task.assignee)) {
      const person = this.person(task.assignee);
      if (person) {
        assignee = { personId: person.id, name: person.name };
      } else {
        this.dropped.push(`tasks.${index}.assignee`);
        title = withNameInTitle(title, singleLine(task.assignee));
      }
    }

    const contactIds = [...new Set((task.contacts ?? []).map((contact) => this.contact(contact)).filter((id) => id !== undefined))];
    if (contactIds.length < (task.contacts ?? []).length) this.dropped.push(`tasks.${index}.contacts`);

    const parsed = TaskDraftSchema.safeParse({
      title: cut(title, MAX_TITLE_CHARS),
      ...(due ? { due } : {}),
      ...(assignee ? { assignee } : {}),
      ...(contactIds.length > 0 ? { contactIds } : {}),
      sourceText: this.sourceOf(title),
    });
    if (!parsed.success) throw new ClaudeOutputError('invalid_tool_input', `tasks.${index}`);
    return parsed.data;
  }

  /** An ISO instant with offset, in the user's zone; or what `extractDue` reads in the value. */
  private due(value: string): string | undefined {
    const trimmed = value.trim();
    let due: string | undefined;
    if (DueSchema.safeParse(trimmed).success && Number.isFinite(Date.parse(trimmed))) {
      due = formatInstantInZone(resolveTimeZone(this.context.timezone), Date.parse(trimmed));
    } else {
      due = extractDue(trimmed, this.context);
    }
    // A year beyond 9999 formats as "+010000-…", which is no ISO 8601 instant a task can hold.
    return due !== undefined && DueSchema.safeParse(due).success ? due : undefined;
  }

  private person(said: string): KnownPerson | undefined {
    const byId = this.people.find((person) => person.id === said.trim());
    if (byId) return byId;
    const match = matchPerson(said, this.people);
    return match.kind === 'known' ? match.person : undefined;
  }

  private contact(said: string): string | undefined {
    const byId = this.contacts.find((contact) => contact.id === said.trim());
    if (byId) return byId.id;
    const folded = foldName(said);
    const byName = this.contacts.filter((contact) => foldName(contact.name) === folded);
    return byName.length === 1 ? byName[0]!.id : undefined;
  }

  /** The offline clause that shares most of the title's words; the whole message when none shares half. */
  private sourceOf(title: string): string {
    const words = wordsOf(title);
    let best: { text: string; score: number } | undefined;
    for (const clause of this.clauses) {
      let shared = 0;
      for (const word of words) if (clause.words.has(word)) shared++;
      const score = words.size === 0 ? 0 : shared / words.size;
      if (!best || score > best.score) best = { text: clause.text, score };
    }
    const source = best && best.score >= 0.5 ? best.text : this.text.trim();
    return cut(source, 2_000) || cut(title, 2_000);
  }
}

/** "review the PR" + "Bob" → "Ask Bob to review the PR"; left alone when the title names Bob already. */
function withNameInTitle(title: string, name: string): string {
  const folded = foldName(name);
  // Only something that reads as a name goes into a title; an unknown id ("u42") does not.
  if (folded === '' || !/^[\p{L}][\p{L}\p{M}' .-]{0,60}$/u.test(name) || name.split(/\s+/u).length > 3) return title;
  if (` ${foldName(title)} `.includes(` ${folded} `)) return title;
  return `Ask ${name} to ${title.replace(/^\p{Lu}(?=\p{Ll})/u, (letter) => letter.toLowerCase())}`;
}

/** Well-formed text: no lone surrogates, NFKC, control characters as spaces. */
function sanitise(text: unknown): string {
  if (typeof text !== 'string') return '';
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, '\uFFFD')
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu, '')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu, ' ');
}

/** One line of text without control or bidirectional characters: what a title may hold. */
function singleLine(value: string): string {
  return sanitise(value).replace(/\s+/gu, ' ').trim();
}

function wordsOf(text: string): Set<string> {
  return new Set(foldName(text).split(' ').filter((word) => word.length > 1));
}

function cut(text: string, max: number): string {
  return capText(text, max).trim();
}
