import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import type { Role } from '../../../core/roles.js';
import { PeopleRepo, TaskRepo, type Person, type Task } from '../../../store/index.js';
import { createTaskActions, taskSource } from '../../../tools/tasks/index.js';
import { RolePolicy, type ToolAction, type ToolContext } from '../../../tools/index.js';
import { resolveRecord, type Resolution, type ResolveContext } from '../../../tools/resolve/index.js';
import { embeddedTestDatabase, type TestDatabase } from '../../support/services.js';

/**
 * The resolver against a seeded store: several people, tasks with similar titles, numbers and
 * creation days. Each description resolves to the right task, asks a question listing exactly the
 * right candidates, or says what exists.
 */

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-03-05T15:00:00Z'); // a Thursday
const TZ = 'UTC';

let t: TestDatabase;
let tasks: TaskRepo;
let people: PeopleRepo;
const clock = new ManualClock(NOW - 3 * DAY);
const who: Record<string, Person> = {};
/** The seeded tasks by a short name, for the expectations. */
const task: Record<string, Task> = {};

async function person(id: string, name: string, role: Role): Promise<Person> {
  const p = await people.grant('webchat', id, role);
  await people.setDisplayName(p.id, name);
  return { ...p, displayName: name };
}

beforeAll(async () => {
  t = await embeddedTestDatabase();
  tasks = new TaskRepo(t.db, clock);
  people = new PeopleRepo(t.db, clock);
  who.ana = await person('ana', 'Ana', 'admin');
  who.bob = await person('bob', 'Bob', 'developer');
  who.sarah = await person('sarah', 'Sarah Connor', 'sales');
  who.sam = await person('sam', 'Sam Lee', 'developer');
  const add = async (key: string, title: string, assignee: Person, createdBy: Person = who.ana!) => {
    task[key] = await tasks.create({ title, dueAt: null, assigneeId: assignee.id, createdBy: createdBy.id, conversationId: null });
  };
  // Three days ago (Monday)
  await add('bobAcme', 'Call Acme about the renewal', who.bob!);
  await add('sarahAcme', 'Call Acme back', who.sarah!);
  await add('anaLanding', 'Update the landing page copy', who.ana!);
  await add('bobLanding', 'Landing page: new hero image', who.bob!, who.bob!);
  await add('samAcme', 'Email Acme about calling hours', who.sam!);
  await add('bobContract', 'Review the Acme contract', who.bob!);
  await tasks.complete(task.bobContract!.id, who.bob!.id);
  // Yesterday (Wednesday)
  await clock.advance(2 * DAY);
  await add('bobInvoice', 'Send Initech the invoice', who.bob!);
  await add('anaCalls', 'Calls with Cyberdyne', who.ana!);
  // Today
  await clock.advance(DAY - 2 * 60 * 60 * 1000);
  await add('anaFlights', 'Book flights to Berlin', who.ana!);
});

afterAll(async () => {
  await t.close();
});

function context(actor: Person, extra: Partial<ResolveContext> = {}): ResolveContext {
  return { actor, now: NOW, timezone: TZ, people, ...extra };
}

const resolve = (description: string, actor = who.ana!, extra: Partial<ResolveContext> = {}) =>
  resolveRecord(taskSource(tasks), description, context(actor, extra), 'delete');

/** The seeded names of the tasks a question offers, in its order. */
function offered(resolution: Resolution<Task>): string[] {
  if (!('question' in resolution)) throw new Error(`expected a question, got ${JSON.stringify(resolution)}`);
  return resolution.choices.map((c) => Object.keys(task).find((k) => task[k]!.id === c.value)!);
}

function found(resolution: Resolution<Task>): string {
  if (!('record' in resolution)) throw new Error(`expected one task, got ${JSON.stringify(resolution)}`);
  return Object.keys(task).find((k) => task[k]!.id === resolution.record.id)!;
}

