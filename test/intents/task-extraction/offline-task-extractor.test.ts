import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OfflineTaskExtractor,
  TaskDraftSchema,
  type KnownContact,
  type KnownPerson,
  type TaskExtractionContext,
} from '../../../intents/task-extraction/index.js';

// Wednesday 18 November 2026, 10:00 in London (GMT, +00:00).
const WEDNESDAY = Date.parse('2026-11-18T10:00:00Z');

const PEOPLE: KnownPerson[] = [
  { id: 'u-priya', name: 'Priya Shah' },
  { id: 'u-sam-lee', name: 'Sam Lee' },
  { id: 'u-sam-patel', name: 'Sam Patel' },
  { id: 'u-maria', name: 'Maria Garcia' },
];
const CONTACTS: KnownContact[] = [
  { id: 'c-john', name: 'John Smith', company: 'Smith & Co' },
  { id: 'c-jane', name: 'Jane Doe', company: 'Acme Ltd' },
];

function context(overrides: Partial<TaskExtractionContext> = {}): TaskExtractionContext {
  return { now: WEDNESDAY, timezone: 'Europe/London', apps: [], people: PEOPLE, contacts: [], ...overrides };
}

const extractor = new OfflineTaskExtractor();
const extract = (text: string, overrides: Partial<TaskExtractionContext> = {}) => extractor.extract(text, context(overrides));
const titles = async (text: string, overrides: Partial<TaskExtractionContext> = {}) => (await extract(text, overrides)).map((task) => task.title);
const dues = async (text: string, now: string, timezone: string) =>
  (await extract(text, { now: Date.parse(now), timezone })).map((task) => [task.title, task.due]);

describe('OfflineTaskExtractor: the voice note of the design', () => {
  it('turns it into two tasks with their due dates (a date without a time is 09:00 local)', async () => {
    const tasks = await extract('remind me to call John tomorrow at five and send Acme the proposal by Friday');
    expect(tasks).toEqual([
      { title: 'call John', due: '2026-11-19T17:00:00+00:00', sourceText: 'remind me to call John tomorrow at five' },
      { title: 'send Acme the proposal', due: '2026-11-20T09:00:00+00:00', sourceText: 'send Acme the proposal by Friday' },
    ]);
    for (const task of tasks) expect(TaskDraftSchema.safeParse(task).success).toBe(true);
  });

  it('links the tasks to the CRM contacts they name', async () => {
    const tasks = await extract('remind me to call John tomorrow at five and send Acme the proposal by Friday', { contacts: CONTACTS });
    expect(tasks.map((task) => [task.title, task.contactIds])).toEqual([
      ['call John', ['c-john']],
      ['send Acme the proposal', ['c-jane']],
    ]);
  });

  it('gives the same result without punctuation, in lower case and with fillers', async () => {
    const tasks = await extract('so um yeah remind me to call john tomorrow at five uh send acme the proposal by friday');
    expect(tasks.map((task) => [task.title, task.due])).toEqual([
      ['call john', '2026-11-19T17:00:00+00:00'],
      ['send acme the proposal', '2026-11-20T09:00:00+00:00'],
    ]);
  });
});

