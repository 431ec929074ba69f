import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../../channels/slack/index.js';
import { SLASH_COMMAND_FORM } from './fixtures.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

function form(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...Object.fromEntries(new URLSearchParams(SLASH_COMMAND_FORM)), ...overrides };
}

describe('slash commands', () => {
  it("reads Slack's sample as /deploy: the command word and its text, in the channel, acknowledged privately", () => {
    const parsed = parseSlashCommand(form({ command: '/deploy', text: 'soarix-web production' }), NOW);
    expect(parsed).toEqual({
      kind: 'messages',
      messages: [
        {
          channel: 'slack',
          messageId: 'command:13345224609.738474920.8088930838d88f008e0',
          conversation: 'C2147483705',
          user: { id: 'U2147483697', displayName: 'Steve' },
          text: 'deploy soarix-web production',
          receivedAt: NOW,
        },
      ],
      ack: {
        status: 200,
        contentType: 'application/json',
        body: { response_type: 'ephemeral', text: expect.stringMatching(/^On it: `\/deploy soarix-web production`\. I'll answer here\. To answer me in this channel, use `\/switchboard/) },
      },
    });
  });

  it('reads /switchboard as its text alone, and a bare /switchboard as help', () => {
    const text = (fields: Record<string, string>) => (parseSlashCommand(form(fields), NOW) as { messages: { text: string }[] }).messages[0]!.text;
    expect(text({ command: '/switchboard', text: 'help' })).toBe('help');
    expect(text({ command: '/switchboard', text: 'CONFIRM DELETE TASK 3' })).toBe('CONFIRM DELETE TASK 3');
    expect(text({ command: '/switchboard', text: '' })).toBe('help');
    expect(text({ command: '/task', text: 'remind me to call <@U0JOHN|john> &amp; Acme' })).toBe('task remind me to call @john & Acme');
    expect(text({ command: '/build', text: '' })).toBe('build');
  });

  it('does not tell a direct message to use /switchboard', () => {
    const parsed = parseSlashCommand(form({ command: '/task', text: 'list', channel_id: 'D024BE91L' }), NOW);
    expect(parsed).toMatchObject({ kind: 'messages', messages: [{ conversation: 'D024BE91L' }] });
    expect(JSON.stringify(parsed)).not.toMatch(/\/switchboard/);
  });

  it("answers a command it does not know (Slack's sample /weather) directly and hands nothing to the bot", () => {
    expect(parseSlashCommand(form(), NOW)).toEqual({
      kind: 'response',
      response: { status: 200, contentType: 'application/json', body: { response_type: 'ephemeral', text: "I don't know the command /weather. Try `/switchboard help`." } },
    });
  });

  it('refuses a form without the fields every command has (400)', () => {
    for (const missing of ['command', 'channel_id', 'user_id', 'trigger_id']) {
      const fields = form({ command: '/task' });
      delete fields[missing];
      expect(() => parseSlashCommand(fields, NOW), missing).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => parseSlashCommand(form({ command: 'task' }), NOW)).toThrow(/command/);
  });
});
