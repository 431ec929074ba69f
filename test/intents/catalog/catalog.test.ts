import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ROLES, type Role } from '../../../core/roles.js';
import { INTENT_IDS, SLOT_NAMES, type IntentId, type SlotName, type Slots } from '../../../intents/ids.js';
import {
  AppSchema,
  AssigneeSchema,
  DnsRecordTypeSchema,
  DomainSchema,
  DueSchema,
  EmailSchema,
  EnvironmentSchema,
  INTENT_CATALOG,
  NameSchema,
  NoteSchema,
  NotifyEventsSchema,
  PhoneSchema,
  RecordNameSchema,
  RecordValueSchema,
  RefSchema,
  RegistrableDomainSchema,
  SlotsSchema,
  TitleSchema,
  YearsSchema,
  intentDefinition,
  intentsForRole,
} from '../../../intents/catalog/index.js';

// --- helpers ---

/** The duplicate rule of the brief: case ignored, runs of whitespace collapsed. */
const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
/** Stricter: punctuation ignored too, so 'what can you do' and 'what can you do?' count as one. */
const normaliseLoosely = (text: string) =>
  normalise(text)
    .replace(/[^\p{L}\p{N}@ ]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

const slotKeys = (id: IntentId) => Object.keys(intentDefinition(id).slots.shape);

/** A value every slot schema accepts, to build complete requests from. */
const GOOD_SLOTS: Required<Slots> = {
  app: 'soarix-web',
  env: 'production',
  ref: 'feature/login',
  domain: 'acme.co.uk',
  years: 2,
  recordType: 'CNAME',
  recordName: 'www',
  recordValue: 'soarix-web.pages.dev',
  name: 'Maria Lopez',
  company: 'Globex',
  email: 'maria@globex.com',
  phone: '+447911123456',
  stage: 'negotiation',
  query: 'how much does a landing page cost?',
  note: 'Wants the proposal by Friday.',
  title: 'Send Acme the proposal',
  due: '2025-03-14T17:00:00+00:00',
  assignee: 'Priya',
  events: ['build.failed', 'deploy.live'],
};

const pick = (keys: readonly string[]) =>
  Object.fromEntries(keys.map((key) => [key, GOOD_SLOTS[key as SlotName]]));

// --- completeness ---

describe('the intent catalog', () => {
  it('has exactly one definition for every intent id, in INTENT_IDS order', () => {
    expect(INTENT_CATALOG.map((d) => d.id)).toEqual([...INTENT_IDS]);
    for (const id of INTENT_IDS) expect(intentDefinition(id).id).toBe(id);
  });

  it('describes every intent in one sentence and gives a help example', () => {
    for (const d of INTENT_CATALOG) {
      expect(d.description, d.id).toMatch(/^[A-Z].*[.)]$/);
      expect(d.description.length, d.id).toBeLessThanOrEqual(160);
      expect(d.helpExample.trim(), d.id).not.toBe('');
    }
  });
});

// --- examples ---

describe('examples', () => {
  it('has at least 30 per intent, 60 for the broad ones and 80 for out_of_scope', () => {
    const minimum: Partial<Record<IntentId, number>> = { 'task.create': 60, 'knowledge.ask': 60, out_of_scope: 80 };
    for (const d of INTENT_CATALOG) expect(d.examples.length, d.id).toBeGreaterThanOrEqual(minimum[d.id] ?? 30);
  });

  it('are trimmed, single-line and of a sensible length', () => {
    for (const d of INTENT_CATALOG) {
      for (const example of d.examples) {
        expect(example, d.id).toBe(example.trim());
        expect(example, d.id).not.toMatch(/[\n\r\t]/);
        expect(example.length, `${d.id}: ${example}`).toBeGreaterThan(0);
        expect(example.length, `${d.id}: ${example}`).toBeLessThanOrEqual(200);
      }
    }
  });

  it.each([
    ['case and whitespace', normalise],
    ['case, whitespace and punctuation', normaliseLoosely],
  ])('never repeat, within or across intents (ignoring %s)', (_rule, key) => {
    const seen = new Map<string, string>();
    const repeats: string[] = [];
    for (const d of INTENT_CATALOG) {
      for (const example of d.examples) {
        const k = key(example) || example;
        const first = seen.get(k);
        if (first !== undefined) repeats.push(`"${example}" in ${d.id} repeats ${first}`);
        else seen.set(k, `${d.id}: "${example}"`);
      }
    }
    expect(repeats).toEqual([]);
  });

  it("help examples are never another intent's training example", () => {
    for (const d of INTENT_CATALOG) {
      for (const other of INTENT_CATALOG) {
        if (other.id === d.id) continue;
        expect(other.examples.map(normalise), `${d.id}: ${d.helpExample}`).not.toContain(normalise(d.helpExample));
      }
    }
  });
});

