import type { IntentId, Understander } from '../../../intents/index.js';
import { item, measureSet, type SetFigures, type SetItem } from '../independent-sets/index.js';

/**
 * The CRM evaluation set (issue 12): utterances written for this set, before its author tuned the
 * catalog on it, as sales staff type them (lower case, shorthand, typos) and as clients write on
 * WhatsApp ("Hi, I'm Lisa Wong from Pixelforge, we need a new website", "please delete my data"), plus
 * near misses that belong to other intents. Never copy these lines into the catalog, or the
 * measurement is lost.
 *
 * Annotation, one rule for every line:
 * - `name`: the person the message is about, as written (titles such as "Mr." and "Dr." left out).
 *   For a note about a whole company the company's name is the `name` (the note's subject, as the
 *   catalog defines it). A client speaking of themselves ("delete my data") names nobody.
 * - `company`: the organisation the message names for that person or deal, as written.
 * - `email`: as written; `phone`: E.164. Only when it identifies the person of the message (an
 *   address inside a note's text is part of the note).
 * - `stage`: the pipeline stage (lead, qualified, proposal, negotiation, won, lost) for deal updates.
 * Names and companies are compared ignoring case and spacing: people type them in lower case and the
 * CRM matches them that way.
 */

export const CRM_INTENTS: readonly IntentId[] = ['crm.lead.create', 'crm.contact.find', 'crm.deal.update', 'crm.note.add', 'crm.contact.delete'];
export const CRM_SLOTS = ['name', 'company', 'email', 'phone', 'stage'] as const;
export type CrmSlot = (typeof CRM_SLOTS)[number];

