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

  it.each([
    ["what's on bob's list?", 'Bob'],
    ['show bob’s tasks', 'Bob'],
    ['list tasks for sam', 'Sam'],
    ['what is Priya working on?', 'Priya'],
    ['what does bob have to do this week', 'Bob'],
    ["whats on sarah's plate", 'Sarah'],
    ["show everyone's tasks", 'everyone'],
    ["list the team's tasks", 'everyone'],
    ["what's on my list", 'me'],
  ])('reads whose list in %j when listing tasks, lower-case names too', (text, expected) => {
    expect(extractAssignee(text, { trailingFor: true })).toBe(expected);
  });

  it.each(['tasks for next week', 'what are you working on', 'what is he working on', 'tasks for tomorrow'])('names nobody in %j', (text) => {
    expect(extractAssignee(text, { trailingFor: true })).toBeUndefined();
  });

  it("keeps lower-case names out of new tasks (\"call bob's lawyer\" is not for Bob)", () => {
    expect(extractAssignee("remind me to call bob's lawyer")).toBeUndefined();
  });

  it('spans the whole phrase so a title can leave it out', () => {
    const text = 'add a task for Priya: review the PR';
    const match = findAssignee(text)!;
    expect(text.slice(match.spans[0]!.start, match.spans[0]!.end)).toBe('for Priya');
  });
});