// --- slots ---

describe('slots', () => {
  it('only uses slot names of the public contract', () => {
    for (const d of INTENT_CATALOG) {
      for (const key of slotKeys(d.id)) expect(SLOT_NAMES, `${d.id}.${key}`).toContain(key);
    }
  });

  it('requires only slots the intent takes, each once', () => {
    for (const d of INTENT_CATALOG) {
      for (const key of d.required) expect(slotKeys(d.id), d.id).toContain(key);
      expect(new Set(d.required).size, d.id).toBe(d.required.length);
    }
  });

  it('asks in the documented order for the intents the brief names', () => {
    expect(intentDefinition('deploy.create').required).toEqual(['app', 'env']);
    expect(intentDefinition('domain.register').required).toEqual(['domain']);
    expect(intentDefinition('task.create').required).toEqual(['title']);
  });

  it('accepts a complete request, and refuses one missing any required slot', () => {
    for (const d of INTENT_CATALOG) {
      const complete = pick(slotKeys(d.id));
      expect(d.slots.safeParse(complete).success, d.id).toBe(true);
      expect(d.slots.safeParse(pick(d.required)).success, `${d.id} with only its required slots`).toBe(true);
      for (const missing of d.required) {
        const { [missing]: _dropped, ...rest } = complete;
        expect(d.slots.safeParse(rest).success, `${d.id} without ${missing}`).toBe(false);
      }
    }
  });

  it('can be filled step by step (partial) and described to Claude as JSON Schema', () => {
    for (const d of INTENT_CATALOG) {
      const partial = d.slots.partial();
      expect(partial.safeParse({}).success, d.id).toBe(true);
      const jsonSchema = z.toJSONSchema(partial, { io: 'input' }) as { required?: string[] };
      expect(jsonSchema.required ?? [], d.id).toEqual([]);
      expect(() => z.toJSONSchema(d.slots, { io: 'input' }), d.id).not.toThrow();
    }
  });

  it('lets domain.register default to one year', () => {
    expect(intentDefinition('domain.register').slots.parse({ domain: 'soarix.ai' })).toEqual({
      domain: 'soarix.ai',
      years: 1,
    });
  });

  it('describes the same values as the Slots type', () => {
    expectTypeOf<z.output<typeof SlotsSchema>>().toEqualTypeOf<Slots>();
    expect(SlotsSchema.safeParse(GOOD_SLOTS).success).toBe(true);
    expect(Object.keys(SlotsSchema.shape).sort()).toEqual([...SLOT_NAMES].sort());
  });
});

// --- roles ---