export const CRM_SET: readonly SetItem[] = [
  // --- crm.lead.create ---
  item('new lead sarah connor from cyberdyne, sarah@cyberdyne.com, +1 415 555 0100, wants a website', 'crm.lead.create', { name: 'Sarah Connor', company: 'Cyberdyne', email: 'sarah@cyberdyne.com', phone: '+14155550100' }),
  item("Hi, I'm Lisa Wong from Pixelforge, we need a new website", 'crm.lead.create', { name: 'Lisa Wong', company: 'Pixelforge' }),
  item('add lead: Marcus Reid, Bluefin Logistics, marcus.reid@bluefinlogistics.com', 'crm.lead.create', { name: 'Marcus Reid', company: 'Bluefin Logistics', email: 'marcus.reid@bluefinlogistics.com' }),
  item('got a new one - dana whitfield at orchard & vine, dana@orchardvine.co.uk', 'crm.lead.create', { name: 'Dana Whitfield', company: 'Orchard & Vine', email: 'dana@orchardvine.co.uk' }),
  item('lead from the webinar: Kenji Watanabe (Sora Robotics) +81 90 1234 5678', 'crm.lead.create', { name: 'Kenji Watanabe', company: 'Sora Robotics', phone: '+819012345678' }),
  item('hello my name is Fatima Al-Sayed and I own Saffron Kitchen, we want online ordering on our site', 'crm.lead.create', { name: 'Fatima Al-Sayed', company: 'Saffron Kitchen' }),
  item('can you log a lead for brightpath tutoring, contact is emma stone, emma@brightpath.org', 'crm.lead.create', { name: 'Emma Stone', company: 'Brightpath Tutoring', email: 'emma@brightpath.org' }),
  item('hi i am Diego Ramirez from Taqueria Sol, we need web page for the restaurant', 'crm.lead.create', { name: 'Diego Ramirez', company: 'Taqueria Sol' }),
  item('new prospect: Olivia Chen, Northwind Traders, olivia@northwindtraders.com, +44 20 7946 0018', 'crm.lead.create', { name: 'Olivia Chen', company: 'Northwind Traders', email: 'olivia@northwindtraders.com', phone: '+442079460018' }),
  item("I'm Ben from Copperpot Coffee, can someone call me about a shop site? +44 7400 123456", 'crm.lead.create', { name: 'Ben', company: 'Copperpot Coffee', phone: '+447400123456' }),
  item('pls add lead tom hardy, hardy builders ltd', 'crm.lead.create', { name: 'Tom Hardy', company: 'Hardy Builders Ltd' }),
  item('new lead!! priya nair, priya@lotusyoga.in, she wants a booking app', 'crm.lead.create', { name: 'Priya Nair', email: 'priya@lotusyoga.in' }),
  item('Hi there, this is Greg Novak with Summit Roofing. Looking for a quote on a new site, reach me at greg@summitroofing.com', 'crm.lead.create', { name: 'Greg Novak', company: 'Summit Roofing', email: 'greg@summitroofing.com' }),
  item('we met Aisha Bello from Kola Foods at the expo, add her as a lead', 'crm.lead.create', { name: 'Aisha Bello', company: 'Kola Foods' }),
  item('lead: Hans Müller, Müller Bau GmbH, +49 151 23456789', 'crm.lead.create', { name: 'Hans Müller', company: 'Müller Bau GmbH', phone: '+4915123456789' }),
  item('add a lead for Redwood Dental, no contact name yet', 'crm.lead.create', { company: 'Redwood Dental' }),
  item('hey im sam, i have a small bakery called Crumbs and i need a website', 'crm.lead.create', { name: 'Sam', company: 'Crumbs' }),
  item('new enquiry: Jordan Blake, jordan.blake@gmail.com, wants a portfolio site', 'crm.lead.create', { name: 'Jordan Blake', email: 'jordan.blake@gmail.com' }),
  item("I'd like a quote for an online store. Chloe Martin, Petal & Stem Florists, chloe@petalandstem.com.au, +61 412 555 019", 'crm.lead.create', { name: 'Chloe Martin', company: 'Petal & Stem Florists', email: 'chloe@petalandstem.com.au', phone: '+61412555019' }),
  item('my name is ravi kumar, my company is kumar textiles, i need ecommerce site', 'crm.lead.create', { name: 'Ravi Kumar', company: 'Kumar Textiles' }),
  item('put nina petrova from glowskin cosmetics in as a lead, +33 6 12 34 56 78', 'crm.lead.create', { name: 'Nina Petrova', company: 'Glowskin Cosmetics', phone: '+33612345678' }),
  item('capture this lead - Leo Fischer from Alpenblick Hotel wants a booking engine', 'crm.lead.create', { name: 'Leo Fischer', company: 'Alpenblick Hotel' }),
  item('add new lead, name: Grace Okafor, email grace@okaforlaw.ng', 'crm.lead.create', { name: 'Grace Okafor', email: 'grace@okaforlaw.ng' }),
  item('inbound from contact form: Mateo Rossi, Rossi Auto, mateo@rossiauto.it, +39 347 123 4567', 'crm.lead.create', { name: 'Mateo Rossi', company: 'Rossi Auto', email: 'mateo@rossiauto.it', phone: '+393471234567' }),
  item("hi! we're Bloom Studio and we're looking for someone to build our new site. I'm Hannah", 'crm.lead.create', { name: 'Hannah', company: 'Bloom Studio' }),
  item('new lead pls - the guy from Quarry Brewing, Pete Walsh', 'crm.lead.create', { name: 'Pete Walsh', company: 'Quarry Brewing' }),
  item('Good afternoon, I am Mr. Ahmed Khan from Crescent Travels. We require a website for our agency.', 'crm.lead.create', { name: 'Ahmed Khan', company: 'Crescent Travels' }),
  item('lead: Sophie Turner / Lakeside Pilates / sophie@lakesidepilates.com', 'crm.lead.create', { name: 'Sophie Turner', company: 'Lakeside Pilates', email: 'sophie@lakesidepilates.com' }),
  item('add lead for Ironclad Security, ask for Victor Hale, victor@ironclad.io', 'crm.lead.create', { name: 'Victor Hale', company: 'Ironclad Security', email: 'victor@ironclad.io' }),
  item('i want website for my shop, i am Wei Zhang, shop name Jade Garden, my number +65 9123 4567', 'crm.lead.create', { name: 'Wei Zhang', company: 'Jade Garden', phone: '+6591234567' }),
  item('new lead from linkedin: Rachel Adams, VP marketing at Helix Bio', 'crm.lead.create', { name: 'Rachel Adams', company: 'Helix Bio' }),
  item('add a lead', 'crm.lead.create'),
  item("Hello, I'm Lisa from Pixelforge. Could someone get in touch about a redesign? lisa@pixelforge.co", 'crm.lead.create', { name: 'Lisa', company: 'Pixelforge', email: 'lisa@pixelforge.co' }),
  item('create lead jake ortiz, ortiz plumbing, jake@ortizplumbing.com', 'crm.lead.create', { name: 'Jake Ortiz', company: 'Ortiz Plumbing', email: 'jake@ortizplumbing.com' }),
  item('we need a new website for our clinic - Dr. Maya Patel, Evergreen Clinic, +1 (212) 555-0147', 'crm.lead.create', { name: 'Maya Patel', company: 'Evergreen Clinic', phone: '+12125550147' }),
  item("Saw your ad. I run Tidal Surf School and need a site with bookings. Name's Kai.", 'crm.lead.create', { name: 'Kai', company: 'Tidal Surf School' }),
  item('please add as lead: Omar Haddad from Cedar Imports, email omar@cedarimports.ae', 'crm.lead.create', { name: 'Omar Haddad', company: 'Cedar Imports', email: 'omar@cedarimports.ae' }),
  item('new lead → Zoe Clarke, zoe.clarke@outlook.com, +44 7823 456789', 'crm.lead.create', { name: 'Zoe Clarke', email: 'zoe.clarke@outlook.com', phone: '+447823456789' }),
  item('add this lead from whatsapp: Carmen Vidal, Vidal Arquitectos', 'crm.lead.create', { name: 'Carmen Vidal', company: 'Vidal Arquitectos' }),
  item("hey, we'd like to redo our online shop, I'm Noah Schmidt from Bergfeld Outdoor", 'crm.lead.create', { name: 'Noah Schmidt', company: 'Bergfeld Outdoor' }),

  // --- crm.contact.find ---
  item("what's John Smith's email?", 'crm.contact.find', { name: 'John Smith' }),
  item('who do we know at Initech?', 'crm.contact.find', { company: 'Initech' }),
  item("whats sarah connor's number", 'crm.contact.find', { name: 'Sarah Connor' }),
  item('find marcus reid', 'crm.contact.find', { name: 'Marcus Reid' }),
  item('look up dana at orchard & vine', 'crm.contact.find', { name: 'Dana', company: 'Orchard & Vine' }),
  item('do we have anyone from Bluefin Logistics in the crm?', 'crm.contact.find', { company: 'Bluefin Logistics' }),
  item('who is olivia@northwindtraders.com', 'crm.contact.find', { email: 'olivia@northwindtraders.com' }),
  item('whose number is +44 20 7946 0018', 'crm.contact.find', { phone: '+442079460018' }),
  item("get me Greg Novak's details", 'crm.contact.find', { name: 'Greg Novak' }),
  item('what company is Aisha Bello with', 'crm.contact.find', { name: 'Aisha Bello' }),
  item('phone number for Hans Müller pls', 'crm.contact.find', { name: 'Hans Müller' }),
  item("who's the contact at Redwood Dental", 'crm.contact.find', { company: 'Redwood Dental' }),
  item('search the crm for priya nair', 'crm.contact.find', { name: 'Priya Nair' }),
  item('pull up everything we have on Summit Roofing', 'crm.contact.find', { company: 'Summit Roofing' }),
  item('do we know anybody at helix bio', 'crm.contact.find', { company: 'Helix Bio' }),
  item('find contacts at Kola Foods', 'crm.contact.find', { company: 'Kola Foods' }),
  item("what's emma stone's email address", 'crm.contact.find', { name: 'Emma Stone' }),
  item('is Leo Fischer already in our crm?', 'crm.contact.find', { name: 'Leo Fischer' }),
  item('lookup grace@okaforlaw.ng', 'crm.contact.find', { email: 'grace@okaforlaw.ng' }),
  item('who was that guy from Quarry Brewing again?', 'crm.contact.find', { company: 'Quarry Brewing' }),
  item("show me Chloe Martin's contact card", 'crm.contact.find', { name: 'Chloe Martin' }),
  item("i need ravi kumar's phone number", 'crm.contact.find', { name: 'Ravi Kumar' }),
  item('which contacts do we have at Ironclad Security', 'crm.contact.find', { company: 'Ironclad Security' }),
  item('how do I reach Victor Hale', 'crm.contact.find', { name: 'Victor Hale' }),
  item('find the contact with phone +33 6 12 34 56 78', 'crm.contact.find', { phone: '+33612345678' }),
  item('who at Cedar Imports have we talked to', 'crm.contact.find', { company: 'Cedar Imports' }),
  item('email for nina petrova?', 'crm.contact.find', { name: 'Nina Petrova' }),
  item('contact details for Omar Haddad at Cedar Imports', 'crm.contact.find', { name: 'Omar Haddad', company: 'Cedar Imports' }),
  item('search contacts: Mateo Rossi', 'crm.contact.find', { name: 'Mateo Rossi' }),
  item("what's the email of the person at Jade Garden", 'crm.contact.find', { company: 'Jade Garden' }),
  item('do we have a number for Pete from Quarry Brewing', 'crm.contact.find', { name: 'Pete', company: 'Quarry Brewing' }),
  item('any contacts at evergreen clinic?', 'crm.contact.find', { company: 'Evergreen Clinic' }),
  item('find sarah from cyberdyne', 'crm.contact.find', { name: 'Sarah', company: 'Cyberdyne' }),
  item('what do we know about Carmen Vidal', 'crm.contact.find', { name: 'Carmen Vidal' }),
  item("who's Rachel Adams", 'crm.contact.find', { name: 'Rachel Adams' }),
  item("I've got a call with Tidal Surf School in ten minutes, who's our contact there?", 'crm.contact.find', { company: 'Tidal Surf School' }),

  // --- crm.deal.update ---
  item('move the acme deal to negotiation', 'crm.deal.update', { company: 'Acme', stage: 'negotiation' }),
  item('mark cyberdyne as proposal sent', 'crm.deal.update', { company: 'Cyberdyne', stage: 'proposal' }),
  item('acme signed! 12k', 'crm.deal.update', { company: 'Acme', stage: 'won' }),
  item('Bluefin Logistics is now in negotiation', 'crm.deal.update', { company: 'Bluefin Logistics', stage: 'negotiation' }),
  item('we lost orchard & vine, they went with a cheaper agency', 'crm.deal.update', { company: 'Orchard & Vine', stage: 'lost' }),
  item('set the Summit Roofing deal to won, 8,500', 'crm.deal.update', { company: 'Summit Roofing', stage: 'won' }),
  item('move kola foods to qualified', 'crm.deal.update', { company: 'Kola Foods', stage: 'qualified' }),
  item('Helix Bio accepted the proposal!!', 'crm.deal.update', { company: 'Helix Bio', stage: 'won' }),
  item('push the redwood dental deal to proposal stage', 'crm.deal.update', { company: 'Redwood Dental', stage: 'proposal' }),
  item('Quarry Brewing went cold, mark as lost', 'crm.deal.update', { company: 'Quarry Brewing', stage: 'lost' }),
  item('update Ironclad Security deal: negotiation', 'crm.deal.update', { company: 'Ironclad Security', stage: 'negotiation' }),
  item('sent the proposal to Saffron Kitchen today, update their deal', 'crm.deal.update', { company: 'Saffron Kitchen', stage: 'proposal' }),
  item('northwind traders deal → won', 'crm.deal.update', { company: 'Northwind Traders', stage: 'won' }),
  item('mark the bergfeld outdoor opportunity as qualified', 'crm.deal.update', { company: 'Bergfeld Outdoor', stage: 'qualified' }),
  item('crescent travels said yes! close it as won', 'crm.deal.update', { company: 'Crescent Travels', stage: 'won' }),
  item('move Jade Garden back to lead', 'crm.deal.update', { company: 'Jade Garden', stage: 'lead' }),
  item('the Alpenblick Hotel deal is in negotiation now, they want 10% off', 'crm.deal.update', { company: 'Alpenblick Hotel', stage: 'negotiation' }),
  item('Tidal Surf School declined, mark the deal lost', 'crm.deal.update', { company: 'Tidal Surf School', stage: 'lost' }),
  item('pixelforge signed for 15k', 'crm.deal.update', { company: 'Pixelforge', stage: 'won' }),
  item('update deal stage', 'crm.deal.update'),
  item('mark Lakeside Pilates as proposal sent', 'crm.deal.update', { company: 'Lakeside Pilates', stage: 'proposal' }),
  item("move Evergreen Clinic to negotiation, they're reviewing the contract", 'crm.deal.update', { company: 'Evergreen Clinic', stage: 'negotiation' }),
  item('we won Rossi Auto 🎉 €9k', 'crm.deal.update', { company: 'Rossi Auto', stage: 'won' }),
  item('can you move Cedar Imports into the proposal stage', 'crm.deal.update', { company: 'Cedar Imports', stage: 'proposal' }),
  item('Glowskin Cosmetics is qualified, budget confirmed', 'crm.deal.update', { company: 'Glowskin Cosmetics', stage: 'qualified' }),
  item('drop Hardy Builders to lost, no budget', 'crm.deal.update', { company: 'Hardy Builders', stage: 'lost' }),
  item('mark Petal & Stem as won, $4,200', 'crm.deal.update', { company: 'Petal & Stem', stage: 'won' }),
  item('Sora Robotics moved to negotiation', 'crm.deal.update', { company: 'Sora Robotics', stage: 'negotiation' }),
  item('change the stage of the Bloom Studio deal to qualified', 'crm.deal.update', { company: 'Bloom Studio', stage: 'qualified' }),
  item('vidal arquitectos signed the contract today', 'crm.deal.update', { company: 'Vidal Arquitectos', stage: 'won' }),
  item('Marcus said Bluefin want to go ahead, set the Bluefin deal to won', 'crm.deal.update', { company: 'Bluefin', stage: 'won' }),

  // --- crm.note.add ---
  item('add a note to sarah connor: prefers calls after 3pm', 'crm.note.add', { name: 'Sarah Connor' }),
  item('note on cyberdyne: they want the launch before black friday', 'crm.note.add', { name: 'Cyberdyne' }),
  item("log a call with Marcus Reid, he's waiting on budget sign-off", 'crm.note.add', { name: 'Marcus Reid' }),
  item("jot down for Dana Whitfield that she's on leave till the 12th", 'crm.note.add', { name: 'Dana Whitfield' }),
  item('note for Greg at Summit Roofing - send the revised quote monday', 'crm.note.add', { name: 'Greg', company: 'Summit Roofing' }),
  item("add to Aisha Bello's record: interested in a mobile app too", 'crm.note.add', { name: 'Aisha Bello' }),
  item('put a note on Kola Foods: invoices go to accounts@kolafoods.com', 'crm.note.add', { name: 'Kola Foods' }),
  item('hans müller called, wants to move the meeting to thursday, add that as a note', 'crm.note.add', { name: 'Hans Müller' }),
  item('note: Priya Nair asked for a discount on the booking app', 'crm.note.add', { name: 'Priya Nair' }),
  item('save a note on Helix Bio - procurement needs 3 quotes', 'crm.note.add', { name: 'Helix Bio' }),
  item('add note to contact Leo Fischer, send German translation of the proposal', 'crm.note.add', { name: 'Leo Fischer' }),
  item('write down that Victor Hale prefers whatsapp', 'crm.note.add', { name: 'Victor Hale' }),
  item('add a note', 'crm.note.add'),
  item('log meeting notes for Saffron Kitchen: agreed on phase 1 scope, delivery in 6 weeks', 'crm.note.add', { name: 'Saffron Kitchen' }),
  item('add a note on omar haddad: wants arabic and english versions', 'crm.note.add', { name: 'Omar Haddad' }),
  item('note for Chloe: photos arrive next week', 'crm.note.add', { name: 'Chloe' }),
  item("record on Rossi Auto's file that the deposit was paid", 'crm.note.add', { name: 'Rossi Auto' }),
  item('attach a note to Carmen Vidal - met at the architecture fair', 'crm.note.add', { name: 'Carmen Vidal' }),
  item('add to the notes for Jade Garden that the owner is Wei Zhang', 'crm.note.add', { name: 'Jade Garden' }),
  item('make a note against Ironclad Security, NDA signed', 'crm.note.add', { name: 'Ironclad Security' }),
  item('note Grace Okafor - follow up in january', 'crm.note.add', { name: 'Grace Okafor' }),
  item('please add a note for Noah Schmidt at Bergfeld Outdoor: wants Shopify, not WooCommerce', 'crm.note.add', { name: 'Noah Schmidt', company: 'Bergfeld Outdoor' }),
  item("just spoke to Rachel Adams, they've got budget in Q2, note it on her contact", 'crm.note.add', { name: 'Rachel Adams' }),
  item('stick a note on the Evergreen Clinic record, Dr Patel is the decision maker', 'crm.note.add', { name: 'Evergreen Clinic' }),
  item('add comment to Tidal Surf School: call back after the season', 'crm.note.add', { name: 'Tidal Surf School' }),
  item('note for lisa wong: loved the moodboard', 'crm.note.add', { name: 'Lisa Wong' }),

  // --- crm.contact.delete ---
  item('please delete my data', 'crm.contact.delete'),
  item('delete the contact sarah connor', 'crm.contact.delete', { name: 'Sarah Connor' }),
  item('remove Marcus Reid from the crm', 'crm.contact.delete', { name: 'Marcus Reid' }),
  item('erase everything we have on dana@orchardvine.co.uk', 'crm.contact.delete', { email: 'dana@orchardvine.co.uk' }),
  item('GDPR request from Kenji Watanabe, delete him', 'crm.contact.delete', { name: 'Kenji Watanabe' }),
  item("Hi, I'm Lisa Wong, please remove all my personal data from your system", 'crm.contact.delete', { name: 'Lisa Wong' }),
  item('delete contact', 'crm.contact.delete'),
  item('wipe greg novak from our contacts, he asked', 'crm.contact.delete', { name: 'Greg Novak' }),
  item('remove the duplicate Aisha Bello', 'crm.contact.delete', { name: 'Aisha Bello' }),
  item('delete the contact with number +49 151 23456789', 'crm.contact.delete', { phone: '+4915123456789' }),
  item("please forget about me, I don't want to be contacted again", 'crm.contact.delete'),
  item('get rid of the test contact Foo Bar', 'crm.contact.delete', { name: 'Foo Bar' }),
  item('remove priya nair from crm', 'crm.contact.delete', { name: 'Priya Nair' }),
  item("erase leo fischer's data, right to be forgotten", 'crm.contact.delete', { name: 'Leo Fischer' }),
  item('delete John from Initech, he left the company', 'crm.contact.delete', { name: 'John', company: 'Initech' }),
  item('i want my details deleted. this is Omar Haddad', 'crm.contact.delete', { name: 'Omar Haddad' }),
  item('remove grace@okaforlaw.ng from our contacts', 'crm.contact.delete', { email: 'grace@okaforlaw.ng' }),
  item('delete victor hale', 'crm.contact.delete', { name: 'Victor Hale' }),
  item('please delete Chloe Martin from Petal & Stem', 'crm.contact.delete', { name: 'Chloe Martin', company: 'Petal & Stem' }),
  item("we've been asked to remove all data for Mateo Rossi", 'crm.contact.delete', { name: 'Mateo Rossi' }),
  item('can you remove me from your list please', 'crm.contact.delete'),
  item('delete the contact card for Hannah at Bloom Studio', 'crm.contact.delete', { name: 'Hannah', company: 'Bloom Studio' }),
  item('erase contact ravi kumar', 'crm.contact.delete', { name: 'Ravi Kumar' }),
  item('delet nina petrova', 'crm.contact.delete', { name: 'Nina Petrova' }),
  item('Under GDPR I request the deletion of all personal data you hold about me, Zoe Clarke, zoe.clarke@outlook.com', 'crm.contact.delete', { name: 'Zoe Clarke', email: 'zoe.clarke@outlook.com' }),

  // --- near misses: other intents that talk about people, companies and deals ---
  item('remind me to call sarah from cyberdyne tomorrow at 10', 'task.create'),
  item("what's your refund policy?", 'knowledge.ask'),
  item('how much do you charge for a website?', 'knowledge.ask'),
  item('what are your prices for an online shop', 'knowledge.ask'),
  item('task: send the proposal to acme by friday', 'task.create'),
  item('add a task for bob to follow up with Helix Bio', 'task.create'),
  item('show my tasks', 'task.list'),
  item('hi', 'greeting'),
  item('deploy the pixelforge site to staging', 'deploy.create'),
  item('is pixelforge.co available?', 'domain.check'),
  item('what can you do?', 'help'),
  item('who won the football last night', 'out_of_scope'),
  item('cancel that', 'cancel'),
  item('mark the proposal task done', 'task.complete'),
  item('delete the task about calling acme', 'task.delete'),
  item('what services do you offer?', 'knowledge.ask'),
  item('do you build mobile apps?', 'knowledge.ask'),
  item('how long does a website take to build?', 'knowledge.ask'),
  item('notify me when the acme deploy is live', 'notify.subscribe'),
  item('good morning!', 'greeting'),
];

const fold = (value: unknown) => String(value).toLowerCase().replace(/\s+/g, ' ').trim();

/** The set measured: intent over every line, the CRM slots over the CRM intents. */
export async function measureCrm(understander: Understander, items: readonly SetItem[] = CRM_SET): Promise<SetFigures<CrmSlot>> {
  return measureSet(understander, items, {
    intents: CRM_INTENTS,
    slots: CRM_SLOTS,
    context: { now: Date.parse('2026-12-05T10:00:00Z'), timezone: 'Europe/London', apps: ['pixelforge-site', 'acme-shop'] },
    same: (slot, expected, got) => (slot === 'name' || slot === 'company' ? fold(expected) === fold(got) : expected === got),
  });
}
