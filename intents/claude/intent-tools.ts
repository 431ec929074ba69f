import { z } from 'zod';
import { INTENT_CATALOG } from '../catalog/index.js';
import type { IntentId } from '../ids.js';

/** What the Messages API accepts as a tool name. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** One custom tool of a Messages request, as the understander sends it. */
export interface IntentTool {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties: Record<string, unknown>; additionalProperties: false; [key: string]: unknown };
}

/**
 * The tool name of an intent: dots are not allowed in tool names, so `deploy.create` becomes
 * `deploy_create`. The reverse direction goes through `intentForToolName`, never by replacing `_`
 * back (that would turn `out_of_scope` into `out.of.scope`).
 */
export function toolNameForIntent(intent: IntentId): string {
  return intent.replaceAll('.', '_');
}

const INTENT_BY_TOOL_NAME: ReadonlyMap<string, IntentId> = (() => {
  const map = new Map<string, IntentId>();
  for (const { id } of INTENT_CATALOG) {
    const name = toolNameForIntent(id);
    // Both would be catalog bugs; failing at import keeps them out of any request.
    if (!TOOL_NAME_PATTERN.test(name)) throw new Error(`Intent ${id} has no valid tool name (${name})`);
    if (map.has(name)) throw new Error(`Intents ${map.get(name)} and ${id} share the tool name ${name}`);
    map.set(name, id);
  }
  return map;
})();

/** The intent a tool name stands for, or undefined for a name that is not one of ours. */
export function intentForToolName(name: string): IntentId | undefined {
  return INTENT_BY_TOOL_NAME.get(name);
}

/**
 * One tool per catalog intent, in catalog order: the intent's description and the JSON Schema of its
 * slots, every slot optional (`slots.partial()`), because a message rarely states them all and the
 * dialog asks for the rest. `additionalProperties: false` tells the model there is nothing else to fill.
 */
export function buildIntentTools(): IntentTool[] {
  return INTENT_CATALOG.map((definition) => {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(definition.slots.partial(), { io: 'input' }) as Record<string, unknown>;
    if (schema.type !== 'object') throw new Error(`The slots of ${definition.id} do not convert to a JSON Schema object`);
    return {
      name: toolNameForIntent(definition.id),
      description: definition.description,
      input_schema: {
        ...schema,
        type: 'object',
        properties: (schema.properties ?? {}) as Record<string, unknown>,
        additionalProperties: false,
      },
    };
  });
}
