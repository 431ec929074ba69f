import { Annotation } from '@langchain/langgraph';
import type { ChannelName, ReplyDraft, VoiceAttachment } from '../../channels/index.js';
import type { Environment, Understanding } from '../../intents/index.js';
import type { PersistedDialog } from '../../flows/index.js';
import type { Person } from '../../store/index.js';

/** One turn's facts, given to the graph with every message. */
export interface TurnInput {
  /** The stored inbound message's id: the idempotency key of whatever a safe action does this turn. */
  inboundId: string;
  text: string;
  now: number;
  conversationId: string;
  channel: ChannelName;
  /** The sender's id on the platform (for pairing). */
  externalUserId: string;
  person: Person;
  timezone: string;
  /** Why this message can never confirm, if it cannot: voice, a button, edited, forwarded, bot. */
  untrusted: 'voice' | 'button' | 'edited' | 'forwarded' | 'bot' | null;
  /** A voice note to transcribe; its transcript becomes `text`. */
  voice: VoiceAttachment | null;
}

/** A slash command (`/approve K7PX2M9Q admin`). */
export interface Command {
  action: string;
  args: string[];
}

/** The active dialog: which action's machine, and its persisted snapshot (restored only through flows' `restoreDialog`). */
export type { PersistedDialog } from '../../flows/index.js';

/** What the act step runs. For a risky action the params come from the durable confirmation record. */
export interface ExecutionPlan {
  action: string;
  params: Record<string, unknown>;
  idempotencyKey: string;
  confirmationId?: string;
}

/** Tasks a voice note just created, which "undo" may take back until `until`. */
export interface Undoable {
  taskIds: string[];
  until: number;
  /** Only the person who created them may undo. */
  by: string;
}

/** What a person's last action in a conversation was about: follow-ups ("deploy it to staging") take it from here. */
export interface FollowUpSubject {
  app: string;
  env: Environment | null;
  /** The action that was about it (`deploy.create`): "how did it go?" after a deploy asks about the deploy. */
  action: string;
  at: number;
  /**
   * The last run (build, deploy, rollback) this person started or confirmed about it: the job record whose
   * idempotency key this is (jobs are unique by it), so the run can be found again without its id.
   */
  runKey?: string;
}

/** Per person id: the graph's thread is one conversation, so a group chat keeps each person's apart. */
export type FollowUpSubjects = Record<string, FollowUpSubject>;

/**
 * The agent graph's state. `activeDialog`, `undoable` and `followUps` carry over from turn to turn (the checkpoint
 * holds them); every other channel is given afresh in each turn's input.
 */
export const AgentState = Annotation.Root({
  turn: Annotation<TurnInput>(),
  /** Set when the turn cannot go on (a voice note that could not be heard): respond with what was said. */
  halted: Annotation<boolean>(),
  understanding: Annotation<Understanding | null>(),
  command: Annotation<Command | null>(),
  replies: Annotation<ReplyDraft[]>(),
  execution: Annotation<ExecutionPlan | null>(),
  /** Safe actions run this turn outside any dialog (the tasks of a voice note, an undo). */
  directActions: Annotation<ExecutionPlan[]>(),
  activeDialog: Annotation<PersistedDialog | null>(),
  undoable: Annotation<Undoable | null>(),
  /** Written only by a turn that acted on an app (bot/agent/dialog/follow-up.ts); the checkpoint keeps it. */
  followUps: Annotation<FollowUpSubjects | null>(),
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;
