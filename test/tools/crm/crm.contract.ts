import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/index.js';
import { AuditLog, ConversationRepo, CrmRepo, JobRepo, MessageRepo, PeopleRepo, TaskRepo, type Person } from '../../../store/index.js';
import type { ToolContext } from '../../../tools/index.js';
import { createCrmActions, CrmService, Pipeline } from '../../../tools/crm/index.js';
import type { TestDatabase } from '../../support/services.js';
import { personalDataHits } from './personal-data-scan.js';

/**
 * The CRM on one durable store: duplicates, merge, search, erasure. PGlite (unit tier) and PostgreSQL
 * (integration tier) join it with one line each, so the same SQL (unaccent, pg_trgm, FTS) is proven on both.
 */
export function crmContract(name: string, open: () => Promise<TestDatabase>): void {
  describe(`CRM on ${name}`, () => {
    let test: TestDatabase;
    let crm: CrmRepo;
    let service: CrmService;
    let audit: AuditLog;
    let actions: ReturnType<typeof createCrmActions>;
    let sales: Person;
    const clock = new ManualClock(Date.parse('2026-03-03T10:00:00Z'));

    beforeAll(async () => {
      test = await open();
      crm = new CrmRepo(test.db, clock);
      audit = new AuditLog(test.db, clock);
      service = new CrmService({ crm, pipeline: new Pipeline(), defaultCountry: 'US' });
      actions = createCrmActions({ crm, service, db: test.db, audit, defaultCountry: 'US' });
      sales = await new PeopleRepo(test.db, clock).grant('webchat', 'sam', 'sales');
    });
    afterAll(() => test.close());

    /** An action with its parameters untyped: the tests pass what prepare returned straight back. */
    interface LooseAction {
      prepare(slots: Record<string, unknown>, ctx: ToolContext): Promise<{ ok: boolean; params?: Record<string, unknown>; question?: string; refusal?: string }>;
      execute(params: Record<string, unknown>, ctx: ToolContext & { idempotencyKey: string }): Promise<{ summary: string }>;
      plan(params: Record<string, unknown>): string;
      risk(params: Record<string, unknown>): string;
      phrase(params: Record<string, unknown>): unknown;
    }
    const action = (n: string) => actions.find((a) => a.name === n)! as unknown as LooseAction;
    const ctx = (text: string, args?: string[]): ToolContext => ({ actor: sales, conversationId: '00000000-0000-4000-8000-000000000000', now: clock.now(), timezone: 'UTC', text, ...(args ? { args } : {}) });

    it('duplicates: the same e-mail in other case, the same phone written another way, a similar name at the same company', async () => {
      await service.createLead({ name: 'Sarah Connor', company: 'Cyberdyne', email: 'sarah@cyberdyne.com', phone: '+1 415 555 0100', need: 'a website' });
      const reasons = async (lead: Parameters<CrmService['duplicatesOf']>[0]) => (await service.duplicatesOf(lead)).map((d) => `${d.contact.name}:${d.reason}`);
      expect(await reasons({ name: 'Someone Else', email: 'SARAH@Cyberdyne.com' })).toEqual(['Sarah Connor:email']);
      expect(await reasons({ name: 'Someone Else', phone: '(415) 555-0100' })).toEqual(['Sarah Connor:phone']);
      expect(await reasons({ name: 'Someone Else', phone: '001 415 555 0100' })).toEqual(['Sarah Connor:phone']);
      expect(await reasons({ name: 'Sara Conor', company: 'cyberdyne' })).toEqual(['Sarah Connor:name']);
      expect(await reasons({ name: 'Sara Conor', company: 'Initech' })).toEqual([]);
      expect(await reasons({ name: 'John Smith', company: 'Cyberdyne' })).toEqual([]);
      const asked = await action('crm.lead.create').prepare({ name: 'Sarah Connor', company: 'Cyberdyne', note: 'a shop' }, ctx('new lead sarah connor from cyberdyne, wants a shop'));
      expect(asked).toEqual({ ok: false, question: 'Sarah Connor at Cyberdyne already exists (added 3 Mar): update the existing one, or add a new contact?', slot: 'note' });
      const bad = await action('crm.lead.create').prepare({ name: 'Tom', phone: '12' }, ctx('new lead tom 12'));
      expect(bad).toMatchObject({ ok: false, slot: 'phone' });
    });

    it('search tolerates accents and small typos across contacts, companies, deals and notes', async () => {
      const { contact } = await service.createLead({ name: 'José Müller', company: 'Société Générale', email: 'jose@sg.fr', need: 'intranet redesign' });
      await crm.addNote({ body: 'Prefers meetings in Zürich on Tuesdays', contactId: contact.id });
      const labels = async (q: string) => (await crm.search(q)).map((h) => `${h.kind}:${h.label}`);
      expect(await labels('jose muller')).toContain('contact:José Müller');
      expect(await labels('JOSÉ MÜLLER')).toContain('contact:José Müller');
      expect(await labels('Jose Mueller')).toContain('contact:José Müller');
      expect(await labels('societe generale')).toContain('company:Société Générale');
      expect(await labels('Societe Generle')).toContain('company:Société Générale');
      expect(await labels('Cyberdine')).toContain('company:Cyberdyne');
      expect(await labels('zurich')).toEqual(expect.arrayContaining([expect.stringMatching(/^note:Prefers meetings in Zürich/)]));
      expect(await labels('intranet')).toEqual(expect.arrayContaining(['contact:José Müller', 'deal:Société Générale: intranet redesign']));
      expect(await labels('pineapple')).toEqual([]);
      expect((await crm.findContactsByName('Jose Muler')).map((c) => c.name)).toEqual(['José Müller']);
    });

    it('merge: a preview of the result, then one contact with both identities, deals and notes', async () => {
      const a = await service.captureLead({ name: 'Peter Gibbons', company: 'Initech', email: 'peter@initech.com', identity: { channel: 'telegram', externalId: '5550001' } });
      const b = await service.createLead({ name: 'P. Gibbons', phone: '+1 212 555 0199', need: 'TPS reports' });
      await crm.addNote({ body: 'Hates Mondays', contactId: b.contact.id });
      await service.captureLead({ name: 'P. Gibbons', phone: '+1 212 555 0199', identity: { channel: 'whatsapp', externalId: '12125550199' } });
      const merge = action('crm.contact.merge');
      expect(await merge.prepare({}, ctx('/merge', ['1']))).toMatchObject({ ok: false, refusal: expect.stringMatching(/^Say which two contacts/) });
      const prepared = await merge.prepare({}, ctx('/merge', [String(a.contact.number), `#${b.contact.number}`]));
      expect(prepared.ok).toBe(true);
      expect(merge.plan(prepared.params!)).toBe(
        `Merge #${b.contact.number} P. Gibbons into #${a.contact.number} Peter Gibbons (Initech). The result: Peter Gibbons, company Initech, e-mail peter@initech.com, phone +12125550199 (from #${b.contact.number}), need TPS reports (from #${b.contact.number}). Moving over from #${b.contact.number}: 1 deal, 1 note, 0 activities, 1 identity, 0 conversations, 0 tasks. Contact #${b.contact.number} is then deleted.`,
      );
      expect((await merge.execute(prepared.params!, { ...ctx(''), idempotencyKey: 'k1' })).summary).toBe(`Merged #${b.contact.number} into #${a.contact.number} Peter Gibbons (Initech).`);
      const merged = (await crm.getContact(a.contact.id))!;
      expect(merged).toMatchObject({ email: 'peter@initech.com', phone: '+12125550199', need: 'TPS reports' });
      expect(await crm.getContact(b.contact.id)).toBeUndefined();
      expect((await crm.identitiesOf(a.contact.id)).map((i) => i.channel)).toEqual(['telegram', 'whatsapp']);
      expect((await crm.notesOf(a.contact.id)).map((n) => n.body)).toEqual(['Hates Mondays']);
      expect(await crm.dealsOfContact(a.contact.id)).toHaveLength(2);
    });

    it('erases a contact from every table and JSON column (checkpoints too), redacts the audit log, and the chain verifies', async () => {
      const people = new PeopleRepo(test.db, clock);
      const conversations = new ConversationRepo(test.db, clock);
      const messages = new MessageRepo(test.db, clock);
      const saver = new PostgresSaver(test.db.pool, undefined, { schema: 'langgraph' });
      await saver.setup();
      // Lisa writes on WhatsApp and leaves her details; the team mentions her in a task, a job and the audit log.
      const lisa = await people.resolve('whatsapp', '14155550123', 'Lisa Wóng', 'client');
      const chat = await conversations.ensure('whatsapp', '14155550123');
      await messages.recordInbound({ conversationId: chat.id, platformMessageId: 'wamid.1', personId: lisa.id, text: "Hi, I'm Lisa Wóng from Pixelforge, lisa@pixelforge.io", payload: { from: '14155550123', profile: { name: 'Lisa Wóng' } } });
      await test.db.query(`UPDATE messages SET transcript = 'this is Lisa Wóng calling', transcript_meta = '{"speaker": "Lisa Wóng"}' WHERE conversation_id = $1`, [chat.id]);
      const { contact } = await service.captureLead({ name: 'Lisa Wóng', company: 'Pixelforge', email: 'lisa@pixelforge.io', need: 'a new website', conversationId: chat.id, identity: { channel: 'whatsapp', externalId: '14155550123', personId: lisa.id } });
      await crm.addNote({ body: 'Lisa Wóng wants it before summer', contactId: contact.id });
      const staffChat = await conversations.ensure('webchat', 'sam');
      await messages.recordInbound({ conversationId: staffChat.id, platformMessageId: 'web.1', personId: sales.id, text: 'her mobile is (415) 555-0123, call her', payload: {} });
      const task = await new TaskRepo(test.db, clock).create({ title: 'call Lisa Wong (+1 415 555 0123) about the quote', dueAt: null, assigneeId: sales.id, createdBy: sales.id, conversationId: staffChat.id });
      await test.db.query('UPDATE tasks SET crm_contact_id = $1 WHERE id = $2', [contact.id, task.id]);
      await new JobRepo(test.db, clock).create({ kind: 'build', params: { note: 'site for lisa@pixelforge.io' }, requestedBy: sales.id, idempotencyKey: 'job-lisa' });
      await audit.append({ actor: 'whatsapp:14155550123', action: 'pairing.requested', data: { channel: 'whatsapp' } });
      await audit.append({ actor: sales.id, action: 'action.requested', conversationId: staffChat.id, data: { slots: { name: 'Lisa Wóng', email: 'lisa@pixelforge.io' } } });
      await audit.append({ actor: sales.id, action: 'action.requested', conversationId: staffChat.id, data: { slots: { title: 'unrelated' } } });
      for (const thread of [chat.id, staffChat.id]) {
        await test.db.query(
          `INSERT INTO langgraph.checkpoints (thread_id, checkpoint_ns, checkpoint_id, checkpoint, metadata) VALUES ($1, '', 'c1', $2, '{}')`,
          [thread, { v: 1, channel_values: { text: thread === chat.id ? 'hello' : 'erase Lisa Wóng' } }],
        );
        await test.db.query(
          `INSERT INTO langgraph.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob) VALUES ($1, '', 'turn', '1', 'json', convert_to($2, 'UTF8'))`,
          [thread, JSON.stringify({ text: thread === chat.id ? 'my number is +1 415 555 0123' : 'lisa@pixelforge.io' })],
        );
      }
      const needles = ['Lisa Wóng', 'Lisa Wong', 'lisa@pixelforge.io', '+14155550123', '14155550123', '+1 415 555 0123', '(415) 555-0123', '4155550123'];
      expect((await personalDataHits(test.db, needles)).length).toBeGreaterThan(15);

      const erase = action('crm.contact.delete');
      const prepared = await erase.prepare({ name: 'lisa wong from pixelforge' }, ctx('erase lisa wong from pixelforge'));
      expect(prepared.ok).toBe(true);
      expect(erase.risk(prepared.params!)).toBe('critical');
      expect(erase.phrase(prepared.params!)).toEqual({ verb: 'erase', target: 'contact', qualifier: String(contact.number) });
      const result = await erase.execute(prepared.params!, { ...ctx(''), idempotencyKey: 'erase-1' });
      expect(result.summary).toBe(
        `Erased contact #${contact.number}. Removed: 1 contact, 2 identities, 1 conversation, 1 message, 1 note, 1 activity, 1 task link, 2 conversation states, 2 audit records redacted, 4 other mentions. The audit log keeps a record of this erasure without personal data.`,
      );
      expect(await personalDataHits(test.db, needles)).toEqual([]);
      expect(await audit.verify()).toEqual({ ok: true, records: 4 });
      const [erased] = (await audit.tail(1)).filter((r) => r.action === 'data.erased');
      expect(erased!.data).toMatchObject({ kind: 'crm.contact', redacted: [1, 2] });
      // The chain still catches a change: to a redacted record's links, or a redaction nobody listed.
      await test.db.query(`UPDATE audit_log SET redacted_by = 4, data = '{"erased": true}' WHERE seq = 3`);
      expect(await audit.verify()).toMatchObject({ ok: false, brokenAt: 3 });
      await test.db.query(`UPDATE audit_log SET redacted_by = NULL, data = $1 WHERE seq = 3`, [{ slots: { title: 'unrelated' } }]);
      expect(await audit.verify()).toMatchObject({ ok: true });
      // The task and the company stay, without her.
      expect((await test.db.query('SELECT title FROM tasks WHERE id = $1', [task.id])).rows[0]).toEqual({ title: 'call [erased] ([erased]) about the quote' });
      expect(await crm.findCompany('Pixelforge')).toBeDefined();
      expect((await erase.execute(prepared.params!, { ...ctx(''), idempotencyKey: 'erase-2' })).summary).toBe(`Contact #${contact.number} was already erased.`);
    });
  });
}
