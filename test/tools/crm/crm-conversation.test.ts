import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as say from '../../../bot/agent/wording.js';
import { AgentHarness } from '../../support/agent-harness.js';
import { StubUnderstander } from '../../support/stub-understander.js';
import { personalDataHits } from './personal-data-scan.js';

const understander = () =>
  new StubUnderstander([
    [/^new lead (.+?) from (\w+), (\S+@\S+), (\+?[\d ()-]+), wants (.+)$/i, 'crm.lead.create', { name: '$1', company: '$2', email: '$3', phone: '$4', note: '$5' }],
    [/^new lead (.+?) from (\w+), (\+?[\d ()-]+)$/i, 'crm.lead.create', { name: '$1', company: '$2', phone: '$3' }],
    [/^move the (\w+) deal to (\w+)$/i, 'crm.deal.update', { company: '$1', stage: '$2' }],
    [/^(\w+) signed!/i, 'crm.deal.update', { company: '$1', stage: 'signed' }],
    [/^what'?s (.+?)'s (?:email|phone)\??$/i, 'crm.contact.find', { query: '$0', name: '$1' }],
    [/^who do we know at (\w+)\??$/i, 'crm.contact.find', { query: '$0', company: '$1' }],
    [/^note for (.+?): (.+)$/i, 'crm.note.add', { name: '$1', note: '$2' }],
    [/^erase (.+)$/i, 'crm.contact.delete', { name: '$1' }],
  ]);

