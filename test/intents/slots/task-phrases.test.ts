import { describe, expect, it } from 'vitest';
import { leadingTaskVerb, readClauseStart, removeFillers, stripLeadIn } from '../../../intents/slots/index.js';

describe('readClauseStart', () => {
  it.each([
    ['remind me to call John', 'reminder'],
    ['um, okay, remind me to call John', 'reminder'],
    ["don't forget to water the plants", 'reminder'],
    ['add a task: book flights', 'reminder'],
    ['make sure I call John', 'reminder'],
    ['I need to book flights', 'obligation'],
    ["we've got to renew the domain", 'obligation'],
    ["I'll call John tomorrow", 'obligation'],
    ['need to prepare slides', 'obligation'],
    ['I have a meeting tomorrow', 'none'],
    ["I'll be out tomorrow", 'none'],
    ['ask Priya to review the PR', 'assignee'],
    ['tell sam to call Acme', 'assignee'],
    ['Maria needs to send the invoice', 'assignee'],
    ['ask the team to review', 'task-verb'],
    ['email Mary', 'task-verb'],
    ['pick up the kids', 'task-verb'],
    ['deploy the landing page to staging', 'request'],
    ['I need to deploy soarix-web', 'request'],
    ['build soarix-web', 'request'],
    ['mark call John as done', 'request'],
    ['notify me when the build fails', 'request'],
    ['the meeting went well', 'none'],
    ['Mary the deck', 'none'],
    ['', 'none'],
  ])('%j → %s', (text, kind) => {
    expect(readClauseStart(text)).toBe(kind);
  });

  it('reads a capitalised verb as a verb only at the start of a sentence', () => {
    expect(readClauseStart('Mark the invoice as paid', { sentenceStart: true })).toBe('task-verb');
    expect(readClauseStart('Mark tomorrow')).toBe('none');
  });

  it('reads questions only at the start of a sentence', () => {
    expect(readClauseStart("what's due tomorrow", { sentenceStart: true })).toBe('request');
    expect(readClauseStart('what he asked for')).toBe('none');
  });
});

describe('fillers and lead-ins', () => {
  it('removes hesitations and asides wherever they are', () => {
    expect(removeFillers('call um John, you know, uh tomorrow').replace(/\s+/g, ' ')).toBe('call John, tomorrow');
    expect(removeFillers('the umbrella and the hummus')).toBe('the umbrella and the hummus');
  });

  it('strips greetings and discourse markers at the start only', () => {
    expect(stripLeadIn('okay so um right, call John')).toBe('call John');
    expect(stripLeadIn('and then email Sam')).toBe('email Sam');
    expect(stripLeadIn('remind me to call John')).toBe('remind me to call John');
  });

  it('names the to-do verb a title starts with', () => {
    expect(leadingTaskVerb('call John')).toBe('call');
    expect(leadingTaskVerb('Jane on Friday')).toBeUndefined();
  });
});
