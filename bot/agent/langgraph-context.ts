import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

/** Where @langchain/core keeps a runnable's config in the async context (singletons/async_local_storage). */
const LC_CHILD_KEY = Symbol.for('lc:child_config');
/** Where it keeps context variables (setContextVariable), carried from the outer context. */
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');

type RunWithConfig = typeof AsyncLocalStorageProviderSingleton.runWithConfig;

let installed = false;

/**
 * Lets LangGraph run its steps without building a LangSmith run tree for each when no tracer is
 * configured.
 *
 * LangGraph (1.4.18, the newest that resolves here) runs every node, every edge's route and every
 * channel write through @langchain/core's `AsyncLocalStorageProviderSingleton.runWithConfig`, which
 * constructs a LangSmith `RunTree` each time, tracing or not: a UUIDv7 from crypto.getRandomValues,
 * dotted-order and timestamp strings, a dozen environment reads. With tracing off, the tree only
 * carries the step's config to LangGraph's `getConfig()` (`extra[lc:child_config]`). Measured on
 * this machine with a five-node graph of empty nodes (durability 'exit'): 3.4–4.2 ms of CPU per
 * invoke with the trees, 1.9–2.0 ms without; in the service's profile those trees and their random
 * ids were a fifth of all the CPU a Telegram turn spent (issue 13).
 *
 * When no tracer is configured (no `langchain_tracer` handler in the step's callbacks, which is where
 * LANGSMITH_TRACING / LANGCHAIN_TRACING_V2 put one), the step's config is stored in a plain object
 * with the same `extra` field instead; everything that reads it (getConfig, context variables) reads
 * the same thing. With a tracer, the library's own function runs unchanged, so traces are complete.
 *
 * Replacing a library method is a last resort: it is done once, only on the function it was written
 * against (checked by shape; another version is left alone), and test/bot/agent/langgraph-context.test.ts
 * holds both paths to the library's behaviour.
 */
export function installLightRunContext(): boolean {
  if (installed) return true;
  const provider = AsyncLocalStorageProviderSingleton;
  const original: RunWithConfig = provider.runWithConfig;
  // The shape it was written against: (config, callback, avoidCreatingRootRunTree) building a RunTree.
  if (original.length !== 3 || !String(original).includes('new RunTree(')) return false;
  provider.runWithConfig = function runWithConfig(this: typeof provider, config, callback, avoidCreatingRootRunTree) {
    const callbackManager = CallbackManager._configureSync(config?.callbacks, undefined, config?.tags, undefined, config?.metadata);
    const traced = callbackManager?.handlers?.some((handler) => handler?.name === 'langchain_tracer');
    if (traced || avoidCreatingRootRunTree) return original.call(this, config, callback, avoidCreatingRootRunTree);
    const storage = this.getInstance();
    const previous = storage.getStore() as Record<symbol, unknown> | undefined;
    const carrier: { extra: Record<symbol, unknown>; [CONTEXT_VARIABLES_KEY]?: unknown } = { extra: { [LC_CHILD_KEY]: config } };
    if (previous?.[CONTEXT_VARIABLES_KEY] !== undefined) carrier[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
    return storage.run(carrier, callback);
  } as RunWithConfig;
  installed = true;
  return true;
}