let h: AgentHarness;
beforeAll(async () => {
  h = await AgentHarness.open(understander(), { WEBCHAT_DEFAULT_ROLE: 'unknown' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
  await h.grant('sam', 'sales', 'Sam');
  await h.grant('dev', 'developer', 'Dev');
  await h.grant('boss', 'admin', 'Boss');
});

describe('the CRM through the agent (PGlite)', () => {
  it('adds a lead, and asks before a duplicate with the phone written another way', async () => {
    expect(await h.say('sam', 'new lead Sarah Connor from Cyberdyne, sarah@cyberdyne.com, +1 415 555 0100, wants a website')).toBe(
      'Added Sarah Connor (Cyberdyne) as a lead: contact #1, deal #1 at lead.',
    );
    expect(await h.say('sam', 'new lead S. Connor from Skynet, (415) 555-0100')).toBe(
      'Sarah Connor at Cyberdyne already exists (added 2 Mar, same phone number): update the existing one, or add a new contact?',
    );
    expect(await h.say('sam', 'update the existing one')).toBe('Updated contact #1 Sarah Connor (Skynet).');
    expect(await h.say('sam', "what's Sarah Connor's phone?")).toBe("Sarah Connor's phone number is +1 415 555 0100.");
  });

  it('a similar name at the same company is asked about; "add new" adds a second contact', async () => {
    await h.say('sam', 'new lead Sarah Connor from Cyberdyne, sarah@cyberdyne.com, +1 415 555 0100, wants a website');
    expect(await h.say('sam', 'new lead Sara Conor from Cyberdyne, +44 20 7946 0958')).toMatch(/^Sarah Connor at Cyberdyne already exists \(added 2 Mar\): update the existing one, or add a new contact\?$/);
    expect(await h.say('sam', 'add a new contact')).toBe('Added Sara Conor (Cyberdyne) as a lead: contact #2, deal #1 at lead.');
    const known = await h.say('sam', 'who do we know at cyberdine?');
    expect(known).toMatch(/^At Cyberdyne we know 2 people:\n/);
    expect(known).toContain('• #1 Sarah Connor (Cyberdyne): sarah@cyberdyne.com, +1 415 555 0100, needs: a website');
    expect(known).toContain('• #2 Sara Conor (Cyberdyne): +44 20 7946 0958');
    // A company the CRM does not hold is named as such, not read as a person called "who do we know".
    expect(await h.say('sam', 'who do we know at Globex?')).toBe("Globex isn't in the CRM yet: no company, contact or deal matches it.");
  });

  it('sales move deals; a developer may look contacts up and add notes, but not move deals', async () => {
    await h.say('sam', 'new lead Sarah Connor from Cyberdyne, sarah@cyberdyne.com, +1 415 555 0100, wants a website');
    expect(await h.say('dev', 'move the cyberdyne deal to negotiation')).toBe(say.NOT_ALLOWED);
    expect(await h.say('dev', 'erase Sarah Connor')).toBe(say.NOT_ALLOWED);
    expect(await h.say('sam', 'move the cyberdyne deal to negotiation')).toBe('Deal #1 "Cyberdyne: a website" moved from lead to negotiation.');
    expect(await h.say('sam', 'Cyberdyne signed! 12k')).toBe('Deal #1 "Cyberdyne: a website" moved from negotiation to won, 12,000. 🎉');
    expect(await h.say('dev', "what's Sarah Connor's email?")).toBe("Sarah Connor's e-mail is sarah@cyberdyne.com.");
    expect(await h.say('dev', 'note for sarah from cyberdyne: prefers calls after 3pm')).toBe('Noted on #1 Sarah Connor (Cyberdyne).');
  });

  it('finds records by description through the shared resolver: a numbered question, answered by its position', async () => {
    await h.say('sam', 'new lead Sarah Connor from Cyberdyne, +1 415 555 0100');
    await h.say('sam', 'new lead Bob Stone from Initrode, +1 415 555 0111');
    await h.say('sam', 'new lead Sarah Lee from Initech, +1 415 555 0122');
    const question = await h.say('sam', 'note for sarah: likes tea');
    expect(question).toMatch(/^Two contacts .*which one should I add the note to\?\n1\. #1 Sarah Connor \(Cyberdyne\)\n2\. #3 Sarah Lee \(Initech\)\n/);
    expect(await h.say('sam', '2')).toBe('Noted on #3 Sarah Lee (Initech).');
    expect(await h.say('sam', 'note for sarah from cyberdyne: prefers e-mail')).toBe('Noted on #1 Sarah Connor (Cyberdyne).');
    expect(await h.say('sam', 'note for #2: met at the fair')).toBe('Noted on #2 Bob Stone (Initrode).');
  });

  it('erases a contact everywhere after the critical phrase and code, with a receipt; the audit chain holds', async () => {
    await h.say('sam', 'new lead Sarah Connor from Cyberdyne, sarah@cyberdyne.com, +1 415 555 0100, wants a website');
    await h.say('sam', 'note for Sarah Connor: met at the conference, call +1 415 555 0100');
    const needles = ['Sarah Connor', 'sarah@cyberdyne.com', '+14155550100', '14155550100', '+1 415 555 0100'];
    // The scan sees the person before: in the CRM, the messages, the audit log and the checkpoints.
    const before = await personalDataHits(h.stores.db, needles);
    expect(before).toEqual(expect.arrayContaining(['public.crm_contacts.name: Sarah Connor', 'public.messages.text: Sarah Connor', 'public.audit_log.data: sarah@cyberdyne.com']));
    expect(before.some((hit) => hit.startsWith('langgraph.'))).toBe(true);
    const prompt = await h.say('sam', 'erase Sarah Connor');
    expect(prompt).toMatch(/Erase contact #1 Sarah Connor \(Cyberdyne\) and everything stored about them/);
    const phrase = /CONFIRM ERASE CONTACT 1 [A-Z0-9]{4}/.exec(prompt)![0];
    const receipt = await h.say('sam', phrase);
    expect(receipt).toMatch(/^Erased contact #1\. Removed: 1 contact, .*1 note.*audit records? redacted/);
    expect(await personalDataHits(h.stores.db, needles)).toEqual([]);
    expect(await h.bot.audit.verify()).toMatchObject({ ok: true });
    expect(await h.say('sam', "what's Sarah Connor's email?")).toMatch(/can't find a contact/);
  });
});
