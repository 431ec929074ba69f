import { runStoreCommand } from '../admin-client.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

interface OpenHandoff {
  id: string;
  conversationId: string;
  reason: string;
  openedAt: number;
  client: string;
}

/**
 * `switchboard clients handoffs|handback|show-task|hide-task`: the client conversations a person has taken
 * over, giving one back to the bot (what `/handback` does in the team's chat), and which tasks a client sees
 * in their project's status; through the store or the running service's admin API like the other store commands.
 */
export const clientsCommand: CliCommand = {
  usage: 'clients handoffs [--json] | clients handback <id> | clients show-task <number> <app> | clients hide-task <number>',
  summary: 'list client conversations handed to the team, hand one back to the bot, or show a task to a client',
  details: [
    'handoffs               open hand-offs: the bot is quiet in these conversations until one is handed back',
    'handback <id>          the bot answers that client again and tells them so (the id or its first characters)',
    'show-task <n> <app>    task <n> appears, while open, in the project status of the client of <app> (catalog: client)',
    'hide-task <n>          task <n> is the team\'s only again',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'handoffs') {
      const { values } = parseCommandArgs(this, rest, { json: { type: 'boolean' } });
      const open = (await runStoreCommand(context, 'clients.handoffs', {})) as OpenHandoff[];
      if (values.json) context.stdout.write(`${JSON.stringify(open)}\n`);
      else if (!open.length) context.stdout.write('no conversation is waiting for a person\n');
      else for (const h of open) context.stdout.write(`${h.id.slice(0, 8)}  ${new Date(h.openedAt).toISOString().replace(/\.\d+Z$/, 'Z')}  ${h.reason}  ${h.client}  conversation ${h.conversationId}\n`);
      return 0;
    }
    if (sub === 'handback') {
      const { positionals } = parseCommandArgs(this, rest, {}, { min: 1, max: 1 });
      const done = (await runStoreCommand(context, 'clients.handback', { id: positionals[0]! })) as { client: string };
      context.stdout.write(`the bot answers ${done.client} again\n`);
      return 0;
    }
    if (sub === 'show-task' || sub === 'hide-task') {
      const show = sub === 'show-task';
      const { positionals } = parseCommandArgs(this, rest, {}, { min: show ? 2 : 1, max: show ? 2 : 1 });
      await runStoreCommand(context, 'clients.task', { number: positionals[0]!, app: show ? positionals[1]! : null, visible: show });
      context.stdout.write(show ? `task ${positionals[0]} is shown to the client of ${positionals[1]}\n` : `task ${positionals[0]} is hidden from clients\n`);
      return 0;
    }
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};
