import type { z } from 'zod';
import type { Role } from '../core/roles.js';
import type { IntentId, SlotName } from './ids.js';

/**
 * One entry of the intent catalog.
 *
 * @example
 * export const deployCreate: IntentDefinition = {
 *   id: 'deploy.create',
 *   description: 'Deploy an app to an environment',
 *   slots: z.object({ app: z.string(), env: EnvironmentSchema, ref: z.string().optional() }),
 *   required: ['app', 'env'],
 *   roles: ['owner', 'admin', 'developer'],
 *   helpExample: 'deploy soarix-web to staging',
 *   examples: ['ship soarix-web to prod', …],
 * };
 */
export interface IntentDefinition {
  id: IntentId;
  /** One sentence, shown in help and given to Claude. */
  description: string;
  /** The slots this intent takes; the schema validates them before any tool sees them. */
  slots: z.ZodObject;
  /** Slots that must be filled before the action can run; the dialog asks for them in this order. */
  required: SlotName[];
  /** Roles that may start this intent. */
  roles: Role[];
  /** The one example `help` shows for this intent. */
  helpExample: string;
  /** Training utterances for the offline classifier. */
  examples: string[];
}