describe('OfflineTaskExtractor: due dates across boundaries', () => {
  it('said on a Saturday: "by Friday" is next week\'s, "next Monday" the coming Monday', async () => {
    expect(await dues('call John by Friday and email Sam next Monday', '2026-11-21T10:00:00Z', 'Europe/London')).toEqual([
      ['call John', '2026-11-27T09:00:00+00:00'],
      ['email Sam', '2026-11-23T09:00:00+00:00'],
    ]);
  });

  it('said on a Sunday: "on Tuesday" and "by Friday" are in the week ahead', async () => {
    expect(await dues('send the invoice on Tuesday and book flights by Friday', '2026-11-22T10:00:00Z', 'Europe/London')).toEqual([
      ['send the invoice', '2026-11-24T09:00:00+00:00'],
      ['book flights', '2026-11-27T09:00:00+00:00'],
    ]);
  });

  it('said on 30 January: "on the 2nd" and "in three days" are in February', async () => {
    expect(await dues('pay the rent on the 2nd and call the bank in three days', '2026-01-30T10:00:00Z', 'Europe/London')).toEqual([
      ['pay the rent', '2026-02-02T09:00:00+00:00'],
      ['call the bank', '2026-02-02T09:00:00+00:00'],
    ]);
  });

  it('said on 31 January: "end of month" is today 17:00, "on the 2nd" is in February', async () => {
    expect(await dues('send the report by end of month and call John on the 2nd', '2026-01-31T10:00:00Z', 'Europe/London')).toEqual([
      ['send the report', '2026-01-31T17:00:00+00:00'],
      ['call John', '2026-02-02T09:00:00+00:00'],
    ]);
  });

  it('said on 31 December: "tomorrow" and "on the 2nd" are in the new year', async () => {
    expect(
      await dues('remind me to renew the domain tomorrow and email the accountant on the 2nd', '2026-12-31T15:00:00Z', 'Europe/London'),
    ).toEqual([
      ['renew the domain', '2027-01-01T09:00:00+00:00'],
      ['email the accountant', '2027-01-02T09:00:00+00:00'],
    ]);
  });

  it('London, the day before the clocks go back (25 October 2026): tomorrow is on GMT', async () => {
    expect(await dues('call John tomorrow at 9 and email Sam tomorrow at five', '2026-10-24T12:00:00Z', 'Europe/London')).toEqual([
      ['call John', '2026-10-25T09:00:00+00:00'],
      ['email Sam', '2026-10-25T17:00:00+00:00'],
    ]);
  });

  it('New York, the day before the clocks go forward (8 March 2026): tomorrow is on EDT, for both tasks', async () => {
    expect(await dues('tomorrow at 9 call the bank and email Sam', '2026-03-07T17:00:00Z', 'America/New_York')).toEqual([
      ['call the bank', '2026-03-08T09:00:00-04:00'],
      ['email Sam', '2026-03-08T09:00:00-04:00'],
    ]);
  });

  it('Auckland, already Thursday while UTC says Wednesday: "today" is Thursday', async () => {
    expect(await dues('call John today at 3pm and email Sam tomorrow', '2026-11-18T11:30:00Z', 'Pacific/Auckland')).toEqual([
      ['call John', '2026-11-19T15:00:00+13:00'],
      ['email Sam', '2026-11-20T09:00:00+13:00'],
    ]);
  });

  it('Los Angeles late on Wednesday evening, when UTC is already Thursday: "tomorrow" is Thursday', async () => {
    expect(await dues('call John tomorrow at 10 and send the deck by Friday', '2026-11-19T06:30:00Z', 'America/Los_Angeles')).toEqual([
      ['call John', '2026-11-19T10:00:00-08:00'],
      ['send the deck', '2026-11-20T09:00:00-08:00'],
    ]);
  });

  it('Kolkata (+05:30) after midnight, when UTC is still on the day before', async () => {
    expect(await dues('call John today at 4 and email Sam tomorrow', '2026-11-18T20:00:00Z', 'Asia/Kolkata')).toEqual([
      ['call John', '2026-11-19T16:00:00+05:30'],
      ['email Sam', '2026-11-20T09:00:00+05:30'],
    ]);
  });
});

describe('OfflineTaskExtractor: a date said once', () => {
  it('applies a date said first to every task of the sentence', async () => {
    expect((await extract('tomorrow I need to call John and email Sam')).map((task) => [task.title, task.due])).toEqual([
      ['call John', '2026-11-19T09:00:00+00:00'],
      ['email Sam', '2026-11-19T09:00:00+00:00'],
    ]);
    expect((await extract('remind me on Friday to call John and email Sam')).map((task) => task.due)).toEqual([
      '2026-11-20T09:00:00+00:00',
      '2026-11-20T09:00:00+00:00',
    ]);
  });

  it('shares only the date said first, not a time said later for the first task', async () => {
    expect((await extract('tomorrow I need to call John at 5 and email Sam')).map((task) => task.due)).toEqual([
      '2026-11-19T17:00:00+00:00',
      '2026-11-19T09:00:00+00:00',
    ]);
  });

  it('applies a date marked as shared ("both by Friday")', async () => {
    expect((await extract('call John and email Sam, both by Friday')).map((task) => [task.title, task.due])).toEqual([
      ['call John', '2026-11-20T09:00:00+00:00'],
      ['email Sam', '2026-11-20T09:00:00+00:00'],
    ]);
  });

  it('keeps a date said at the end of a task for that task only', async () => {
    expect((await extract('call the bank, email Sam and book flights tomorrow')).map((task) => [task.title, task.due])).toEqual([
      ['call the bank', undefined],
      ['email Sam', undefined],
      ['book flights', '2026-11-19T09:00:00+00:00'],
    ]);
  });

  it('keeps an own date over a shared one, and a date said first stays in its sentence', async () => {
    expect(
      (await extract('Tomorrow I need to call John and email Sam on Friday. Book flights.')).map((task) => [task.title, task.due]),
    ).toEqual([
      ['call John', '2026-11-19T09:00:00+00:00'],
      ['email Sam', '2026-11-20T09:00:00+00:00'],
      ['Book flights', undefined],
    ]);
  });

  it('reads a date that speech-to-text cut off with a full stop', async () => {
    expect((await extract('Call John. Tomorrow at five.')).map((task) => [task.title, task.due])).toEqual([
      ['Call John', '2026-11-19T17:00:00+00:00'],
    ]);
    expect((await extract('Tomorrow. Call John and email Sam.')).map((task) => [task.title, task.due])).toEqual([
      ['Call John', '2026-11-19T09:00:00+00:00'],
      ['email Sam', '2026-11-19T09:00:00+00:00'],
    ]);
  });
});

