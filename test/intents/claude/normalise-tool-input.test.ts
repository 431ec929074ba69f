import { describe, expect, it } from 'vitest';
import { intentDefinition, INTENT_CATALOG } from '../../../intents/catalog/index.js';
import {
  buildIntentTools,
  buildSystemPrompt,
  ClaudeOutputError,
  intentForToolName,
  normaliseToolInput,
  toolNameForIntent,
  TOOL_NAME_PATTERN,
  type NormaliseToolInputContext,
} from '../../../intents/claude/index.js';
import { INTENT_IDS, NOTIFY_EVENTS } from '../../../intents/ids.js';

const CONTEXT: NormaliseToolInputContext = {
  now: Date.parse('2026-10-24T22:30:00Z'),
  timezone: 'Europe/London',
  apps: ['marketing-site', 'soarix-web', 'acme-shop'],
  originalText: '',
};

describe('intent tools', () => {
  it('name every intent with a valid tool name and map the name back', () => {
    for (const id of INTENT_IDS) {
      const name = toolNameForIntent(id);
      expect(name).toMatch(TOOL_NAME_PATTERN);
      expect(intentForToolName(name)).toBe(id);
    }
    expect(toolNameForIntent('domain.dns.add')).toBe('domain_dns_add');
    expect(intentForToolName('out_of_scope')).toBe('out_of_scope');
    expect(intentForToolName('domain.dns.add')).toBeUndefined();
    expect(intentForToolName('toString')).toBeUndefined();
  });

  it('describe each intent with its slots as an object schema, every slot optional', () => {
    const tools = buildIntentTools();
    expect(tools).toHaveLength(INTENT_CATALOG.length);
    for (const [index, tool] of tools.entries()) {
      const definition = INTENT_CATALOG[index]!;
      expect(tool.description).toBe(definition.description);
      expect(tool.input_schema.type).toBe('object');
      expect(tool.input_schema.additionalProperties).toBe(false);
      expect(tool.input_schema).not.toHaveProperty('$schema');
      expect(Object.keys(tool.input_schema.properties).sort()).toEqual(Object.keys(definition.slots.shape).sort());
      expect(tool.input_schema.required ?? []).toEqual([]);
    }
  });
});

describe('buildSystemPrompt', () => {
  it('states the moment in the user’s zone', () => {
    const prompt = buildSystemPrompt({ ...CONTEXT, timezone: 'America/New_York' });
    expect(prompt).toContain('2026-10-24T18:30:00-04:00 (Saturday)');
    expect(prompt).toContain('America/New_York');
  });

  it('falls back to UTC for a zone it does not know, and says when no apps are configured', () => {
    const prompt = buildSystemPrompt({ ...CONTEXT, timezone: 'Mars/Olympus_Mons', apps: [] });
    expect(prompt).toContain('2026-10-24T22:30:00+00:00');
    expect(prompt).toContain('No apps are configured');
  });

  it('never speaks of confirming or approving', () => {
    expect(buildSystemPrompt(CONTEXT)).not.toMatch(/confirm|approv/i);
  });
});

