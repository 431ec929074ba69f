import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { getContextVariable, setContextVariable } from '@langchain/core/context';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { Annotation, END, getConfig, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import { RunTree } from 'langsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import { installLightRunContext } from '../../../bot/agent/langgraph-context.js';

/** What a node sees of its async context: LangGraph's config, the raw store, a context variable. */
interface Seen {
  threadId: unknown;
  nodeName: unknown;
  storeIsRunTree: boolean;
  variable: unknown;
}

const State = Annotation.Root({ n: Annotation<number>() });

function graphSeeing(seen: Seen[]) {
  const look = async (state: { n: number }) => {
    const config = getConfig();
    seen.push({
      threadId: config.configurable?.thread_id,
      nodeName: config.metadata?.langgraph_node,
      storeIsRunTree: AsyncLocalStorageProviderSingleton.getInstance().getStore() instanceof RunTree,
      variable: getContextVariable('tenant'),
    });
    return { n: state.n + 1 };
  };
  return new StateGraph(State)
    .addNode('first', look)
    .addNode('second', look)
    .addEdge(START, 'first')
    .addConditionalEdges('first', () => 'second', ['second'])
    .addEdge('second', END)
    .compile({ checkpointer: new MemorySaver() });
}

/** Stands in for LangSmith's tracer (the handler LANGSMITH_TRACING adds), without its network calls. */
class RecordingTracer extends BaseCallbackHandler {
  name = 'langchain_tracer';
  trees = 0;
  getRunTreeWithTracingConfig(id: string): RunTree {
    this.trees++;
    return new RunTree({ name: 'traced', id, tracingEnabled: false });
  }
}

beforeAll(() => {
  expect(installLightRunContext()).toBe(true);
});

describe('LangGraph steps without a run tree per step when no tracer is configured', () => {
  it('nodes still see their config (getConfig) and the context variables set around the invoke, and no run tree is built', async () => {
    const seen: Seen[] = [];
    const graph = graphSeeing(seen);
    const result = await AsyncLocalStorageProviderSingleton.getInstance().run({}, async () => {
      setContextVariable('tenant', 'soarix');
      return graph.invoke({ n: 0 }, { configurable: { thread_id: 'conversation-1' } });
    });
    expect(result.n).toBe(2);
    expect(seen).toEqual([
      { threadId: 'conversation-1', nodeName: 'first', storeIsRunTree: false, variable: 'soarix' },
      { threadId: 'conversation-1', nodeName: 'second', storeIsRunTree: false, variable: 'soarix' },
    ]);
  });

  it('with a tracer configured, the library builds its run trees as before (traces stay complete)', async () => {
    const seen: Seen[] = [];
    const tracer = new RecordingTracer();
    await graphSeeing(seen).invoke({ n: 0 }, { configurable: { thread_id: 'conversation-2' }, callbacks: [tracer] });
    expect(seen.map((s) => [s.threadId, s.storeIsRunTree])).toEqual([
      ['conversation-2', true],
      ['conversation-2', true],
    ]);
    expect(tracer.trees).toBeGreaterThan(0);
  });

  it('installing twice is harmless', () => {
    const before = AsyncLocalStorageProviderSingleton.runWithConfig;
    expect(installLightRunContext()).toBe(true);
    expect(AsyncLocalStorageProviderSingleton.runWithConfig).toBe(before);
  });
});