describe('OfflineTaskExtractor: assignees', () => {
  it('assigns a known person and takes the request out of the title', async () => {
    expect(await extract('ask Priya to send Acme the proposal by Friday')).toEqual([
      {
        title: 'send Acme the proposal',
        due: '2026-11-20T09:00:00+00:00',
        assignee: { personId: 'u-priya', name: 'Priya Shah' },
        sourceText: 'ask Priya to send Acme the proposal by Friday',
      },
    ]);
  });

  it('matches a first or full name in any case, and "X needs to"', async () => {
    expect((await extract('tell priya shah to book the venue'))[0]?.assignee).toEqual({ personId: 'u-priya', name: 'Priya Shah' });
    expect(await extract('Maria needs to send the invoice')).toEqual([
      { title: 'send the invoice', assignee: { personId: 'u-maria', name: 'Maria Garcia' }, sourceText: 'Maria needs to send the invoice' },
    ]);
  });

  it('keeps an unknown name in the title and assigns nobody', async () => {
    expect(await extract('ask Bob to review the PR')).toEqual([{ title: 'Ask Bob to review the PR', sourceText: 'ask Bob to review the PR' }]);
  });

  it('assigns nobody when the name fits two people', async () => {
    expect(await extract('tell Sam to call the printer tomorrow')).toEqual([
      { title: 'Tell Sam to call the printer', due: '2026-11-19T09:00:00+00:00', sourceText: 'tell Sam to call the printer tomorrow' },
    ]);
    expect((await extract('tell Sam Patel to call the printer'))[0]?.assignee).toEqual({ personId: 'u-sam-patel', name: 'Sam Patel' });
  });

  it('leaves "remind me" unassigned: the caller assigns the sender', async () => {
    const [task] = await extract('remind me to call John');
    expect(task).toEqual({ title: 'call John', sourceText: 'remind me to call John' });
    expect(task).not.toHaveProperty('assignee');
  });

  it('gives every task asked of one person to that person', async () => {
    expect((await extract('ask Priya to call John and email Sam')).map((task) => [task.title, task.assignee?.personId])).toEqual([
      ['call John', 'u-priya'],
      ['email Sam', 'u-priya'],
    ]);
    expect(await titles('ask Bob to call John and email Sam')).toEqual(['Ask Bob to call John', 'Ask Bob to email Sam']);
  });

  it('reads several people in one message', async () => {
    const tasks = await extract('ask Priya to review the contract on Monday and Maria needs to chase the invoice and remind me to book flights');
    expect(tasks.map((task) => [task.title, task.assignee?.name, task.due])).toEqual([
      ['review the contract', 'Priya Shah', '2026-11-23T09:00:00+00:00'],
      ['chase the invoice', 'Maria Garcia', undefined],
      ['book flights', undefined, undefined],
    ]);
  });
});

