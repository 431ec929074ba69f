import { END, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import { SwitchboardError, UnexpectedError } from '../../core/errors.js';
import type { Understander } from '../../intents/index.js';
import type { MessageRepo } from '../../store/index.js';
import type { ToolExecutor } from '../../tools/index.js';
import { ActStep } from './act-step.js';
import { AgentState, type AgentStateUpdate, type AgentStateValue } from './agent-state.js';
import { parseCommand } from './commands.js';
import * as say from './wording.js';
import { DialogStep, type DialogStepDeps } from './dialog/index.js';
import { installLightRunContext } from './langgraph-context.js';
import type { VoiceNotes } from './voice-notes.js';

export interface AgentGraphDeps extends DialogStepDeps {
  understander: Understander;
  executor: ToolExecutor;
  checkpointer: BaseCheckpointSaver;
  voiceNotes: VoiceNotes;
  messages: MessageRepo;
}

/**
 * The turn as a LangGraph graph: (transcribe) → understand → dialog → (act) → respond, one thread per
 * conversation, checkpointed. The dialog machine's snapshot is part of the graph state, so one
 * checkpoint holds both and a restart resumes mid-dialog, pending confirmation included.
 */
export function createAgentGraph(deps: AgentGraphDeps) {
  installLightRunContext();
  const dialog = new DialogStep(deps);
  const act = new ActStep(deps);

  /** A voice note becomes text: stored with the message (machine-made, untrusted) and shown back. */
  const transcribe = async (state: AgentStateValue): Promise<AgentStateUpdate> => {
    const { turn } = state;
    if (!turn.voice) return {};
    try {
      const heard = await deps.voiceNotes.transcribe(turn.channel, turn.voice);
      await deps.messages.recordTranscript(turn.inboundId, heard.text, { ...heard.meta, durationSeconds: heard.durationSeconds });
      const text = [turn.text.trim(), heard.text].filter(Boolean).join('\n');
      return { turn: { ...turn, text }, replies: [...state.replies, { text: say.heard(heard.text) }] };
    } catch (error) {
      // Coded errors say what went wrong in words a person can act on; anything else stays generic.
      const readable = error instanceof SwitchboardError && !(error instanceof UnexpectedError);
      if (!readable) deps.logger.error({ err: error }, 'voice note failed');
      return { halted: true, replies: [...state.replies, { text: readable ? error.message : say.UNHEARD }] };
    }
  };

  const understand = async (state: AgentStateValue): Promise<AgentStateUpdate> => {
    const parsed = parseCommand(state.turn.text);
    if (parsed && 'command' in parsed) return { command: parsed.command, understanding: null };
    if (parsed && 'understanding' in parsed) return { command: null, understanding: parsed.understanding };
    if (parsed && 'unknown' in parsed) {
      return {
        command: null,
        understanding: { intent: 'out_of_scope', confidence: 1, slots: {}, source: 'offline', alternatives: [] },
      };
    }
    const { turn } = state;
    const understanding = await deps.understander.understand(turn.text, { now: turn.now, timezone: turn.timezone, apps: deps.apps });
    return { command: null, understanding };
  };

  const respond = async (state: AgentStateValue): Promise<AgentStateUpdate> => ({
    replies: state.replies.length ? state.replies : [{ text: say.NOT_UNDERSTOOD }],
  });

  /**
   * `respond` runs only when the turn has nothing to say yet: a turn that already has its replies ends
   * here, one LangGraph step sooner (a step is ~0.35 ms of CPU, a tenth of the graph's own cost per turn).
   */
  const afterward = (state: AgentStateValue): 'respond' | typeof END => (state.replies.length ? END : 'respond');

  return new StateGraph(AgentState)
    .addNode('transcribe', transcribe)
    .addNode('understand', understand)
    .addNode('dialog', (state) => dialog.run(state))
    .addNode('act', (state) => act.run(state))
    .addNode('respond', respond)
    // A text turn has nothing to transcribe: it starts at `understand`. Each LangGraph step costs about
    // 0.35 ms of CPU (a superstep's task preparation, config merges and checkpoint copy), 3-4% of a turn.
    .addConditionalEdges(START, (state) => (state.turn.voice ? 'transcribe' : 'understand'), ['transcribe', 'understand'])
    .addConditionalEdges('transcribe', (state) => (state.halted ? 'respond' : 'understand'), ['understand', 'respond'])
    .addEdge('understand', 'dialog')
    .addConditionalEdges('dialog', (state) => (state.execution || state.directActions.length ? 'act' : afterward(state)), ['act', 'respond', END])
    .addConditionalEdges('act', afterward, ['respond', END])
    .addEdge('respond', END)
    .compile({ checkpointer: deps.checkpointer });
}

export type AgentGraph = ReturnType<typeof createAgentGraph>;
