import { z } from 'zod';
import type { IntentDefinition } from '../intent-definition.js';
import type { SlotName, Slots } from '../ids.js';

/** Slot schemas by slot name; each must produce the value type `Slots` declares for that name. */
export type SlotShape = { [K in SlotName]?: z.ZodType<Slots[K]> };

/**
 * An intent definition as written in the catalog: `slots` is the bare shape, so the compiler can
 * check that every key is a slot name and that `required` only names slots the intent takes.
 */
export interface IntentSpec<S extends SlotShape> extends Omit<IntentDefinition, 'slots' | 'required'> {
  slots: S & { [K in Exclude<keyof S, SlotName>]: never };
  required: NoInfer<keyof S & SlotName>[];
}

/**
 * Builds an `IntentDefinition` from a spec. Convention of the catalog: the slots in `required` are
 * plain schemas and every other slot is `.optional()` (or has a `.default()`), so `slots` validates
 * a complete request before a tool sees it. Understanders extracting slots from one message use
 * `slots.partial()`; that is why no slot object carries an object-level refinement (zod refuses to
 * `.partial()` those).
 *
 * @example
 * export const taskCreate = defineIntent({
 *   id: 'task.create',
 *   slots: { title: TitleSchema, due: DueSchema.optional() },
 *   required: ['title'],
 *   …
 * });
 */
export function defineIntent<S extends SlotShape>(spec: IntentSpec<S>): IntentDefinition {
  const { slots, required, ...rest } = spec;
  return { ...rest, slots: z.object(slots as SlotShape), required: [...required] };
}
