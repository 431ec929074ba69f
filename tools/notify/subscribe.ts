import { z } from 'zod';
import { NOTIFY_EVENT_OLD_NAMES, NOTIFY_EVENTS, type NotifyEvent } from '../../intents/index.js';
import type { NotificationRepo } from '../../store/index.js';
import type { ToolAction } from '../tool-action.js';

export const SubscribeParamsSchema = z.object({ events: z.array(z.enum(NOTIFY_EVENTS)).min(1) });
export type SubscribeParams = z.infer<typeof SubscribeParamsSchema>;

const LABELS: Record<NotifyEvent, string> = {
  'build.succeeded': 'builds succeeding',
  'build.failed': 'builds failing',
  'deploy.live': 'deploys going live',
  'deploy.failed': 'deploys failing',
  'deploy.rolled_back': 'rollbacks',
  'domain.verified': 'domains verified',
  'domain.failed': 'domains that could not be verified',
  'task.due': 'tasks falling due',
  'lead.created': 'new leads',
  'handoff.requested': 'clients asking for a person',
  'client.call_requested': 'clients asking for a call',
  'client.erase_requested': 'clients asking to be erased',
};

export function describeEvents(events: readonly string[]): string {
  // A chat subscribed under an old name (build.finished) hears it in today's words, once.
  const named = new Set(events.map((e) => NOTIFY_EVENT_OLD_NAMES[e] ?? e));
  return [...named].map((e) => LABELS[e as NotifyEvent] ?? e).join(', ');
}

/** `notify.subscribe`: this chat receives the chosen events from now on. */
export function subscribeAction(deps: { notifications: NotificationRepo }): ToolAction<SubscribeParams> {
  return {
    name: 'notify.subscribe',
    intent: 'notify.subscribe',
    input: SubscribeParamsSchema,
    async prepare(slots) {
      const events = slots.events?.length ? slots.events : undefined;
      if (!events) return { ok: false, question: 'Which events: build failures, deploys, domain verification or task reminders (or everything)?', slot: 'events' };
      return { ok: true, params: { events } };
    },
    risk: () => 'safe',
    plan: (p) => `Send this chat notifications about ${describeEvents(p.events)}.`,
    phrase: () => ({ verb: 'subscribe', target: 'chat', qualifier: 'events' }),
    async execute(params, ctx) {
      const all = await deps.notifications.subscribe(ctx.conversationId, params.events, ctx.actor.id);
      return { summary: `Done: this chat will get notifications about ${describeEvents(all)}.`, data: { events: all } };
    },
  };
}
