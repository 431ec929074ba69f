import { describe, expect, it } from 'vitest';
import { extractNeed, extractSlots } from '../../../intents/slots/index.js';

describe('extractNeed', () => {
  it.each([
    ['new lead jane doe from acme, jane@acme.com, +1 415 555 0100, wants a website', 'wants a website'],
    ["Hi, I'm Lisa from Pixelforge, we need a new website", 'need a new website'],
    ["I'd like a quote for an online store. Jane Doe, Acme", 'would like a quote for an online store'],
    ["we're looking for someone to build our app. I'm Hannah", 'looking for someone to build our app'],
    ['i want website for my shop, i am Wei, my number +65 9123 4567', 'want website for my shop'],
    ['we need a new site for our clinic - Dr. Maya Patel, Evergreen Clinic', 'need a new site for our clinic'],
  ])('%s', (text, need) => {
    expect(extractNeed(text)).toBe(need);
  });

  it('finds no need where none is said', () => {
    expect(extractNeed('add lead: Marcus Reid, Bluefin Logistics, marcus@bluefin.com')).toBeUndefined();
    expect(extractNeed('we need')).toBeUndefined();
    expect(extractNeed('')).toBeUndefined();
  });

  it('carries a lead\'s need in its note', () => {
    const context = { now: Date.parse('2026-12-05T10:00:00Z'), timezone: 'Europe/London', apps: [] };
    expect(extractSlots('new lead sarah connor from cyberdyne, sarah@cyberdyne.com, +1 415 555 0100, wants a website', 'crm.lead.create', context)).toEqual({
      name: 'Sarah Connor',
      company: 'Cyberdyne',
      email: 'sarah@cyberdyne.com',
      phone: '+14155550100',
      note: 'wants a website',
    });
  });
});
