import { StubUnderstander } from '../../../support/stub-understander.js';

/**
 * What "the model" understood for the DNS conversations: `add <type> <name> on <domain> <value>` and
 * `delete <type> <name> on <domain> [<value>]` (a trailing "ttl N" stays in the text, where the tool reads it).
 * The understanding itself is tested in test/intents; these tests are about what the tools do with it.
 */
export const dnsUnderstander = (): StubUnderstander =>
  new StubUnderstander([
    [/^(?:change|add) (\S+) (\S+) on (\S+) (.+?)(?: ttl \d+)?$/i, 'domain.dns.add', { recordType: '$1', recordName: '$2', domain: '$3', recordValue: '$4' }],
    [/^delete (\S+) (\S+) on (\S+) (.+)$/i, 'domain.dns.delete', { recordType: '$1', recordName: '$2', domain: '$3', recordValue: '$4' }],
    [/^delete (\S+) (\S+) on (\S+)$/i, 'domain.dns.delete', { recordType: '$1', recordName: '$2', domain: '$3' }],
  ]);
