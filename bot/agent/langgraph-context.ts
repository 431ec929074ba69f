import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

/** Where @langchain/core keeps a runnable's config in the async context (singletons/async_local_storage). */
const LC_CHILD_KEY = Symbol.for('lc:child_config');
/** Where it keeps context variables (setContextVariable), carried from the outer context. */
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');

/** Marks the carriers this module stores, so a step nested in a light step is known to be untraced. */
const LIGHT = Symbol('switchboard:light-run-context');
/** The environment variables with which @langchain/core adds a tracer or a console handler to every run. */
const TRACING_ENVIRONMENT = ['LANGSMITH_TRACING_V2', 'LANGCHAIN_TRACING_V2', 'LANGSMITH_TRACING', 'LANGCHAIN_TRACING', 'LANGCHAIN_VERBOSE'];

type RunWithConfig = typeof AsyncLocalStorageProviderSingleton.runWithConfig;
type Callbacks = { handlers?: unknown[]; inheritableHandlers?: unknown[] } | unknown[] | undefined;

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
 * Whether a step may be traced is first decided without the library: no tracing variable in the
 * environment (read once, here: set them before the service starts, as LangSmith's docs do), no
 * callback handler in the step's config, and an async context that is empty or one of these carriers
 * without context variables (so no `traceable` run tree and no configure hook around it). Only
 * otherwise is @langchain/core's `_configureSync` asked, which reads five environment variables per
 * step (process.env is a slow native lookup: 1.5% of a Telegram turn's CPU).
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
  const tracingFromEnvironment = TRACING_ENVIRONMENT.some((name) => process.env[name] === 'true');
  provider.runWithConfig = function runWithConfig(this: typeof provider, config, callback, avoidCreatingRootRunTree) {
    if (avoidCreatingRootRunTree) return original.call(this, config, callback, avoidCreatingRootRunTree);
    const storage = this.getInstance();
    const previous = storage.getStore() as Record<symbol, unknown> | undefined;
    const plainContext = previous === undefined || (previous[LIGHT] === true && previous[CONTEXT_VARIABLES_KEY] === undefined);
    if (tracingFromEnvironment || !plainContext || hasHandlers(config?.callbacks as Callbacks)) {
      const callbackManager = CallbackManager._configureSync(config?.callbacks, undefined, config?.tags, undefined, config?.metadata);
      const traced = callbackManager?.handlers?.some((handler) => handler?.name === 'langchain_tracer');
      if (traced) return original.call(this, config, callback, avoidCreatingRootRunTree);
    }
    const carrier: { extra: Record<symbol, unknown>; [LIGHT]: true; [CONTEXT_VARIABLES_KEY]?: unknown } = { extra: { [LC_CHILD_KEY]: config }, [LIGHT]: true };
    if (previous?.[CONTEXT_VARIABLES_KEY] !== undefined) carrier[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
    return storage.run(carrier, callback);
  } as RunWithConfig;
  installed = true;
  return true;
}

/** Whether a step's callbacks (a handler list, or a CallbackManager) hold any handler. */
function hasHandlers(callbacks: Callbacks): boolean {
  if (!callbacks) return false;
  if (Array.isArray(callbacks)) return callbacks.length > 0;
  return (callbacks.handlers?.length ?? 0) > 0 || (callbacks.inheritableHandlers?.length ?? 0) > 0;
}
