import { ENVIRONMENTS, intentDefinition, type Environment, type IntentId, type Slots } from '../../../intents/index.js';
import type { ExecutionPlan, FollowUpSubject, FollowUpSubjects, TurnInput } from '../agent-state.js';

/**
 * Follow-ups ("deploy it to staging", "now prod", "roll it back", "how did it go?"): what a person's
 * last action in this conversation was about (app, environment), so a request that leaves them out
 * can take them from it. Rasa calls this slot carry-over, Botpress conversation context; here it is a
 * few lines over the graph state rather than either framework (neither fits a LangGraph turn).
 *
 * Durable: the subjects live in the agent state, which the checkpoint keeps per conversation (the
 * graph's thread is the conversation), so they survive a restart and never cross conversations.
 * Keyed by person inside the conversation, so in a group chat Ana's "it" is never Bob's app.
 * Never silent: every value carried is said back (`wording.carriedOver`) before the action's own
 * reply or restatement, and a risky action restates the carried app and environment with its phrase.
 */

/** A request that names no app (and no back-reference) takes the last one this recent. */
export const FOLLOW_UP_WINDOW_MS = 30 * 60_000;
/** "it", "that", "again", "too": the last app this recent, even after a pause. */
export const REFERENCE_WINDOW_MS = 4 * 60 * 60_000;

/** Words that point back to what was just talked about. */
const REFERS_BACK = /\b(it|its|that|that one|this|this one|the same( one| app)?|same|again|too|also|as well|there)\b/i;
/** A status question that names builds (or CI) is about builds even after a deploy. */
const ABOUT_BUILDS = /\b(build\w*|bulid|buid|ci|pipeline|compil\w*)\b/i;
const DEPLOY_ACTIONS = new Set(['deploy.create', 'deploy.rollback', 'deploy.status']);
/** Actions whose execution starts a run (a job keyed by the execution's idempotency key: tools/build, tools/deploy). */
const RUN_ACTIONS = new Set(['build.start', 'deploy.create', 'deploy.rollback']);

export function refersBack(text: string): boolean {
  return REFERS_BACK.test(text);
}

/** A request after carry-over: maybe another intent ("how did it go?" after a deploy), the slots, what was carried. */
export interface FollowUpFill {
  intent: IntentId;
  slots: Slots;
  carried: { app?: string; env?: Environment };
}

/**
 * Fills `app` (and `env`) of a request from the person's last subject when the request leaves them
 * out: a required app within FOLLOW_UP_WINDOW_MS, or any app/env slot the intent has when the message
 * refers back, within REFERENCE_WINDOW_MS. An app the message names is never replaced, and the
 * environment is carried only for the same app. Pure: the caller says so and records it.
 */
export function carryOver(
  request: { intent: IntentId; slots: Slots; text: string; now: number },
  subject: FollowUpSubject | undefined,
  /** Whether the request may become another intent (the person may start it, a tool answers it). */
  mayBecome: (intent: IntentId) => boolean = () => true,
): FollowUpFill {
  const { slots, text, now } = request;
  let intent = request.intent;
  const same: FollowUpFill = { intent, slots, carried: {} };
  if (!subject || now - subject.at > REFERENCE_WINDOW_MS || now < subject.at) return same;
  const reference = refersBack(text);
  const recent = now - subject.at <= FOLLOW_UP_WINDOW_MS;
  // "how did it go?" reads as a build question; after a deploy it is about that deploy.
  const aboutTheDeploy = intent === 'build.status' && reference && !slots.app && DEPLOY_ACTIONS.has(subject.action) && !ABOUT_BUILDS.test(text);
  if (aboutTheDeploy && mayBecome('deploy.status')) intent = 'deploy.status';
  const definition = intentDefinition(intent);
  const shape = definition.slots.shape as Record<string, unknown>;
  const required = new Set<string>(definition.required);
  const next: Slots = { ...slots };
  const carried: FollowUpFill['carried'] = {};
  const mayCarry = (slot: 'app' | 'env') => slot in shape && next[slot] === undefined && (reference || (required.has(slot) && recent));
  if (mayCarry('app')) next.app = carried.app = subject.app;
  const sameApp = next.app !== undefined && next.app.toLowerCase() === subject.app.toLowerCase();
  if (subject.env && sameApp && mayCarry('env')) next.env = carried.env = subject.env;
  // Nothing carried: the request stands as understood (no switch of intent either).
  if (carried.app === undefined && carried.env === undefined) return same;
  return { intent, slots: next, carried };
}

/** The app (and environment) an action's parameters are about, when they name one app. */
export function subjectOf(action: string, params: Record<string, unknown>, at: number): FollowUpSubject | undefined {
  const { app, env } = params;
  if (typeof app !== 'string' || !app) return undefined;
  const environment = typeof env === 'string' && (ENVIRONMENTS as readonly string[]).includes(env) ? (env as Environment) : null;
  return { app, env: environment, action, at };
}

/**
 * One turn's view of the subjects: what this person's last action was about, and what this turn's
 * actions were about (written back to the state by the dialog step).
 */
export class FollowUps {
  private readonly subjects: FollowUpSubjects;
  private changed = false;

  constructor(
    stored: FollowUpSubjects | null | undefined,
    private readonly turn: Pick<TurnInput, 'person' | 'now'>,
  ) {
    this.subjects = { ...(stored ?? {}) };
  }

  /** This person's last subject in this conversation, when recent enough to refer back to. */
  get last(): FollowUpSubject | undefined {
    const subject = this.subjects[this.turn.person.id];
    return subject && this.turn.now - subject.at <= REFERENCE_WINDOW_MS ? subject : undefined;
  }

  fill(intent: IntentId, slots: Slots, text: string, mayBecome?: (intent: IntentId) => boolean): FollowUpFill {
    return carryOver({ intent, slots, text, now: this.turn.now }, this.last, mayBecome);
  }

  /** An action this turn was about an app: it becomes this person's subject (a question about the same run keeps its run). */
  note(action: string, params: Record<string, unknown>, runKey?: string): void {
    const subject = subjectOf(action, params, this.turn.now);
    if (!subject) return;
    const previous = this.subjects[this.turn.person.id];
    const keep = !runKey && previous?.runKey && previous.app === subject.app && previous.env === subject.env ? previous.runKey : undefined;
    const run = runKey ?? keep;
    this.subjects[this.turn.person.id] = run ? { ...subject, runKey: run } : subject;
    this.changed = true;
  }

  /** The plan that runs this turn (a safe action, or a confirmed one: then the confirmer's subject too). */
  noteExecution(plan: ExecutionPlan | null): void {
    if (plan) this.note(plan.action, plan.params, RUN_ACTIONS.has(plan.action) ? plan.idempotencyKey : undefined);
  }

  /** The state update: only when this turn changed a subject (stale ones of other people dropped). */
  update(): { followUps?: FollowUpSubjects } {
    if (!this.changed) return {};
    const kept = Object.entries(this.subjects).filter(([, s]) => this.turn.now - s.at <= REFERENCE_WINDOW_MS);
    return { followUps: Object.fromEntries(kept) };
  }
}
