import { describe, expect, it } from 'vitest';
import { INTENT_IDS } from '../../../intents/ids.js';
import type { UnderstandContext } from '../../../intents/understander.js';
import { extractSlots, SLOTS_BY_INTENT } from '../../../intents/slots/index.js';

const CONTEXT: UnderstandContext = {
  now: Date.parse('2026-10-24T22:30:00Z'),
  timezone: 'Europe/London',
  apps: ['soarix-web', 'marketing-site', 'landing-page', 'client-portal', 'acme-shop'],
};

describe('extractSlots', () => {
  it('names the slots of every intent', () => {
    expect(Object.keys(SLOTS_BY_INTENT).sort()).toEqual([...INTENT_IDS].sort());
  });

  describe('tasks', () => {
    it('reads the DESIGN example', () => {
      expect(extractSlots('remind me to call John tomorrow at five', 'task.create', CONTEXT)).toEqual({
        title: 'call John',
        due: '2026-10-25T17:00:00+00:00',
      });
    });

    it('describes the first task of a two-task voice note', () => {
      expect(
        extractSlots('remind me to call John tomorrow at five and send Acme the proposal by Friday', 'task.create', CONTEXT),
      ).toEqual({ title: 'call John', due: '2026-10-25T17:00:00+00:00' });
    });

    it('reads the assignee', () => {
      expect(extractSlots('ask Priya to send Acme the proposal by Friday', 'task.create', CONTEXT)).toEqual({
        title: 'send Acme the proposal',
        due: '2026-10-30T09:00:00+00:00',
        assignee: 'Priya',
      });
    });

    it('lists, completes and deletes', () => {
      expect(extractSlots("what's due tomorrow for Priya?", 'task.list', CONTEXT)).toEqual({
        due: '2026-10-25T09:00:00+00:00',
        assignee: 'Priya',
      });
      expect(extractSlots('mark call John as done', 'task.complete', CONTEXT)).toEqual({ title: 'call John' });
      expect(extractSlots('delete the task "send Acme the proposal"', 'task.delete', CONTEXT)).toEqual({
        title: 'send Acme the proposal',
      });
    });
  });

  describe('builds and deploys', () => {
    it.each([
      ['ship the marketing site to prod from main', 'deploy.create', { app: 'marketing-site', env: 'production', ref: 'main' }],
      ['deploy soarix web to staging, commit a1b2c3d', 'deploy.create', { app: 'soarix-web', env: 'staging', ref: 'a1b2c3d' }],
      ['roll back landing page on production to build #42', 'deploy.rollback', { app: 'landing-page', env: 'production', ref: '#42' }],
      ['build the client portal from branch feature/login', 'build.start', { app: 'client-portal', ref: 'feature/login' }],
      ['fix the product page', 'deploy.create', {}],
      // The branch's words are not read as an app name.
      ['deploy feature/landing-page to preview', 'deploy.create', { env: 'preview', ref: 'feature/landing-page' }],
    ] as const)('%s (%s)', (text, intent, expected) => {
      expect(extractSlots(text, intent, CONTEXT)).toEqual(expected);
    });
  });

  describe('domains and DNS', () => {
    it.each([
      ['is bücher.de available?', 'domain.check', { domain: 'xn--bcher-kva.de' }],
      ['register www.acme.co.uk for 2 years', 'domain.register', { domain: 'acme.co.uk', years: 2 }],
      ['map shop.acme.com to acme-shop', 'domain.map', { domain: 'shop.acme.com', app: 'acme-shop' }],
      ['verify the domain for admin@soarix.ai', 'domain.verify', { domain: 'soarix.ai' }],
      [
        'add a CNAME for www.acme.com pointing to cname.vercel-dns.com',
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'CNAME', recordName: 'www', recordValue: 'cname.vercel-dns.com' },
      ],
      [
        'add TXT record _dmarc.acme.com "v=DMARC1; p=none"',
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'TXT', recordName: '_dmarc', recordValue: 'v=DMARC1; p=none' },
      ],
      [
        'add an A record on the root of acme.com to 76.76.21.21',
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'A', recordName: '@', recordValue: '76.76.21.21' },
      ],
      [
        'add txt v=spf1 include:_spf.google.com ~all on soarix.ai',
        'domain.dns.add',
        // Said on the bare zone with no other name: the apex, where SPF lives.
        { domain: 'soarix.ai', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 include:_spf.google.com ~all' },
      ],
      ['remove cname blog.acme.com', 'domain.dns.delete', { domain: 'acme.com', recordType: 'CNAME', recordName: 'blog' }],
      ['delete the www cname on acme.com', 'domain.dns.delete', { domain: 'acme.com', recordType: 'CNAME', recordName: 'www' }],
      ['drop the mx records from acme.com', 'domain.dns.delete', { domain: 'acme.com', recordType: 'MX', recordName: '@' }],
      [
        'add an MX record to acme.com, mail.protonmail.ch with priority 10',
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'MX', recordName: '@', recordValue: '10 mail.protonmail.ch' },
      ],
      [
        'add a cname for shop on acme dot co dot uk pointing to shops dot myshopify dot com',
        'domain.dns.add',
        { domain: 'acme.co.uk', recordType: 'CNAME', recordName: 'shop', recordValue: 'shops.myshopify.com' },
      ],
      [
        "add txt record _acme-challenge.acme.com with value 'gfj9XqT4'",
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'TXT', recordName: '_acme-challenge', recordValue: 'gfj9XqT4' },
      ],
      [
        'please put v=spf1 include:servers.mcsv.net ?all as the spf on acme.com',
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 include:servers.mcsv.net ?all' },
      ],
      [
        'on acme.com add a TXT: `v=spf1 mx ~all`',
        'domain.dns.add',
        { domain: 'acme.com', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 mx ~all' },
      ],
      ['delete the MX record for mail.acme.com', 'domain.dns.delete', { domain: 'acme.com', recordType: 'MX', recordName: 'mail' }],
    ] as const)('%s (%s)', (text, intent, expected) => {
      expect(extractSlots(text, intent, CONTEXT)).toEqual(expected);
    });
  });

  describe('CRM', () => {
    it('reads a lead', () => {
      expect(extractSlots('new lead: Jane Doe from Acme Ltd, jane@acme.com, +44 7911 123456', 'crm.lead.create', CONTEXT)).toEqual({
        name: 'Jane Doe',
        company: 'Acme Ltd',
        email: 'jane@acme.com',
        phone: '+447911123456',
      });
    });

    it('reads national phone numbers only with a default country', () => {
      const text = "Hi, I'm Priya from Globex, call me on 07911 123456";
      expect(extractSlots(text, 'crm.lead.create', CONTEXT)).toEqual({ name: 'Priya', company: 'Globex' });
      expect(extractSlots(text, 'crm.lead.create', CONTEXT, { defaultCountry: 'GB' })).toEqual({
        name: 'Priya',
        company: 'Globex',
        phone: '+447911123456',
      });
    });

    it('reads notes, searches, deals and deletions', () => {
      expect(extractSlots('add a note to Jane Doe: wants a quote by Friday', 'crm.note.add', CONTEXT)).toEqual({
        name: 'Jane Doe',
        note: 'wants a quote by Friday',
      });
      expect(extractSlots('find Jane Doe in the CRM', 'crm.contact.find', CONTEXT)).toEqual({ query: 'Jane Doe', name: 'Jane Doe' });
      expect(extractSlots('move the Acme deal to proposal, worth $12,000', 'crm.deal.update', CONTEXT)).toEqual({
        stage: 'proposal',
        company: 'Acme',
        note: 'Amount: 12000 USD',
      });
      expect(extractSlots('delete jane@acme.com from the CRM', 'crm.contact.delete', CONTEXT)).toEqual({ email: 'jane@acme.com' });
    });

    it('reads names and companies typed in lower case, and whom a lookup, note or deletion is about', () => {
      expect(extractSlots('new lead jane doe from acme, jane@acme.com, wants a website', 'crm.lead.create', CONTEXT)).toEqual({
        name: 'Jane Doe',
        company: 'Acme',
        email: 'jane@acme.com',
        note: 'wants a website',
      });
      expect(extractSlots('add lead: Tom Hale, Hale Roofing Ltd, +44 7911 123456', 'crm.lead.create', CONTEXT)).toEqual({
        name: 'Tom Hale',
        company: 'Hale Roofing Ltd',
        phone: '+447911123456',
      });
      expect(extractSlots("whats jane doe's number", 'crm.contact.find', CONTEXT)).toMatchObject({ name: 'Jane Doe' });
      expect(extractSlots('who do we know at Initech?', 'crm.contact.find', CONTEXT)).toMatchObject({ company: 'Initech' });
      expect(extractSlots('who do we know at Initech?', 'crm.contact.find', CONTEXT)).not.toHaveProperty('name');
      expect(extractSlots('note on Acme: invoices go to accounts@acme.com', 'crm.note.add', CONTEXT)).toEqual({
        name: 'Acme',
        note: 'invoices go to accounts@acme.com',
      });
      expect(extractSlots('note for Greg at Hale Roofing - send the quote', 'crm.note.add', CONTEXT)).toEqual({
        name: 'Greg',
        company: 'Hale Roofing',
        note: 'send the quote',
      });
      expect(extractSlots('just met jo baxter of baxter & co, put her in as a lead', 'crm.lead.create', CONTEXT)).toEqual({
        name: 'Jo Baxter',
        company: 'Baxter & Co',
      });
      expect(extractSlots('delete John from Initech, he left', 'crm.contact.delete', CONTEXT)).toEqual({ name: 'John', company: 'Initech' });
      expect(extractSlots('please delete my data', 'crm.contact.delete', CONTEXT)).toEqual({});
      expect(extractSlots('acme signed! 12k', 'crm.deal.update', CONTEXT)).toEqual({ stage: 'won', company: 'Acme', note: 'Amount: 12000' });
      expect(extractSlots('mark cyberdyne as proposal sent', 'crm.deal.update', CONTEXT)).toEqual({ stage: 'proposal', company: 'Cyberdyne' });
    });
  });

  describe('everything else', () => {
    it('reads notification events and knowledge questions', () => {
      expect(extractSlots('notify me about build failures and when deploys go live', 'notify.subscribe', CONTEXT)).toEqual({
        events: ['build.failed', 'deploy.live'],
      });
      expect(extractSlots('what is our refund policy?', 'knowledge.ask', CONTEXT)).toEqual({ query: 'what is our refund policy?' });
    });

    it('returns only the slots of the intent', () => {
      // "go live" is not an environment in a subscription; a phone number is not a task slot.
      expect(extractSlots('when deploys go live', 'notify.subscribe', CONTEXT)).not.toHaveProperty('env');
      expect(extractSlots('call +44 7911 123456 tomorrow', 'task.create', CONTEXT)).not.toHaveProperty('phone');
      expect(extractSlots('deploy soarix-web to prod', 'greeting', CONTEXT)).toEqual({});
      expect(extractSlots('deploy soarix-web to prod', 'out_of_scope', CONTEXT)).toEqual({});
    });
  });
});
