import { describe, expect, it } from 'vitest';
import { findTaskClauses } from '../../../intents/slots/index.js';
import { classifyClause, isTaskLike } from '../../../intents/task-extraction/index.js';

const CTX = { now: Date.parse('2026-11-18T10:00:00Z'), timezone: 'Europe/London' };

describe('isTaskLike', () => {
  it.each([
    'remind me to call John tomorrow',
    "don't forget to water the plants",
    'I need to book flights',
    'ask Priya to review the PR',
    'Maria needs to send the invoice',
    'call John and email Mary',
    'okay so, um, send Acme the proposal',
    'dentist tomorrow at 3',
    'the meeting went well, remind me to send the notes',
  ])('%j is task-like', (text) => {
    expect(isTaskLike(text, CTX)).toBe(true);
  });

  it.each([
    'okay so the meeting went well',
    'deploy the landing page to staging',
    'build soarix-web',
    'roll back production',
    "what's due tomorrow?",
    'show my tasks',
    'mark call John as done',
    'register acme.com for two years',
    'add a CNAME record for www',
    'I need to deploy the landing page',
    'notify me when the build fails',
    'the meeting is tomorrow',
    'thanks',
    '',
  ])('%j is not', (text) => {
    expect(isTaskLike(text, CTX)).toBe(false);
  });

  it('works without a context', () => {
    expect(isTaskLike('remind me to call John')).toBe(true);
    expect(isTaskLike('deploy the landing page to staging')).toBe(false);
  });
});

describe('classifyClause', () => {
  it('sorts the clauses of one message', () => {
    const { clauses } = findTaskClauses('okay so the meeting went well and remind me to call John and deploy the landing page to staging', CTX);
    expect(clauses.map((clause) => [clause.text, classifyClause(clause, CTX)])).toEqual([
      ['okay so the meeting went well', 'chatter'],
      ['remind me to call John', 'task'],
      ['deploy the landing page to staging', 'request'],
    ]);
  });

  it('reads a question as a request, unless it politely asks for a to-do', () => {
    const { clauses } = findTaskClauses('Acme call tomorrow? Can you book flights for Friday?', CTX);
    expect(clauses.map((clause) => [clause.text, classifyClause(clause, CTX)])).toEqual([
      ['Acme call tomorrow', 'request'],
      ['Can you book flights for Friday', 'task'],
    ]);
  });

  it('does not take a past date for a task', () => {
    const [clause] = findTaskClauses('Acme yesterday', CTX).clauses;
    expect(classifyClause(clause!, CTX)).toBe('chatter');
  });
});
