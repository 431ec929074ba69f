import type { Understanding } from '../../intents/index.js';
import type { Command } from './agent-state.js';

export type ParsedCommand = { command: Command } | { understanding: Understanding } | { unknown: string };

/**
 * Slash commands, read before understanding: `/approve CODE ROLE` (an admin pairing someone),
 * and `/help`, `/start`, `/cancel` as plain intents. Telegram appends `@botname` to commands in groups.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const match = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.*))?$/is.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  const args = (match[2] ?? '').trim().split(/\s+/).filter(Boolean);
  const intent = (id: 'help' | 'cancel'): ParsedCommand => ({ understanding: { intent: id, confidence: 1, slots: {}, source: 'offline', alternatives: [] } });
  switch (name) {
    case 'approve':
      return { command: { action: 'people.approve', args } };
    // `/merge 12 7`: fold contact #7 into #12 (tools/crm), previewed and confirmed like any risky action.
    case 'merge':
      return { command: { action: 'crm.contact.merge', args } };
    case 'help':
    case 'start':
    case 'switchboard':
      return intent('help');
    case 'cancel':
      return intent('cancel');
    default:
      return { unknown: name };
  }
}
