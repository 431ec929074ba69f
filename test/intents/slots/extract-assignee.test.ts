import { describe, expect, it } from 'vitest';
import { extractAssignee, findAssignee } from '../../../intents/slots/index.js';

describe('extractAssignee', () => {
  it.each([
    ['ask Priya to send Acme the proposal by Friday', 'Priya'],
    ['ask priya to call john', 'Priya'],
    ['tell John Smith to call Acme', 'John Smith'],
    ['assign to Sam', 'Sam'],
    ['call Acme tomorrow and assign it to me', 'me'],
    ['add a task for Priya: review the PR', 'Priya'],
    ['for Priya: review PR', 'Priya'],
    ['Priya should send the invoice', 'Priya'],
    ['assignee: Sam', 'Sam'],
    ['@priya review the PR', '@priya'],
    ["show Priya's tasks", 'Priya'],
    ['my tasks for today', 'me'],
    ['tasks for Sam', 'Sam'],
  ])('%s → %s', (text, expected) => {
    expect(extractAssignee(text)).toBe(expected);
  });

  it.each(['remind me to call John', 'ask the team to review', 'ask someone to check', 'email jane@acme.com', 'buy flowers for Mum', ''])(
    'finds no assignee in %j',
    (text) => {
      expect(extractAssignee(text)).toBeUndefined();
    },
  );

  it('reads a trailing "for <Name>" only when asked to (task lists)', () => {
    expect(extractAssignee("what's due tomorrow for Priya?")).toBeUndefined();
    expect(extractAssignee("what's due tomorrow for Priya?", { trailingFor: true })).toBe('Priya');
  });

  it('spans the whole phrase so a title can leave it out', () => {
    const text = 'add a task for Priya: review the PR';
    const match = findAssignee(text)!;
    expect(text.slice(match.spans[0]!.start, match.spans[0]!.end)).toBe('for Priya');
  });
});
