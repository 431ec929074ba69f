import { runStoreCommand } from '../admin-client.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

export const pairingCommand: CliCommand = {
  usage: 'pairing approve <code> <role> [--confirm "<phrase>"]',
  summary: 'give the person behind a pairing code a role (admin and owner need the typed phrase)',
  details: [
    'The code is the one the bot gave the person when they first wrote. Roles: owner, admin, developer,',
    'sales, client. Without --confirm for a role that needs it, the command prints the phrase to type.',
  ].join('\n'),
  async run(args, context) {
    const { positionals, values } = parseCommandArgs(this, args, { confirm: { type: 'string' } }, { min: 3, max: 3 });
    const [sub, code, role] = positionals as [string, string, string];
    if (sub !== 'approve') throw new UsageError(`usage: switchboard ${this.usage}`);
    const confirm = values.confirm;
    if (confirm !== undefined && !confirm.trim()) throw new UsageError('--confirm needs the phrase, in quotes');
    const result = (await runStoreCommand(context, 'pairing.approve', { code, role, ...(confirm ? { confirm } : {}) })) as {
      identity: string;
      role: string;
    };
    context.stdout.write(`${result.identity} is now ${result.role}\n`);
    return 0;
  },
};
