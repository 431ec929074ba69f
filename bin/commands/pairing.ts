import { runStoreCommand } from '../admin-client.js';
import { UsageError, type CliCommand } from '../cli-context.js';

export const pairingCommand: CliCommand = {
  usage: 'pairing approve <code> <role> [--confirm "<phrase>"]',
  summary: 'give the person behind a pairing code a role (admin and owner need the typed phrase)',
  async run(args, context) {
    const [sub, code, role, ...rest] = args;
    if (sub !== 'approve' || !code || !role) throw new UsageError(`usage: switchboard ${this.usage}`);
    const at = rest.indexOf('--confirm');
    const confirm = at >= 0 ? rest[at + 1] : undefined;
    if (at >= 0 && !confirm) throw new UsageError('--confirm needs the phrase, in quotes');
    const result = (await runStoreCommand(context, 'pairing.approve', { code, role, ...(confirm ? { confirm } : {}) })) as {
      identity: string;
      role: string;
    };
    context.stdout.write(`${result.identity} is now ${result.role}\n`);
    return 0;
  },
};