describe('records found by description: tasks', () => {
  it.each([
    ["bob's task about calling acme", 'bobAcme'],
    ['the acme call for bob', 'bobAcme'],
    ['assigned to bob about acme', 'bobAcme'],
    ["sarah's acme task", 'sarahAcme'],
    ["Sarah Connor's task", 'sarahAcme'],
    ['landing page', 'anaLanding'], // the actor's own first
    ["bob's landing page task", 'bobLanding'],
    ['the hero image', 'bobLanding'], // nobody's own matches: everyone's
    ['task 7', 'bobInvoice'],
    ['#7', 'bobInvoice'],
    ['7', 'bobInvoice'],
    ['my latest task', 'anaFlights'],
    ['latest', 'anaFlights'],
    ["bob's latest task", 'bobInvoice'],
    ["bob's task from yesterday", 'bobInvoice'],
    ['the one from yesterday', 'anaCalls'],
    ['calls', 'anaCalls'], // "calls" and "call" share a stem: the actor's own one wins
    ['invoices', 'bobInvoice'],
    ["sam's task", 'samAcme'],
    ['emailing acme', 'samAcme'],
  ])('%s → %s', async (description, expected) => {
    expect(found(await resolve(description))).toBe(expected);
  });

  it('asks one numbered question listing exactly the tasks that match', async () => {
    const asked = await resolve('calling acme', who.sarah!);
    // Sarah's own match wins for her…
    expect(found(asked)).toBe('sarahAcme');
    // …and for someone with none of their own, every match is offered, in number order.
    const question = await resolve('calling acme', who.sam!);
    expect(found(question)).toBe('samAcme');
    const open = await resolve('call acme');
    expect(offered(open)).toEqual(['bobAcme', 'sarahAcme', 'samAcme']);
    expect('question' in open && open.question).toBe(
      [
        'Three open tasks about "call acme" — which one should I delete?',
        `1. #${task.bobAcme!.number} Call Acme about the renewal · Bob`,
        `2. #${task.sarahAcme!.number} Call Acme back · Sarah Connor`,
        `3. #${task.samAcme!.number} Email Acme about calling hours · Sam Lee`,
        'Answer with its number (1–3) or a word only it has.',
      ].join('\n'),
    );
  });

  it("asks about one person's tasks when the description fits several of theirs", async () => {
    expect(offered(await resolve("bob's task from monday"))).toEqual(['bobAcme', 'bobLanding']);
  });

  it('reads the answer to the question: a number, an ordinal, or a word only one option has', async () => {
    const question = await resolve('call acme');
    const choices = 'question' in question ? question.choices : [];
    expect(found(await resolve('2', who.ana!, { choices }))).toBe('sarahAcme');
    expect(found(await resolve('the third one', who.ana!, { choices }))).toBe('samAcme');
    expect(found(await resolve('the last one', who.ana!, { choices }))).toBe('samAcme');
    expect(found(await resolve('renewal', who.ana!, { choices }))).toBe('bobAcme');
    expect(found(await resolve('the one for sarah', who.ana!, { choices }))).toBe('sarahAcme');
    expect(found(await resolve('email', who.ana!, { choices }))).toBe('samAcme');
    // "#n" is a task's own number, not a position.
    expect(found(await resolve(`#${task.samAcme!.number}`, who.ana!, { choices }))).toBe('samAcme');
    // A word several options share asks again, about them only ("calling" and "call" share a stem).
    expect(offered(await resolve('call', who.ana!, { choices }))).toEqual(['bobAcme', 'sarahAcme', 'samAcme']);
    expect(offered(await resolve('call', who.ana!, { choices: choices.slice(0, 2) }))).toEqual(['bobAcme', 'sarahAcme']);
    // Something none of them has is a description of its own.
    expect(found(await resolve('the invoice', who.ana!, { choices }))).toBe('bobInvoice');
  });

  it('an option gone by the time of the answer is said, not replaced by another', async () => {
    const clockless = await resolve('landing page task', who.sam!);
    const choices = 'question' in clockless ? clockless.choices : [];
    expect(offered(clockless)).toEqual(['anaLanding', 'bobLanding']);
    await tasks.complete(task.anaLanding!.id, who.ana!.id);
    try {
      const answered = await resolve('1', who.sam!, { choices });
      expect(answered).toEqual({ none: `${choices[0]!.label} is no longer there to delete.` });
    } finally {
      await t.db.query(`UPDATE tasks SET status = 'open', completed_at = NULL, completed_by = NULL WHERE id = $1`, [task.anaLanding!.id]);
    }
  });

  it("says what exists when nothing matches: the named person's open tasks", async () => {
    const none = await resolve("bob's task about the contract");
    expect(none).toEqual({
      none: [
        `I can't find an open task of Bob's about "contract". Bob has 3 open tasks:`,
        `• #${task.bobInvoice!.number} Send Initech the invoice · Bob`,
        `• #${task.bobLanding!.number} Landing page: new hero image · Bob`,
        `• #${task.bobAcme!.number} Call Acme about the renewal · Bob`,
      ].join('\n'),
    });
  });

  it("says what exists when nothing matches: the actor's own open tasks", async () => {
    const none = await resolve('acme invoice');
    expect('none' in none && none.none).toBe(
      [
        `I can't find an open task about "acme invoice". You have 3 open tasks:`,
        `• #${task.anaFlights!.number} Book flights to Berlin · Ana`,
        `• #${task.anaCalls!.number} Calls with Cyberdyne · Ana`,
        `• #${task.anaLanding!.number} Update the landing page copy · Ana`,
      ].join('\n'),
    );
    expect(await resolve(`task ${task.bobContract!.number}`, who.bob!)).toMatchObject({
      none: expect.stringMatching(new RegExp(`^There is no open task #${task.bobContract!.number}\\. You have 3 open tasks:`)),
    });
    expect(await resolve("zed's task")).toMatchObject({ none: expect.stringMatching(/^I can't find an open task about "zed"\. You have 3 open tasks/) });
  });

  it("lists nobody else's tasks back to a role that may not see them", async () => {
    expect(await resolve("bob's task about the contract", who.sam!, { seesOthers: false })).toEqual({
      none: `I can't find an open task of Bob's about "contract".`,
    });
    // Their own, yes.
    expect(await resolve('the contract', who.sam!, { seesOthers: false })).toMatchObject({ none: expect.stringMatching(/You have 1 open task/) });
  });

  it('never takes a done task, and every query it makes is bounded', async () => {
    const source = taskSource(tasks);
    const limits: number[] = [];
    const counting = { ...source, find: (q: Parameters<typeof source.find>[0], actor: Person) => (limits.push(q.limit), source.find(q, actor)) };
    const result = await resolveRecord(counting, 'the acme contract', context(who.ana!), 'delete');
    expect('record' in result).toBe(false);
    expect(limits.length).toBeGreaterThan(0);
    expect(Math.max(...limits)).toBeLessThanOrEqual(20);
  });
});

describe('the task actions prepare with the resolver', () => {
  const actions = () => createTaskActions({ tasks, people, policy: new RolePolicy() }) as unknown as ToolAction[];
  const action = (name: string) => actions().find((a) => a.name === name)!;
  const ctx = (actor: Person, choices?: ToolContext['choices']): ToolContext => ({
    actor,
    conversationId: '00000000-0000-4000-8000-000000000001',
    now: NOW,
    timezone: TZ,
    text: '',
    ...(choices ? { choices } : {}),
  });

  it('reads an assignee an understander gave apart from the title (Claude: "calling acme" + "Bob")', async () => {
    const prepared = await action('task.delete').prepare({ title: 'calling acme', assignee: 'Bob' }, ctx(who.ana!));
    expect(prepared).toMatchObject({ ok: true, params: { taskId: task.bobAcme!.id, createdByName: 'Ana' } });
    const mine = await action('task.complete').prepare({ title: 'landing page', assignee: 'me' }, ctx(who.bob!));
    expect(mine).toMatchObject({ ok: true, params: { taskId: task.bobLanding!.id } });
  });

  it('asks with choices, and the answer to them picks one', async () => {
    const asked = await action('task.delete').prepare({ title: 'call acme' }, ctx(who.ana!));
    if (asked.ok || !('question' in asked)) throw new Error(`expected a question: ${JSON.stringify(asked)}`);
    expect(asked.slot).toBe('title');
    expect(asked.choices?.map((c) => c.value)).toEqual([task.bobAcme!.id, task.sarahAcme!.id, task.samAcme!.id]);
    // The assignee of the first message stays in the slots; the answer is read alone.
    expect(await action('task.delete').prepare({ title: '2', assignee: 'Bob' }, ctx(who.ana!, asked.choices))).toMatchObject({
      ok: true,
      params: { taskId: task.sarahAcme!.id },
    });
  });

  it("lists someone's tasks back to an admin, not to a developer, when nothing matches", async () => {
    const forAdmin = await action('task.complete').prepare({ title: "bob's budget task" }, ctx(who.ana!));
    expect(forAdmin).toMatchObject({ ok: false, refusal: expect.stringMatching(/Bob has 3 open tasks:/) });
    const forDeveloper = await action('task.complete').prepare({ title: "bob's budget task" }, ctx(who.sam!));
    expect(forDeveloper).toEqual({ ok: false, refusal: `I can't find an open task of Bob's about "budget".` });
  });
});
