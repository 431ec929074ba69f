import { z } from 'zod';

/** The one tool Claude is given, and forced to call. */
export const CREATE_TASKS_TOOL_NAME = 'create_tasks';

/** Tasks read from one message at most; an answer with more is refused. */
export const MAX_TASKS_PER_MESSAGE = 20;

// --- the tool input, as Claude is asked to fill it ---

const ToolTaskSchema = z
  .object({
    title: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'What to do, in the words of the message, starting with the verb: "call John", "send Acme the proposal". ' +
          'Without the request ("remind me to", "I need to"), the date, fillers ("um", "okay so") or a known assignee.',
      ),
    due: z
      .string()
      .max(64)
      .optional()
      .describe(
        'When it is due, as an ISO 8601 date-time with the offset of the user\'s time zone on that date, e.g. ' +
          '"2026-11-19T17:00:00+00:00". Leave it out when the message gives no date or time for this task.',
      ),
    assignee: z
      .string()
      .max(120)
      .optional()
      .describe(
        'The id of the known team member who should do it ("ask Priya to …", "Maria needs to …"). Leave it out ' +
          'for the sender ("remind me to …") and for anyone not in the list of known people.',
      ),
    contacts: z
      .array(z.string().max(200))
      .max(20)
      .optional()
      .describe('Ids of the known CRM contacts the task is about. Only ids from the list of contacts.'),
  })
  .strict();

export const CreateTasksInputSchema = z
  .object({
    tasks: z
      .array(ToolTaskSchema)
      .max(MAX_TASKS_PER_MESSAGE)
      .describe('One entry per thing to do, in the order they were said. Empty when the message asks for no task.'),
  })
  .strict();
export type CreateTasksInput = z.infer<typeof CreateTasksInputSchema>;

// --- the tool input, as it is read back ---

/**
 * What is accepted from Claude: the same fields, lenient where models commonly are (`null` for "not
 * stated", a title longer than asked, which is cut), strict about types. Unknown keys are dropped.
 */
export const CreateTasksAnswerSchema = z.object({
  tasks: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(1_000),
        due: z.string().max(200).nullish(),
        assignee: z.string().max(200).nullish(),
        contacts: z.array(z.string().max(200)).max(50).nullish(),
      }),
    )
    .max(MAX_TASKS_PER_MESSAGE),
});
export type CreateTasksAnswer = z.infer<typeof CreateTasksAnswerSchema>;

/** The tool definition of a Messages API request. */
export interface CreateTasksTool {
  name: typeof CREATE_TASKS_TOOL_NAME;
  description: string;
  input_schema: { type: 'object'; properties: Record<string, unknown>; [key: string]: unknown };
}

/** `create_tasks`, with the JSON Schema of `CreateTasksInputSchema`. */
export function createTasksTool(): CreateTasksTool {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(CreateTasksInputSchema, { io: 'input' }) as Record<string, unknown>;
  return {
    name: CREATE_TASKS_TOOL_NAME,
    description:
      'Create the tasks a team member asked for in a message (often a transcribed voice note). One entry per ' +
      'task; nothing for chatter or for requests that are not tasks (deploys, builds, domains, questions).',
    input_schema: { ...schema, type: 'object', properties: (schema.properties ?? {}) as Record<string, unknown> },
  };
}