describe('roles', () => {
  const CLIENT_INTENTS: IntentId[] = ['crm.lead.create', 'knowledge.ask', 'help', 'cancel', 'greeting', 'out_of_scope'];

  it('are valid, listed once, and never empty', () => {
    for (const d of INTENT_CATALOG) {
      expect(d.roles.length, d.id).toBeGreaterThan(0);
      expect(new Set(d.roles).size, d.id).toBe(d.roles.length);
      for (const role of d.roles) expect(ROLES, d.id).toContain(role);
    }
  });

  it('let owners and admins start everything', () => {
    for (const role of ['owner', 'admin'] as const) expect(intentsForRole(role)).toHaveLength(INTENT_IDS.length);
  });

  it('let unknown users only greet, ask for help, cancel and be told what is out of scope', () => {
    expect(intentsForRole('unknown').map((d) => d.id)).toEqual(['help', 'cancel', 'greeting', 'out_of_scope']);
  });

  it('keep clients away from builds, deploys, domains and deletions', () => {
    const forbidden = (id: IntentId) =>
      id === 'build.start' ||
      id.startsWith('deploy.') ||
      id.startsWith('domain.') ||
      id === 'crm.contact.delete' ||
      id === 'task.delete';
    for (const d of intentsForRole('client')) expect(forbidden(d.id), d.id).toBe(false);
    expect(intentsForRole('client').map((d) => d.id)).toEqual(CLIENT_INTENTS);
  });

  it('give sales the CRM, tasks, knowledge, notifications and statuses, but no builds, deploys or domains', () => {
    const ids = intentsForRole('sales').map((d) => d.id);
    for (const id of INTENT_IDS.filter((i) => i.startsWith('crm.') || i.startsWith('task.'))) expect(ids).toContain(id);
    for (const id of ['knowledge.ask', 'notify.subscribe', 'build.status', 'deploy.status'] as const) {
      expect(ids).toContain(id);
    }
    for (const id of ['build.start', 'deploy.create', 'deploy.rollback'] as const) expect(ids).not.toContain(id);
    expect(ids.some((id) => id.startsWith('domain.'))).toBe(false);
  });

  it('give developers builds, deploys, domains except buying, tasks, knowledge and notifications, but no CRM', () => {
    const ids = intentsForRole('developer').map((d) => d.id);
    for (const id of INTENT_IDS.filter((i) => /^(build|deploy|task)\./.test(i))) expect(ids).toContain(id);
    for (const id of ['domain.check', 'domain.map', 'domain.dns.add', 'domain.dns.delete', 'domain.verify'] as const) {
      expect(ids).toContain(id);
    }
    for (const id of ['knowledge.ask', 'notify.subscribe'] as const) expect(ids).toContain(id);
    expect(ids).not.toContain('domain.register');
    expect(ids.some((id) => id.startsWith('crm.'))).toBe(false);
  });

  it('let every role greet, ask for help and cancel', () => {
    for (const role of ROLES as readonly Role[]) {
      const ids = intentsForRole(role).map((d) => d.id);
      for (const id of ['help', 'cancel', 'greeting', 'out_of_scope'] as const) expect(ids, role).toContain(id);
    }
  });
});

// --- slot schemas ---

