import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { AuditLog } from '../../../store/durable/audit-log.js';
import { DEFERRED_CHECKPOINT, ThreadCheckpointSaver, type CheckpointSink } from '../../../store/durable/thread-checkpoint-saver.js';
import { ConfirmationRepo } from '../../../store/durable/confirmation-repo.js';
import { PairingRepo } from '../../../store/durable/pairing-repo.js';
import { TaskRepo } from '../../../store/durable/task-repo.js';
import { ToolRunRepo } from '../../../store/durable/tool-run-repo.js';
import { ConversationRepo } from '../../../store/durable/conversation-repo.js';
import { MessageRepo } from '../../../store/durable/message-repo.js';
import { MIGRATIONS, migrate } from '../../../store/durable/migrations.js';
import { PeopleRepo } from '../../../store/durable/people-repo.js';
import type { Database } from '../../../store/durable/database.js';
import type { TestDatabase } from '../../support/services.js';

/** The behaviour the durable store must have on every PostgreSQL it runs on (embedded PGlite, a real server). */
export function describeDurableStoreContract(name: string, open: () => Promise<TestDatabase>): void {
  describe(`durable store contract: ${name}`, () => {
    let t: TestDatabase;
    let clock: ManualClock;
    let people: PeopleRepo;
    let conversations: ConversationRepo;
    let messages: MessageRepo;

    // One database per suite (PGlite takes seconds to start); every test starts from empty tables.
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t.close();
    });
    beforeEach(async () => {
      await truncateAll(t);
      clock = new ManualClock();
      people = new PeopleRepo(t.db, clock);
      conversations = new ConversationRepo(t.db, clock);
      messages = new MessageRepo(t.db, clock);
    });

    describe('migrations', () => {
      it('apply once; running them again changes nothing', async () => {
        expect(await migrate(t.db)).toEqual([]);
        const { rows } = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      });

      it('create the role table with every role', async () => {
        const { rows } = await t.db.query<{ name: string }>('SELECT name FROM roles ORDER BY rank');
        expect(rows.map((r) => r.name)).toEqual(['owner', 'admin', 'developer', 'sales', 'client', 'unknown']);
      });
    });

    describe('people and identities', () => {
      it('creates a person on first sight and finds the same one afterwards', async () => {
        const first = await people.resolve('webchat', 'alice', 'Alice', 'unknown');
        const again = await people.resolve('webchat', 'alice', 'Alice', 'developer');
        expect(again.id).toBe(first.id);
        expect(again.role).toBe('unknown');
        expect(first.createdAt).toBe(clock.now());
      });

      it('gives two simultaneous first messages the same person', async () => {
        const [a, b, c] = await Promise.all([
          people.resolve('slack', 'U1', undefined, 'unknown'),
          people.resolve('slack', 'U1', undefined, 'unknown'),
          people.resolve('slack', 'U1', undefined, 'unknown'),
        ]);
        expect(new Set([a!.id, b!.id, c!.id]).size).toBe(1);
        const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM people');
        expect(rows[0]!.n).toBe(1);
      });

      it('grants roles and lists people by rank with their identities', async () => {
        await people.resolve('webchat', 'stranger', undefined, 'unknown');
        await people.grant('webchat', 'bob', 'developer');
        await people.grant('telegram', '42', 'owner');
        const bob = await people.grant('webchat', 'bob', 'admin');
        expect(bob.role).toBe('admin');
        const list = await people.list();
        expect(list.map((p) => p.role)).toEqual(['owner', 'admin', 'unknown']);
        expect(list[1]!.identities).toEqual([{ channel: 'webchat', externalId: 'bob', displayName: null }]);
      });

      it('refuses a role that does not exist', async () => {
        await expect(t.db.query(`INSERT INTO people (id, role, created_at, updated_at) VALUES (gen_random_uuid(), 'superuser', now(), now())`)).rejects.toThrow();
      });
    });

    describe('conversations and messages', () => {
      it('keeps one conversation per channel, key and thread', async () => {
        const a = await conversations.ensure('slack', 'C1', '');
        const b = await conversations.ensure('slack', 'C1', '');
        const threaded = await conversations.ensure('slack', 'C1', '1700000000.0001');
        expect(b.id).toBe(a.id);
        expect(threaded.id).not.toBe(a.id);
      });

      it('creates a conversation once when its first messages race, and finds it again without writing', async () => {
        const raced = await Promise.all(Array.from({ length: 8 }, () => conversations.ensure('telegram', 'race-1')));
        expect(new Set(raced.map((c) => c.id)).size).toBe(1);
        const { rows } = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM conversations WHERE channel = 'telegram' AND external_id = 'race-1'`);
        expect(Number(rows[0]!.n)).toBe(1);
        // Found again, it is not written: the row's version (xmin) stays the same.
        const version = async () => (await t.db.query<{ xmin: string }>(`SELECT xmin::text FROM conversations WHERE id = $1`, [raced[0]!.id])).rows[0]!.xmin;
        const before = await version();
        expect((await conversations.ensure('telegram', 'race-1')).id).toBe(raced[0]!.id);
        expect(await version()).toBe(before);
      });

      it('stores an inbound message once per platform message id', async () => {
        const person = await people.resolve('webchat', 'u', undefined, 'unknown');
        const conversation = await conversations.ensure('webchat', 'u');
        const input = { conversationId: conversation.id, platformMessageId: 'm1', personId: person.id, text: 'hi', payload: { a: 1 } };
        const first = await messages.recordInbound(input);
        const retry = await messages.recordInbound({ ...input, text: 'changed' });
        expect(first.created).toBe(true);
        expect(retry.created).toBe(false);
        expect(retry.message.id).toBe(first.message.id);
        expect(retry.message.text).toBe('hi');
        expect(await messages.count(conversation.id)).toBe(1);
      });

      it('stores an inbound message from a known identity with its sender read in the same call; an unknown identity stores nothing', async () => {
        const person = await people.grant('telegram', '7001', 'developer');
        await people.setDisplayName(person.id, 'Ana');
        const conversation = await conversations.ensure('telegram', '7001');
        const input = { conversationId: conversation.id, platformMessageId: 'm1', text: 'hi', payload: { a: 1 } };
        const first = await messages.recordInboundFromIdentity({ channel: 'telegram', externalId: '7001' }, input);
        expect(first).toMatchObject({ created: true, person: { id: person.id, displayName: 'Ana', role: 'developer' }, message: { text: 'hi', personId: person.id, status: 'received' } });
        expect(typeof first!.person.createdAt).toBe('number');
        const touched = await t.db.query<{ last_message_at: Date | null }>('SELECT last_message_at FROM conversations WHERE id = $1', [conversation.id]);
        expect(touched.rows[0]?.last_message_at?.getTime()).toBe(first!.message.createdAt);
        const retry = await messages.recordInboundFromIdentity({ channel: 'telegram', externalId: '7001' }, { ...input, text: 'changed' });
        expect(retry).toMatchObject({ created: false, person: { id: person.id }, message: { id: first!.message.id, text: 'hi' } });
        const limited = await messages.recordInboundFromIdentity({ channel: 'telegram', externalId: '7001' }, { ...input, platformMessageId: 'm2', status: 'rate_limited' });
        expect(limited?.message.status).toBe('rate_limited');
        // Same external id on another channel: somebody else, not known yet.
        expect(await messages.recordInboundFromIdentity({ channel: 'slack', externalId: '7001' }, { ...input, platformMessageId: 'm3' })).toBeUndefined();
        expect(await messages.count(conversation.id)).toBe(2);
      });

      it('stores replies and marks the message answered together, in order', async () => {
        const person = await people.resolve('webchat', 'u', undefined, 'unknown');
        const conversation = await conversations.ensure('webchat', 'u');
        const { message } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'm1', personId: person.id, text: 'hi', payload: {} });
        const replies = await messages.answer(message, [
          { text: 'one', kind: 'reply' },
          { text: 'two', kind: 'reply' },
        ]);
        expect(replies.map((r) => r.status)).toEqual(['pending', 'pending']);
        const history = await messages.history(conversation.id);
        expect(history.map((m) => `${m.direction}:${m.text}:${m.status}`)).toEqual(['in:hi:answered', 'out:one:pending', 'out:two:pending']);
        await expect(messages.answer(message, [{ text: 'again', kind: 'reply' }])).rejects.toThrow(/answered/);
        // The outbox takes the first reply with its conversation and when the person last wrote.
        const taken = await messages.takeNextOutbound(conversation.id, 'instance-a', clock.now() + 30_000);
        expect(taken).toMatchObject({ message: { id: replies[0]!.id, status: 'sending' }, conversation: { id: conversation.id, externalId: 'u' }, more: true, lastInboundAt: message.createdAt });
        expect(await messages.count(conversation.id)).toBe(3);
      });

      it("takes the first reply for the outbox in the answer's own statement, only when nothing older waits in its lane", async () => {
        const person = await people.resolve('telegram', 't1', undefined, 'developer');
        const conversation = await conversations.ensure('telegram', 't1');
        const { message } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'm1', personId: person.id, text: 'hi', payload: {} });
        const claim = { owner: 'instance-a', leaseUntil: clock.now() + 40_000 };
        const { replies, taken } = await messages.answerAndTake(message, conversation, [{ text: 'one', kind: 'reply' }, { text: 'two', kind: 'reply' }], undefined, claim);
        // As takeNextOutbound would have taken it: sending, one attempt, leased to this instance.
        expect(replies.map((r) => `${r.text}:${r.status}:${r.attempts}`)).toEqual(['one:sending:1', 'two:pending:0']);
        expect(taken).toMatchObject({ message: { id: replies[0]!.id, status: 'sending', nextAttemptAt: claim.leaseUntil }, conversation: { id: conversation.id }, more: true, lastInboundAt: message.createdAt });
        expect((await messages.findById(message.id))?.status).toBe('answered');
        // The lane's order holds: nothing after the taken row is taken while it is on its way.
        expect(await messages.takeNextOutbound(conversation.id, 'instance-b', clock.now() + 30_000)).toBeUndefined();
        await messages.markSent(replies[0]!.id, 'p1');
        expect((await messages.takeNextOutbound(conversation.id, 'instance-b', clock.now() + 30_000))?.message.id).toBe(replies[1]!.id);

        // Something older still waiting (a reminder stored before): the answer takes nothing, all wait their turn.
        const other = await conversations.ensure('telegram', 't2');
        const { message: second } = await messages.recordInbound({ conversationId: other.id, platformMessageId: 'm2', personId: person.id, text: 'hi', payload: {} });
        const reminder = await messages.recordNotification(other.id, { text: 'reminder', kind: 'notification' });
        const later = await messages.answerAndTake(second, other, [{ text: 'three', kind: 'reply' }], undefined, claim);
        expect(later.taken).toBeUndefined();
        expect(later.replies.map((r) => r.status)).toEqual(['pending']);
        expect((await messages.takeNextOutbound(other.id, 'instance-a', clock.now() + 30_000))?.message.id).toBe(reminder.id);

        // No reply: nothing taken. An answered message: neither replies nor a take.
        const { message: third } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'm3', personId: person.id, text: 'ok', payload: {} });
        expect(await messages.answerAndTake(third, conversation, [], undefined, claim)).toEqual({ replies: [] });
        await expect(messages.answerAndTake(third, conversation, [{ text: 'again', kind: 'reply' }], undefined, claim)).rejects.toThrow(/answered by another turn/);
        expect(await messages.count(conversation.id)).toBe(4);
      });

      it("plans the answer's statement once per connection and keeps the plan, whatever the replies and other shapes", async () => {
        const person = await people.resolve('telegram', 'p1', undefined, 'developer');
        const conversation = await conversations.ensure('telegram', 'p1');
        // On one connection (a transaction), so its prepared statements are the ones read back.
        const plans = await t.db.transaction(async (tx) => {
          const repo = new MessageRepo(tx as Database, clock);
          let n = 0;
          const answer = async (take: boolean, replies: number) => {
            const { message } = await repo.recordInbound({ conversationId: conversation.id, platformMessageId: `p${n++}`, personId: person.id, text: 'hi', payload: {} });
            const drafts = Array.from({ length: replies }, (_, k) => ({ text: `r${n}.${k}`, kind: 'reply' as const }));
            if (take) await repo.answerAndTake(message, conversation, drafts, undefined, { owner: 'instance-a', leaseUntil: clock.now() + 40_000 });
            else await repo.answer(message, drafts);
          };
          const takes = async () =>
            (
              await tx.query<{ generic_plans: string; custom_plans: string }>(
                `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%WITH marked AS%' AND statement LIKE '%lane AS%'`,
              )
            ).rows.map((r) => ({ generic: Number(r.generic_plans), custom: Number(r.custom_plans) }))[0] ?? { generic: 0, custom: 0 };
          // Both shapes, mixed, with one to three replies (a rate-limit notice has no take; a client's turn no checkpoint).
          for (let i = 0; i < 8; i++) await answer(i % 2 === 0, 1 + (i % 3));
          const before = await takes();
          for (let i = 0; i < 6; i++) await answer(true, 1);
          const after = await takes();
          return { generic: after.generic - before.generic, custom: after.custom - before.custom };
        });
        // PostgreSQL plans a prepared statement for its first five calls, then keeps a generic plan unless the
        // values make plans of their own look cheaper: unnest() of array parameters did for the usual single
        // reply, and so did a parameter that switched the take on and off (0.7 ms of planning per turn).
        expect(plans).toEqual({ generic: 6, custom: 0 });
      });

      it('leaves nothing half-written when storing replies fails midway', async () => {
        const person = await people.resolve('webchat', 'u', undefined, 'unknown');
        const conversation = await conversations.ensure('webchat', 'u');
        const { message } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'm1', personId: person.id, text: 'hi', payload: {} });
        await expect(
          messages.answer(message, [
            { text: 'fine', kind: 'reply' },
            { text: 'broken', kind: 'not-a-kind' as 'reply' },
          ]),
        ).rejects.toThrow();
        const history = await messages.history(conversation.id);
        expect(history.map((m) => `${m.direction}:${m.status}`)).toEqual(['in:received']);
        clock.set(clock.now() + 60_000);
        expect((await messages.unanswered(clock.now())).map((m) => m.id)).toEqual([message.id]);
      });

      it('records delivery statuses only forward: a late "delivered" never overwrites "read"', async () => {
        const person = await people.resolve('whatsapp', '447700900123', undefined, 'client');
        const conversation = await conversations.ensure('whatsapp', '447700900123');
        const { message } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'wamid.in', personId: person.id, text: 'hi', payload: {} });
        const [reply] = await messages.answer(message, [{ text: 'hello', kind: 'reply' }]);
        await messages.markSent(reply!.id, 'wamid.out');
        const statusOf = async () => ((await messages.findOutbound(reply!.id))!.payload as { deliveryStatus?: { status: string } }).deliveryStatus?.status;
        expect(await messages.recordDeliveryStatus('whatsapp', 'wamid.out', 'read')).toBe(true);
        await messages.recordDeliveryStatus('whatsapp', 'wamid.out', 'delivered');
        expect(await statusOf()).toBe('read');
        await messages.recordDeliveryStatus('whatsapp', 'wamid.out', 'failed', { errors: [{ code: 131026 }] });
        expect(await statusOf()).toBe('failed');
        expect((await messages.findOutbound(reply!.id))!.status).toBe('failed');
        expect(await messages.recordDeliveryStatus('whatsapp', 'wamid.unknown', 'read')).toBe(false);
      });

      it('marks many deliveries sent at once (group-committed), each with its own platform id or the one it had', async () => {
        const person = await people.resolve('telegram', 'g1', undefined, 'developer');
        const conversation = await conversations.ensure('telegram', 'g1');
        const { message } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: 'g-in', personId: person.id, text: 'hi', payload: {} });
        const replies = await messages.answer(message, Array.from({ length: 10 }, (_, i) => ({ text: `reply ${i}`, kind: 'reply' as const })));
        // The odd ones were marked once already, with an id: a later mark without one keeps it.
        await messages.markSent(replies[1]!.id, 'earlier-1');
        await messages.markSent(replies[3]!.id, 'earlier-3');
        await Promise.all(replies.map((reply, i) => messages.markSent(reply.id, i % 2 === 0 ? `out-${i}` : undefined)));
        const stored = await Promise.all(replies.map((reply) => messages.findOutbound(reply.id)));
        expect(stored.map((m) => m!.status)).toEqual(replies.map(() => 'sent'));
        expect(stored.map((m) => m!.platformMessageId ?? null)).toEqual(
          replies.map((_, i) => (i % 2 === 0 ? `out-${i}` : i === 1 || i === 3 ? `earlier-${i}` : null)),
        );
      });

      it('reads the latest history oldest first', async () => {
        const person = await people.resolve('webchat', 'u', undefined, 'unknown');
        const conversation = await conversations.ensure('webchat', 'u');
        for (let i = 1; i <= 5; i++) {
          const { message } = await messages.recordInbound({ conversationId: conversation.id, platformMessageId: `m${i}`, personId: person.id, text: `q${i}`, payload: {} });
          await messages.answer(message, [{ text: `a${i}`, kind: 'reply' }]);
        }
        const latest = await messages.history(conversation.id, 4);
        expect(latest.map((m) => m.text)).toEqual(['q4', 'a4', 'q5', 'a5']);
      });

      it('rolls a transaction back entirely when it throws', async () => {
        await expect(
          t.db.transaction(async (tx) => {
            await tx.query(`INSERT INTO conversations (id, channel, external_id, created_at) VALUES (gen_random_uuid(), 'webchat', 'tx', now())`);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await conversations.find('webchat', 'tx')).toBeUndefined();
      });
    });

    describe('confirmations', () => {
      async function pending(ttlMs = 300_000) {
        const person = await people.resolve('webchat', 'req', undefined, 'developer');
        const conversation = await conversations.ensure('webchat', 'req');
        const repo = new ConfirmationRepo(t.db, clock);
        const confirmation = await repo.create({
          conversationId: conversation.id,
          requesterId: person.id,
          action: 'task.delete',
          params: { taskId: 'x' },
          paramsHash: 'h',
          risk: 'risky',
          phrase: 'CONFIRM DELETE TASK 1',
          ttlMs,
        });
        return { repo, confirmation, person, conversation };
      }

      it('confirm once, consume once, even when consumed concurrently', async () => {
        const { repo, confirmation, person } = await pending();
        expect((await repo.findPending(confirmation.conversationId))?.id).toBe(confirmation.id);
        expect(await repo.confirm(confirmation.id, person.id, '00000000-0000-0000-0000-000000000001')).toMatchObject({ status: 'confirmed', confirmedBy: person.id });
        expect(await repo.confirm(confirmation.id, person.id, '00000000-0000-0000-0000-000000000002')).toBeUndefined();
        // The confirming message, replayed (its answer was never stored), gets the record again; nobody else does.
        expect(await repo.confirm(confirmation.id, person.id, '00000000-0000-0000-0000-000000000001')).toMatchObject({ id: confirmation.id, status: 'confirmed' });
        const other = await people.resolve('webchat', 'someone-else', undefined, 'admin');
        expect(await repo.confirm(confirmation.id, other.id, '00000000-0000-0000-0000-000000000001')).toBeUndefined();
        const consumed = await Promise.all([repo.consume(confirmation.id), repo.consume(confirmation.id), repo.consume(confirmation.id)]);
        expect(consumed.filter(Boolean)).toHaveLength(1);
        expect((await repo.findById(confirmation.id))?.status).toBe('consumed');
      });

      it('cannot be confirmed after it expires', async () => {
        const { repo, confirmation, person } = await pending(60_000);
        await clock.advance(60_000);
        expect(await repo.confirm(confirmation.id, person.id, '00000000-0000-0000-0000-000000000001')).toBeUndefined();
        expect(await repo.close(confirmation.id, 'expired', 'timed out')).toBe(true);
        expect(await repo.close(confirmation.id, 'cancelled', 'again')).toBe(false);
        expect(await repo.findPending(confirmation.conversationId)).toBeUndefined();
      });

      it('counts wrong attempts while pending', async () => {
        const { repo, confirmation } = await pending();
        expect(await repo.recordWrongAttempt(confirmation.id)).toBe(1);
        expect(await repo.recordWrongAttempt(confirmation.id)).toBe(2);
        await repo.close(confirmation.id, 'cancelled', 'three strikes');
        expect(await repo.recordWrongAttempt(confirmation.id)).toBe(0);
      });
    });

    describe('tool runs', () => {
      it('let one execution claim an idempotency key; later ones see its outcome', async () => {
        const runs = new ToolRunRepo(t.db, clock);
        const input = { idempotencyKey: 'k1', action: 'task.create', params: { title: 'x' }, actorId: null, conversationId: null, confirmationId: null };
        const [a, b] = await Promise.all([runs.begin(input), runs.begin(input)]);
        expect([a.created, b.created].sort()).toEqual([false, true]);
        await runs.succeed('k1', { taskNumber: 7 });
        expect(await runs.begin(input)).toMatchObject({ created: false, run: { status: 'succeeded', result: { taskNumber: 7 } } });
      });

      it('record many outcomes at once (group-committed), each with its own result, quotes and all', async () => {
        const runs = new ToolRunRepo(t.db, clock);
        const keys = Array.from({ length: 12 }, (_, i) => `group-${i}`);
        for (const key of keys) {
          await runs.begin({ idempotencyKey: key, action: 'task.create', params: {}, actorId: null, conversationId: null, confirmationId: null });
        }
        await Promise.all(keys.map((key, i) => runs.succeed(key, { summary: `Task #${i} "quoted" \\ {braces}, done`, n: i })));
        for (const [i, key] of keys.entries()) {
          expect((await runs.find(key))!).toMatchObject({ status: 'succeeded', result: { summary: `Task #${i} "quoted" \\ {braces}, done`, n: i } });
        }
      });
    });

    describe('pairing requests', () => {
      it('keep one pending code per identity, approve it once, and expire', async () => {
        const repo = new PairingRepo(t.db, clock);
        const stranger = await people.resolve('telegram', '99', undefined, 'unknown');
        const first = await repo.create({ code: 'ABCD2345', channel: 'telegram', externalId: '99', personId: stranger.id, ttlMs: 3_600_000 });
        const again = await repo.create({ code: 'ZZZZ9999', channel: 'telegram', externalId: '99', personId: stranger.id, ttlMs: 3_600_000 });
        expect(again.code).toBe(first.code);
        expect(await repo.countPending('telegram')).toBe(1);
        expect(await repo.approve('ABCD2345', 'developer', null)).toMatchObject({ status: 'approved' });
        expect(await repo.approve('ABCD2345', 'admin', null)).toBeUndefined();

        const other = await people.resolve('telegram', '100', undefined, 'unknown');
        await repo.create({ code: 'EXPR2345', channel: 'telegram', externalId: '100', personId: other.id, ttlMs: 3_600_000 });
        await clock.advance(3_600_000);
        expect(await repo.countPending('telegram')).toBe(0);
        expect(await repo.approve('EXPR2345', 'developer', null)).toBeUndefined();
        expect((await repo.findByCode('EXPR2345'))?.status).toBe('expired');
      });
    });

    describe('tasks', () => {
      it('are created, listed by due date, completed and deleted once', async () => {
        const tasks = new TaskRepo(t.db, clock);
        const ana = await people.grant('webchat', 'ana', 'developer');
        const now = clock.now();
        const later = await tasks.create({ title: 'Send Acme the proposal', dueAt: now + 86_400_000, assigneeId: ana.id, createdBy: ana.id, conversationId: null });
        const sooner = await tasks.create({ title: 'Call John', dueAt: now + 3_600_000, assigneeId: ana.id, createdBy: ana.id, conversationId: null });
        const undated = await tasks.create({ title: 'Tidy the wiki', dueAt: null, assigneeId: null, createdBy: ana.id, conversationId: null });
        expect(sooner.number).toBe(later.number + 1);
        expect((await tasks.listOpen({ assigneeId: ana.id })).map((x) => x.title)).toEqual(['Call John', 'Send Acme the proposal']);
        expect((await tasks.listOpen({ dueBefore: now + 7_200_000 })).map((x) => x.title)).toEqual(['Call John']);
        expect((await tasks.searchOpen(ana.id, 'acme proposal')).map((x) => x.number)).toEqual([later.number]);
        expect((await tasks.searchOpen(ana.id, '100%_')).length).toBe(0);
        expect((await tasks.complete(sooner.id, ana.id))?.status).toBe('done');
        expect(await tasks.complete(sooner.id, ana.id)).toBeUndefined();
        expect((await tasks.delete(undated.id, ana.id))?.status).toBe('deleted');
        expect((await tasks.listOpen()).map((x) => x.title)).toEqual(['Send Acme the proposal']);
      });

      it('give each due reminder to exactly one claimer', async () => {
        const tasks = new TaskRepo(t.db, clock);
        const ana = await people.grant('webchat', 'ana', 'developer');
        const task = await tasks.create({ title: 'Renew SSL', dueAt: clock.now() + 1_000, assigneeId: ana.id, createdBy: ana.id, conversationId: null });
        expect(await tasks.nextReminderAt()).toBe(clock.now() + 1_000);
        expect(await tasks.dueForReminder(clock.now())).toEqual([]);
        await clock.advance(1_000);
        expect((await tasks.dueForReminder(clock.now())).map((x) => x.id)).toEqual([task.id]);
        const claims = await Promise.all([tasks.claimReminder(task.id), tasks.claimReminder(task.id)]);
        expect(claims.sort()).toEqual([false, true]);
        expect(await tasks.nextReminderAt()).toBeUndefined();
      });
    });

    describe('agent checkpoints (ThreadCheckpointSaver)', () => {
      const config = (thread: string) => ({ configurable: { thread_id: thread, checkpoint_ns: '' } });
      const checkpoint = (id: string, values: Record<string, unknown>) => ({
        v: 4,
        id,
        ts: new Date(clock.now()).toISOString(),
        channel_values: values,
        channel_versions: Object.fromEntries(Object.keys(values).map((k) => [k, 1])),
        versions_seen: {},
      });

      it('keeps the latest checkpoint of each thread in one row, with its pending writes', async () => {
        const saver = new ThreadCheckpointSaver(t.db);
        expect(await saver.getTuple(config('t1'))).toBeUndefined();
        const first = await saver.put(config('t1'), checkpoint('0001', { dialog: { state: 'awaiting', phrase: 'CONFIRM X' } }), { source: 'loop', step: 1, parents: {} }, {});
        await saver.put(first, checkpoint('0002', { dialog: null, note: 'ünïcode ✓' }), { source: 'loop', step: 2, parents: {} }, {});
        await saver.put(config('t2'), checkpoint('0001', { other: true }), { source: 'loop', step: 1, parents: {} }, {});
        const latest = await saver.getTuple(config('t1'));
        expect(latest?.checkpoint.id).toBe('0002');
        expect(latest?.checkpoint.channel_values).toEqual({ dialog: null, note: 'ünïcode ✓' });
        expect(latest?.parentConfig?.configurable?.checkpoint_id).toBe('0001');
        expect(latest?.metadata).toMatchObject({ step: 2 });
        // An older checkpoint is not kept: asking for it finds nothing.
        expect(await saver.getTuple({ configurable: { ...config('t1').configurable, checkpoint_id: '0001' } })).toBeUndefined();
        const { rows } = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM langgraph.thread_checkpoints WHERE thread_id = 't1'`);
        expect(Number(rows[0]!.n)).toBe(1);

        await saver.putWrites({ configurable: { thread_id: 't1', checkpoint_ns: '', checkpoint_id: '0002' } }, [['replies', ['hi']]], 'task-1');
        expect((await saver.getTuple(config('t1')))?.pendingWrites).toEqual([['task-1', 'replies', ['hi']]]);
        // Writes for a checkpoint that is no longer the latest are dropped.
        await saver.putWrites({ configurable: { thread_id: 't1', checkpoint_ns: '', checkpoint_id: '0001' } }, [['replies', ['old']]], 'task-0');
        expect((await saver.getTuple(config('t1')))?.pendingWrites).toHaveLength(1);

        const listed = [];
        for await (const tuple of saver.list(config('t1'))) listed.push(tuple.checkpoint.id);
        expect(listed).toEqual(['0002']);
        await saver.deleteThread('t1');
        expect(await saver.getTuple(config('t1'))).toBeUndefined();
        expect((await saver.getTuple(config('t2')))?.checkpoint.channel_values).toEqual({ other: true });
      });

      it("keeps a run's checkpoint back for the answer, which stores both in one statement or neither", async () => {
        const saver = new ThreadCheckpointSaver(t.db);
        const person = await people.resolve('webchat', 'u', undefined, 'developer');
        const conversation = await conversations.ensure('webchat', 'u');
        const inbound = async (id: string) =>
          (await messages.recordInbound({ conversationId: conversation.id, platformMessageId: id, personId: person.id, text: 'hi', payload: {} })).message;
        const deferred = (sink: CheckpointSink) => ({ configurable: { ...config(conversation.id).configurable, [DEFERRED_CHECKPOINT]: sink } });

        // put and putWrites of a run with a sink write nothing themselves.
        const sink: CheckpointSink = {};
        const saved = await saver.put(deferred(sink), checkpoint('0001', { dialog: { state: 'awaiting' } }), { source: 'loop', step: 1, parents: {} }, {});
        await saver.putWrites({ configurable: { ...deferred(sink).configurable, checkpoint_id: saved.configurable!.checkpoint_id } }, [['replies', ['kept']]], 'task-1');
        expect(await saver.getTuple(config(conversation.id))).toBeUndefined();
        expect(sink.checkpoint).toMatchObject({ threadId: conversation.id, checkpointId: '0001', parentCheckpointId: null });

        // The answer stores it, with the replies.
        const first = await inbound('m1');
        const replies = await messages.answer(first, [{ kind: 'reply', text: 'one' }, { kind: 'reply', text: 'two' }], 'answered', sink.checkpoint);
        expect(replies.map((r) => r.text)).toEqual(['one', 'two']);
        const stored = await saver.getTuple(config(conversation.id));
        expect(stored?.checkpoint.channel_values).toEqual({ dialog: { state: 'awaiting' } });
        expect(stored?.pendingWrites).toEqual([['task-1', 'replies', ['kept']]]);

        // A message another turn answered stores neither its replies nor its checkpoint.
        const later: CheckpointSink = {};
        await saver.put(deferred(later), checkpoint('0002', { dialog: null }), { source: 'loop', step: 2, parents: {} }, {});
        await expect(messages.answer(first, [{ kind: 'reply', text: 'again' }], 'answered', later.checkpoint)).rejects.toThrow(/answered by another turn/);
        expect((await saver.getTuple(config(conversation.id)))?.checkpoint.id).toBe('0001');
        expect((await messages.repliesTo(first.id)).map((r) => r.text)).toEqual(['one', 'two']);

        // With no replies to store, the mark and the checkpoint still land together.
        const second = await inbound('m2');
        expect(await messages.answer(second, [], 'answered', later.checkpoint)).toEqual([]);
        expect((await messages.findById(second.id))?.status).toBe('answered');
        const latest = await saver.getTuple(config(conversation.id));
        expect(latest?.checkpoint.id).toBe('0002');
        expect(latest?.pendingWrites).toEqual([]);
      });
    });

    describe('audit log', () => {
      it('chains records and verifies the chain', async () => {
        const audit = new AuditLog(t.db, clock);
        await audit.append({ actor: 'p1', action: 'action.requested', data: { app: 'soarix-web', env: 'production' } });
        await clock.advance(1_000);
        await audit.append({ actor: 'p1', action: 'confirmation.issued', data: { phrase: 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION' } });
        const records = await audit.tail(10);
        expect(records.map((r) => r.seq)).toEqual([1, 2]);
        expect(records[1]!.prevHash).toBe(records[0]!.hash);
        expect(await audit.verify()).toEqual({ ok: true, records: 2 });
      });

      it('keeps the chain whole under concurrent appends', async () => {
        const audit = new AuditLog(t.db, clock);
        await Promise.all(Array.from({ length: 12 }, (_, i) => audit.append({ actor: `p${i}`, action: 'x', data: { i } })));
        expect(await audit.verify()).toEqual({ ok: true, records: 12 });
      });

      it('group-commits appends and keeps one chain across instances (two services writing at once)', async () => {
        const [a, b] = [new AuditLog(t.db, clock), new AuditLog(t.db, clock)];
        const written = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append({ actor: `p${i}`, action: 'x', conversationId: null, data: { i } })),
        );
        // Each caller gets its own record back, committed, and the chain holds across both writers.
        expect(written.map((r) => r.data.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
        expect(new Set(written.map((r) => r.seq)).size).toBe(40);
        expect(await a.verify()).toEqual({ ok: true, records: 40 });
        const { rows } = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
        expect(Number(rows[0]!.n)).toBe(40);
      });

      it('fails only the entry that cannot be written when it was grouped with others', async () => {
        const audit = new AuditLog(t.db, clock);
        const outcomes = await Promise.allSettled([
          audit.append({ actor: 'p1', action: 'x', data: { i: 1 } }),
          audit.append({ actor: 'p2', action: 'x', conversationId: 'not-a-uuid', data: { i: 2 } }),
          audit.append({ actor: 'p3', action: 'x', data: { i: 3 } }),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await audit.verify()).toEqual({ ok: true, records: 2 });
      });

      it('detects a changed record, a removed record and a forged link', async () => {
        const audit = new AuditLog(t.db, clock);
        for (let i = 0; i < 4; i++) await audit.append({ actor: 'p', action: 'x', data: { i } });
        await t.db.query(`UPDATE audit_log SET data = '{"i": 99}' WHERE seq = 2`);
        expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: 2 });
        await t.db.query(`UPDATE audit_log SET data = '{"i": 1}' WHERE seq = 2`);
        expect((await audit.verify()).ok).toBe(true);
        await t.db.query('DELETE FROM audit_log WHERE seq = 3');
        expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: 4 });
      });

      it('never stores a secret it was told about', async () => {
        const audit = new AuditLog(t.db, clock, ['xoxb-super-secret-token']);
        await audit.append({ actor: 'p', action: 'x', data: { note: 'token is xoxb-super-secret-token', apiKey: 'sk-whatever' } });
        const [record] = await audit.tail(1);
        expect(JSON.stringify(record)).not.toContain('xoxb-super-secret-token');
        expect(JSON.stringify(record)).not.toContain('sk-whatever');
        expect((await audit.verify()).ok).toBe(true);
      });
    });
  });
}

/** Empties every table the migrations made, keeping the reference data (roles) and the schema. */
export async function truncateAll(t: TestDatabase): Promise<void> {
  const { rows } = await t.db.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'roles')`,
  );
  if (rows.length > 0) await t.db.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`);
}