describe('OfflineTaskExtractor: splitting', () => {
  it.each([
    ['call John and email Mary', ['call John', 'email Mary']],
    ['send John and Mary the deck', ['send John and Mary the deck']],
    ['buy milk and eggs', ['buy milk and eggs']],
    ['review and sign the contract', ['review and sign the contract']],
    ['call John and Mark tomorrow', ['call John and Mark']],
    ['send John, Mary and Sam the deck', ['send John, Mary and Sam the deck']],
    ['call John, email Sam, and book flights', ['call John', 'email Sam', 'book flights']],
    ['buy milk and water and call mom', ['buy milk and water', 'call mom']],
    ['call John then email Sam plus book the flights', ['call John', 'email Sam', 'book the flights']],
  ])('%s', async (text, expected) => {
    expect(await titles(text)).toEqual(expected);
  });

  it('splits three tasks said in one breath, without punctuation or "and"', async () => {
    const tasks = await extract('call John tomorrow email Sam on Friday and book flights next week');
    expect(tasks.map((task) => [task.title, task.due])).toEqual([
      ['call John', '2026-11-19T09:00:00+00:00'],
      ['email Sam', '2026-11-20T09:00:00+00:00'],
      ['book flights', '2026-11-23T09:00:00+00:00'],
    ]);
  });

  it('splits three tasks with three ways of asking', async () => {
    expect(
      await titles('remind me to call John tomorrow at five and I need to send Acme the proposal by Friday and also ask Bob to review it'),
    ).toEqual(['call John', 'send Acme the proposal', 'Ask Bob to review it']);
  });

  it('takes out fillers wherever they are', async () => {
    expect(
      (await extract('okay so uh I need to um call the plumber tomorrow morning and then, you know, pick up the kids at three')).map(
        (task) => [task.title, task.due],
      ),
    ).toEqual([
      ['call the plumber', '2026-11-19T09:00:00+00:00'],
      ['pick up the kids', '2026-11-18T15:00:00+00:00'],
    ]);
  });

  it('borrows the verb of the task before when the second one has none', async () => {
    expect((await extract('call John tomorrow and Jane on Friday')).map((task) => [task.title, task.due])).toEqual([
      ['call John', '2026-11-19T09:00:00+00:00'],
      ['call Jane', '2026-11-20T09:00:00+00:00'],
    ]);
  });

  it('reads "need to …" after a statement as a task of its own', async () => {
    expect(extractor.split('I have a meeting tomorrow at 3 and need to prepare slides', context())).toEqual({
      tasks: [{ title: 'prepare slides', sourceText: 'need to prepare slides' }],
      other: [],
      ignored: ['I have a meeting tomorrow at 3'],
    });
  });

  it('reads a to-do with a date but no verb', async () => {
    expect((await extract('dentist tomorrow at 3')).map((task) => [task.title, task.due])).toEqual([
      ['dentist', '2026-11-19T15:00:00+00:00'],
    ]);
  });
});

describe('OfflineTaskExtractor: what is not a task', () => {
  it.each(['okay so the meeting went well', 'thanks, that is all', 'the client loved it', 'the meeting is tomorrow', 'it went fine yesterday'])(
    'no task in %j',
    async (text) => {
      expect(await extract(text)).toEqual([]);
    },
  );

  it('keeps the task and leaves the chatter and the other request out', async () => {
    const text = 'Okay, so. The meeting with Acme went well. Remind me to send them the proposal by Friday, and, uh, deploy the landing page to staging.';
    expect(extractor.split(text, context())).toEqual({
      tasks: [
        {
          title: 'send them the proposal',
          due: '2026-11-20T09:00:00+00:00',
          sourceText: 'Remind me to send them the proposal by Friday',
        },
      ],
      other: ['deploy the landing page to staging'],
      ignored: ['The meeting with Acme went well'],
    });
  });

  it('hands back questions and task requests with nothing to do in them', async () => {
    expect(extractor.split("what's due tomorrow? also remind me to book flights", context())).toEqual({
      tasks: [{ title: 'book flights', sourceText: 'also remind me to book flights' }],
      other: ["what's due tomorrow"],
      ignored: [],
    });
    expect(extractor.split('remind me tomorrow', context())).toEqual({ tasks: [], other: ['remind me tomorrow'], ignored: [] });
  });

  it('treats "remind me to deploy" as a task and "I need to deploy" as a request', async () => {
    expect(await titles('remind me to deploy the landing page on Friday')).toEqual(['deploy the landing page']);
    expect(extractor.split('I need to deploy the landing page to staging', context()).other).toEqual([
      'I need to deploy the landing page to staging',
    ]);
  });
});

