import { describe, expect, it } from 'vitest';
import { ContactIndex, isSelf, matchPerson, type KnownPerson } from '../../../intents/task-extraction/index.js';

const PEOPLE: KnownPerson[] = [
  { id: 'u-priya', name: 'Priya Shah' },
  { id: 'u-sam-lee', name: 'Sam Lee' },
  { id: 'u-sam-patel', name: 'Sam Patel' },
  { id: 'u-zoe', name: 'Zoë O’Neil' },
  { id: 'u-samantha', name: 'Samantha Jones' },
];

describe('matchPerson', () => {
  it.each([
    ['Priya', 'u-priya'],
    ['priya', 'u-priya'],
    ['PRIYA SHAH', 'u-priya'],
    ['@u-priya', 'u-priya'],
    ['@priya', 'u-priya'],
    ['Sam Patel', 'u-sam-patel'],
    ['zoe', 'u-zoe'],
    ["Zoe O'Neil", 'u-zoe'],
    ['Samantha', 'u-samantha'],
  ])('%s is a known person', (name, id) => {
    expect(matchPerson(name, PEOPLE)).toEqual({ kind: 'known', person: PEOPLE.find((person) => person.id === id) });
  });

  it('finds two Sams ambiguous', () => {
    const match = matchPerson('Sam', PEOPLE);
    expect(match.kind).toBe('ambiguous');
    expect(match.kind === 'ambiguous' && match.candidates.map((person) => person.id)).toEqual(['u-sam-lee', 'u-sam-patel']);
  });

  it.each(['Bob', 'Priya Patel', 'Shah', '', '@', 'Sa'])('%j is nobody known', (name) => {
    expect(matchPerson(name, PEOPLE)).toEqual({ kind: 'unknown' });
  });

  it('knows the words for the sender', () => {
    expect(['me', 'Myself', 'I'].every(isSelf)).toBe(true);
    expect(isSelf('Priya')).toBe(false);
  });
});

describe('ContactIndex', () => {
  const index = new ContactIndex([
    { id: 'c-john', name: 'John Smith', company: 'Smith & Co' },
    { id: 'c-jane', name: 'Jane Doe', company: 'Acme Ltd' },
    { id: 'c-will', name: 'Will Turner', company: 'Globex' },
    { id: 'c-wendy', name: 'Wendy Turner', company: 'Globex' },
    { id: 'c-mark-1', name: 'Mark Green' },
    { id: 'c-mark-2', name: 'Mark Brown' },
    { id: 'c-madonna', name: 'Madonna' },
  ]);

  it.each([
    ['call John', ['c-john']],
    ['email jane doe about the renewal', ['c-jane']],
    ['send Acme the proposal', ['c-jane']],
    ['send the Acme Ltd invoice', ['c-jane']],
    ["send Jane Doe's contract and call John", ['c-jane', 'c-john']],
    ['book Madonna', ['c-madonna']],
    ['call Mark Brown', ['c-mark-2']],
  ])('%s → %j', (text, ids) => {
    expect(index.find(text)).toEqual(ids);
  });

  it.each([
    ['I will call the bank', 'a lower-case first name is a word'],
    ['send acme the proposal', 'a single-word company must be capitalised'],
    ['call Mark', 'two contacts are called Mark'],
    ['visit Globex', 'Globex has two contacts'],
    ['buy milk', 'no name at all'],
  ])('links nobody in %j (%s)', (text) => {
    expect(index.find(text)).toEqual([]);
  });

  it('links nobody without contacts', () => {
    expect(new ContactIndex([]).find('call John')).toEqual([]);
  });
});