describe('normaliseToolInput', () => {
  it('treats null as not stated', () => {
    expect(normaliseToolInput('deploy.create', { app: 'soarix-web', env: null, ref: null }, CONTEXT)).toEqual({
      slots: { app: 'soarix-web' },
      dropped: [],
      ignored: [],
    });
  });

  it('leaves the intent’s defaults to the tool', () => {
    expect(normaliseToolInput('domain.register', { domain: 'acme.co.uk' }, CONTEXT).slots).toEqual({ domain: 'acme.co.uk' });
    expect(intentDefinition('domain.register').slots.partial().parse({ domain: 'acme.co.uk' })).toHaveProperty('years', 1);
  });

  it('reads domains as each intent needs them', () => {
    expect(normaliseToolInput('domain.register', { domain: 'https://www.acme.co.uk/' }, CONTEXT).slots).toEqual({ domain: 'acme.co.uk' });
    expect(normaliseToolInput('domain.map', { domain: 'Shop.Acme.co.uk', app: 'acme shop' }, CONTEXT).slots).toEqual({
      domain: 'shop.acme.co.uk',
      app: 'acme-shop',
    });
    expect(normaliseToolInput('domain.dns.delete', { domain: '*.acme.co.uk', recordType: 'A' }, CONTEXT).slots).toEqual({
      domain: 'acme.co.uk',
      recordType: 'A',
      recordName: '*',
    });
    expect(normaliseToolInput('domain.check', { domain: 'acme' }, CONTEXT)).toMatchObject({ slots: {}, dropped: ['domain'] });
  });

  it('drops values outside a slot’s range', () => {
    expect(normaliseToolInput('domain.register', { domain: 'acme.com', years: 11 }, CONTEXT)).toMatchObject({
      slots: { domain: 'acme.com' },
      dropped: ['years'],
    });
    expect(normaliseToolInput('task.create', { title: 'pay \u202Eevil' }, CONTEXT)).toMatchObject({ slots: {}, dropped: ['title'] });
  });

  it('normalises contacts with the extractors', () => {
    expect(
      normaliseToolInput('crm.lead.create', { name: ' Maria Lopez ', email: 'Maria@ACME.co.uk', phone: '07911 123456' }, {
        ...CONTEXT,
        defaultCountry: 'GB',
      }).slots,
    ).toEqual({ name: 'Maria Lopez', email: 'maria@acme.co.uk', phone: '+447911123456' });
  });

  it('does not guess which masked phone number was meant', () => {
    const context = { ...CONTEXT, originalText: 'call +44 7911 123456 or +1 415 555 3456' };
    expect(normaliseToolInput('crm.lead.create', { phone: '+********3456' }, context)).toMatchObject({ slots: {}, dropped: ['phone'] });
  });

  it('keeps an instant with an offset and resolves anything else in the user’s zone', () => {
    expect(normaliseToolInput('task.create', { due: '2026-10-30T09:00:00+01:00' }, CONTEXT).slots).toEqual({
      due: '2026-10-30T09:00:00+01:00',
    });
    expect(normaliseToolInput('task.create', { due: 'on Friday' }, CONTEXT).slots).toEqual({ due: '2026-10-30T09:00:00+00:00' });
  });

  it('reads events, stages and record values', () => {
    expect(normaliseToolInput('notify.subscribe', { events: 'everything' }, CONTEXT).slots).toEqual({ events: [...NOTIFY_EVENTS] });
    expect(normaliseToolInput('notify.subscribe', { events: ['deploy.live', 'deploy.live'] }, CONTEXT).slots).toEqual({
      events: ['deploy.live'],
    });
    // The old name of a good build is read as today's.
    expect(normaliseToolInput('notify.subscribe', { events: ['build.finished', 'deploy.rolled_back'] }, CONTEXT).slots).toEqual({
      events: ['build.succeeded', 'deploy.rolled_back'],
    });
    expect(normaliseToolInput('crm.deal.update', { stage: 'proposal sent', company: 'Acme' }, CONTEXT).slots).toEqual({
      stage: 'proposal',
      company: 'Acme',
    });
    expect(
      normaliseToolInput('domain.dns.add', { domain: 'acme.co.uk', recordType: 'txt', recordName: '@', recordValue: '"v=spf1 -all"' }, CONTEXT)
        .slots,
    ).toEqual({ domain: 'acme.co.uk', recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 -all' });
  });

  it('matches apps against the catalog, and takes a kebab-case name when there is none', () => {
    expect(normaliseToolInput('build.start', { app: 'Soarix Web' }, CONTEXT).slots).toEqual({ app: 'soarix-web' });
    expect(normaliseToolInput('build.start', { app: 'billing-api' }, CONTEXT)).toMatchObject({ slots: {}, dropped: ['app'] });
    expect(normaliseToolInput('build.start', { app: 'Billing-API' }, { ...CONTEXT, apps: [] }).slots).toEqual({ app: 'billing-api' });
  });

  it('ignores slots of other intents and keys that are no slots at all', () => {
    expect(normaliseToolInput('domain.check', { domain: 'acme.com', env: 'production', confirmed: true }, CONTEXT)).toEqual({
      slots: { domain: 'acme.com' },
      dropped: [],
      ignored: ['env', 'confirmed'],
    });
  });

  it('throws claude_output_invalid, naming the slot, for a slot of the wrong type', () => {
    let error: unknown;
    try {
      normaliseToolInput('domain.register', { domain: 'acme.com', years: true }, CONTEXT);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ClaudeOutputError);
    expect(error).toMatchObject({ code: 'claude_output_invalid', problem: 'invalid_tool_input', detail: 'wrong type for years' });
  });
});