describe('OfflineTaskExtractor: odd input', () => {
  const nasty = [
    '',
    '   \n\t ',
    '\u0000\u0001\u001b[31mcall John\u001b[0m tomorrow',
    '😀👨‍👩‍👧‍👦🏳️‍🌈'.repeat(500),
    '\uD800 lone \uDFFF surrogates and call John',
    '\u202Eesrever\u202C remind me to call John',
    'and and and , , , then then . . . ; ;',
    'call John and '.repeat(20_000),
    'remind me to call John tomorrow at five and send Acme the proposal by Friday. '.repeat(1_000),
    'ﾘﾏｲﾝﾄﾞ call ｊｏｈｎ ｔｏｍｏｒｒｏｗ',
  ];

  it.each(nasty.map((text) => [JSON.stringify(text.slice(0, 40)), text]))('never throws, and drafts stay valid: %s', async (_label, text) => {
    const started = performance.now();
    const tasks = await extract(text, { contacts: CONTACTS });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(tasks.length).toBeLessThanOrEqual(30);
    for (const task of tasks) expect(TaskDraftSchema.safeParse(task).success).toBe(true);
  });

  it('never throws on arbitrary Unicode or shuffled pieces of requests, and keeps the draft contract', async () => {
    const fragments = [
      'remind me to', 'call', 'John', 'and', 'then', ',', '.', '?', 'um', 'uh', 'okay so', 'tomorrow', 'at five', 'by Friday',
      'on the 2nd', 'ask', 'Priya', 'Sam', 'Bob', 'to', 'needs to', 'deploy', 'staging', 'send Acme the proposal', 'both',
      'the meeting went well', '😀', '\u0000', '\n', 'Mark', 'email', 'and also', 'plus', 'Jane Doe', 'end of month',
    ];
    const split = (text: string) => extractor.split(text, context({ contacts: CONTACTS }));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((words) => words.join(' '))), (text) => {
        const parts = split(text);
        for (const task of parts.tasks) {
          expect(TaskDraftSchema.safeParse(task).success).toBe(true);
          if (task.assignee) expect(PEOPLE.map((person) => person.id)).toContain(task.assignee.personId);
        }
        for (const other of [...parts.other, ...parts.ignored]) expect(typeof other).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('survives a broken context', async () => {
    const broken = { now: Number.NaN, timezone: 'Mars/Olympus_Mons', apps: [], people: [{ id: '', name: '' }, null] } as unknown as TaskExtractionContext;
    // Without a usable clock no date can be resolved: the words stay in the title.
    expect(await extractor.extract('remind me to call John tomorrow', broken)).toEqual([
      { title: 'call John tomorrow', sourceText: 'remind me to call John tomorrow' },
    ]);
    const noPeople = { now: WEDNESDAY, timezone: 'Europe/London', apps: [] } as unknown as TaskExtractionContext;
    expect(await extractor.extract('ask Priya to call John', noPeople)).toEqual([
      { title: 'Ask Priya to call John', sourceText: 'ask Priya to call John' },
    ]);
  });
});

describe('OfflineTaskExtractor.mayHoldSeveral: the bound asked before people are looked up', () => {
  it('is false for a request for one task, true for a message of several', () => {
    expect(extractor.mayHoldSeveral('remind me to call acme tomorrow at 10', context())).toBe(false);
    expect(extractor.mayHoldSeveral('ask Priya to review the landing page copy by Friday', context())).toBe(false);
    expect(extractor.mayHoldSeveral('remind me to call John tomorrow at five and send Acme the proposal by Friday', context())).toBe(true);
    expect(extractor.mayHoldSeveral('call John. Email Sam.', context())).toBe(true);
  });

  it('never says "at most one" of a text that gives several tasks, whoever is known', () => {
    const fragments = [
      'remind me to', 'call', 'John', 'and', 'then', ',', '.', 'tomorrow', 'at five', 'by Friday', 'ask', 'Priya', 'Sam',
      'Maria', 'to', 'needs to', 'email', 'and also', 'plus', 'both', 'send Acme the proposal', '\n', 'Priya and Sam',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((words) => words.join(' ')), (text) => {
        if (extractor.mayHoldSeveral(text, context())) return;
        expect(extractor.split(text, context({ contacts: CONTACTS })).tasks.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });
});