describe('slot schemas', () => {
  const accepts = (schema: z.ZodType, values: unknown[]) => {
    for (const value of values) expect(schema.safeParse(value).success, `accepts ${JSON.stringify(value)}`).toBe(true);
  };
  const rejects = (schema: z.ZodType, values: unknown[]) => {
    for (const value of values) expect(schema.safeParse(value).success, `rejects ${JSON.stringify(value)}`).toBe(false);
  };

  it('EnvironmentSchema takes only normalised environments', () => {
    accepts(EnvironmentSchema, ['production', 'staging', 'preview']);
    rejects(EnvironmentSchema, ['prod', 'live', 'stage', 'Production', '', undefined]);
  });

  it('AppSchema takes kebab-case app names', () => {
    accepts(AppSchema, ['soarix-web', 'acme-shop', 'app2', 'a']);
    rejects(AppSchema, ['Soarix Web', 'soarix_web', '-web', 'web-', 'marketing site', '', 'a'.repeat(65)]);
  });

  it('RefSchema takes branches, tags and commits but nothing that reads as an option', () => {
    accepts(RefSchema, ['main', 'feature/login', 'v1.4.0', 'a1b2c3d', 'release/2.3', 'hotfix/payment-timeout']);
    rejects(RefSchema, ['-rf', '--upload-pack=evil', 'a b', 'main..dev', 'feature/', '/main', 'x.lock']);
    rejects(RefSchema, ['a~1', 'HEAD^', 'refs@{0}', '']);
  });

  it('DomainSchema takes lower-case ASCII domains under a public suffix', () => {
    accepts(DomainSchema, ['soarix.ai', 'acme.co.uk', 'shop.acme.co.uk', 'xn--bcher-kva.de', 'client-site.com.au']);
    rejects(DomainSchema, [
      'bücher.de', // must be punycode
      'Acme.co.uk', // must be lower-case
      'co.uk', // a suffix alone
      'acme',
      'acme.',
      'acme..com',
      '-acme.com',
      'acme-.com',
      '203.0.113.10',
      'http://acme.co.uk',
      'acme.co.uk/path',
      'intranet.internal', // not a public suffix
      `${'a'.repeat(64)}.com`,
    ]);
  });

  it('RegistrableDomainSchema takes only what a registrar sells', () => {
    accepts(RegistrableDomainSchema, ['soarix.ai', 'acme.co.uk', 'xn--bcher-kva.de']);
    rejects(RegistrableDomainSchema, ['shop.acme.co.uk', 'www.soarix.ai', 'co.uk']);
  });

  it('YearsSchema takes whole years from 1 to 10', () => {
    accepts(YearsSchema, [1, 2, 10]);
    rejects(YearsSchema, [0, -1, 1.5, 11, '2']);
  });

  it('DnsRecordTypeSchema takes upper-case record types', () => {
    accepts(DnsRecordTypeSchema, ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS', 'SRV', 'CAA']);
    rejects(DnsRecordTypeSchema, ['cname', 'PTR', 'SOA', '']);
  });

  it('RecordNameSchema takes the apex, hosts, service labels and wildcards', () => {
    accepts(RecordNameSchema, ['@', 'www', 'WWW', '_dmarc', 'google._domainkey', '_sip._tcp', '*', '*.dev']);
    accepts(RecordNameSchema, ['shop.acme.co.uk']);
    rejects(RecordNameSchema, ['', 'a b', 'www.', '.www', 'dev.*', 'a..b', '-www']);
  });

  it('RecordValueSchema takes one line of record content', () => {
    accepts(RecordValueSchema, ['203.0.113.10', '10 mail.globex.io', 'v=spf1 include:_spf.google.com ~all']);
    accepts(RecordValueSchema, ['"v=DMARC1; p=none"']);
    rejects(RecordValueSchema, ['', '   ', 'line one\nline two', 'a'.repeat(2049)]);
  });

  it('EmailSchema takes addresses', () => {
    accepts(EmailSchema, ['maria@globex.com', 'sam.patel+crm@patelfoods.co.uk']);
    rejects(EmailSchema, ['maria', 'maria@', '@globex.com', 'maria at globex.com', '']);
  });

  it('PhoneSchema takes E.164 only', () => {
    accepts(PhoneSchema, ['+447911123456', '+61412345678', '+14155550123', '+919812345678']);
    rejects(PhoneSchema, ['07911 123456', '07911123456', '+44 7911 123456', '447911123456', '+0447911123456']);
    rejects(PhoneSchema, ['+44', '+4479111234567890', '']);
  });

  it('DueSchema takes ISO 8601 instants with an offset', () => {
    accepts(DueSchema, ['2025-03-14T17:00:00Z', '2025-03-14T17:00:00+01:00', '2025-03-14T17:00:00.000-05:30']);
    rejects(DueSchema, ['2025-03-14', '2025-03-14T17:00:00', 'tomorrow at 5', '14/03/2025 17:00']);
    rejects(DueSchema, ['2025-02-30T10:00:00Z', '']);
  });

  it('NotifyEventsSchema takes a non-empty list of known events, each once', () => {
    accepts(NotifyEventsSchema, [['build.failed'], ['deploy.live', 'deploy.failed', 'task.due']]);
    rejects(NotifyEventsSchema, [[], ['build.broken'], 'build.failed', ['deploy.live', 'deploy.live']]);
  });

  it('free text is trimmed and refuses blanks, control and bidirectional characters', () => {
    expect(TitleSchema.parse('  Call John  ')).toBe('Call John');
    expect(NoteSchema.parse('line one\nline two')).toBe('line one\nline two');
    for (const schema of [TitleSchema, NameSchema, AssigneeSchema]) {
      rejects(schema, ['', '   ', 'a\u0000b', 'a\nb', 'Maria\u202Egnp.exe']);
    }
    rejects(NoteSchema, ['', '\n\n', 'a\u0007b', 'a\u2066b']);
  });
});
