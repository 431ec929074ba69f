import { runStoreCommand } from '../admin-client.js';
import { UsageError, type CliCommand } from '../cli-context.js';

interface ListedPerson {
  personId: string;
  role: string;
  name: string | null;
  identities: string[];
}

export const usersCommand: CliCommand = {
  usage: 'users grant <channel>:<userId> <role> | users link <channel>:<userId> <channel>:<userId> | users prefer <channel>:<userId> <channel> | users list [--json]',
  summary: 'give a person a role; link two identities of one person; choose where their reminders go; list people',
  details: [
    'An identity is <channel>:<userId>, e.g. telegram:12345, slack:U012AB, webchat:ana. Roles: owner, admin,',
    'developer, sales, client, unknown. Linked identities are one person with one role.',
  ].join('\n'),
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub === 'grant') {
      const [identity, role] = rest;
      if (!identity || !role || rest.length !== 2) throw new UsageError('usage: switchboard users grant <channel>:<userId> <role>');
      const result = (await runStoreCommand(context, 'users.grant', { identity, role })) as { identity: string; role: string };
      context.stdout.write(`${result.identity} is now ${result.role}\n`);
      return 0;
    }
    if (sub === 'link') {
      const [identity, other] = rest;
      if (!identity || !other || rest.length !== 2) throw new UsageError('usage: switchboard users link <channel>:<userId> <channel>:<userId>');
      const result = (await runStoreCommand(context, 'users.link', { identity, other })) as { identities: string[]; role: string };
      context.stdout.write(`${result.identities.join(' = ')} (${result.role})\n`);
      return 0;
    }
    if (sub === 'prefer') {
      const [identity, channel] = rest;
      if (!identity || !channel || rest.length !== 2) throw new UsageError('usage: switchboard users prefer <channel>:<userId> <channel>');
      await runStoreCommand(context, 'users.prefer', { identity, channel });
      context.stdout.write(`${identity} gets reminders on ${channel}\n`);
      return 0;
    }
    if (sub === 'list') {
      const people = (await runStoreCommand(context, 'users.list', {})) as ListedPerson[];
      if (rest.includes('--json')) {
        context.stdout.write(`${JSON.stringify(people)}\n`);
        return 0;
      }
      if (people.length === 0) context.stdout.write('No people yet.\n');
      for (const p of people) {
        context.stdout.write(`${p.role.padEnd(10)} ${p.identities.join(', ')}${p.name ? `  (${p.name})` : ''}\n`);
      }
      return 0;
    }
    throw new UsageError(`usage: switchboard ${this.usage}`);
  },
};
