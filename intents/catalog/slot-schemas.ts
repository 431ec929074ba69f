import { isPossiblePhoneNumber } from 'libphonenumber-js';
import { parse as parseHostname } from 'tldts';
import { z } from 'zod';
import { DNS_RECORD_TYPES, ENVIRONMENTS, NOTIFY_EVENTS, type SlotName, type Slots } from '../ids.js';

/**
 * Zod schemas for slot values, one per slot name of DESIGN.md.
 *
 * They validate values as understanders hand them over, i.e. already normalised: 'prod' must have
 * become 'production', 'bücher.de' must have become 'xn--bcher-kva.de', '07911 123456' must have
 * become '+447911123456'. A schema that silently normalised would hide an extractor bug, so the
 * structured slots only check. Free text (names, titles, notes) is trimmed, which is harmless.
 *
 * None of these use transforms, so every intent's slot object converts to JSON Schema for Claude's
 * tool definitions (`z.toJSONSchema(schema, { io: 'input' })`). Regex patterns stay ASCII-only and
 * flag-free for the same reason: JSON Schema drops regex flags.
 */

// --- free text ---

const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;
const CONTROL_CHARS_EXCEPT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/**
 * Bidirectional overrides and isolates let a name or a title display differently from what it is;
 * these values are restated to people before they confirm risky actions, so they must read as stored.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

function singleLine(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !CONTROL_CHARS.test(value), 'must be a single line without control characters')
    .refine((value) => !BIDI_CONTROLS.test(value), 'must not contain bidirectional control characters');
}

function multiLine(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !CONTROL_CHARS_EXCEPT_NEWLINE_AND_TAB.test(value), 'must not contain control characters')
    .refine((value) => !BIDI_CONTROLS.test(value), 'must not contain bidirectional control characters');
}

// --- apps and code ---

/** An app of the agency's app catalog, in kebab-case: `soarix-web`, `acme-shop`. */
export const AppSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be an app name in kebab-case, e.g. soarix-web');

/** Where an app runs. Synonyms (prod, live, stage) are resolved by the extractor, not here. */
export const EnvironmentSchema = z.enum(ENVIRONMENTS);

/**
 * A branch, tag or commit: `main`, `feature/login`, `v1.4.0`, `a1b2c3d`.
 * Follows git's ref rules closely enough that a value can never be read as a command-line option
 * (no leading `-`) or escape a ref namespace (no `..`).
 */
export const RefSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^-/.\s~^:?*[\\\u0000-\u001F\u007F][^\s~^:?*[\\\u0000-\u001F\u007F]*$/, 'must be a branch, tag or commit')
  .refine(
    (ref) =>
      !ref.includes('..') && !ref.includes('//') && !ref.includes('@{') && !/[/.]$/.test(ref) && !ref.endsWith('.lock'),
    'must be a valid git branch, tag or commit',
  );

// --- domains and DNS ---

const DOMAIN_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_SHAPE = new RegExp(`^(?:${DOMAIN_LABEL}\\.)+${DOMAIN_LABEL}$`);

/**
 * A host name under a public (ICANN) suffix, lower-case ASCII, IDNs in punycode:
 * `soarix.ai`, `shop.acme.co.uk`, `xn--bcher-kva.de`. A bare suffix (`co.uk`) and IP addresses are refused.
 */
export const DomainSchema = z
  .string()
  .max(253)
  .regex(DOMAIN_SHAPE, 'must be a lower-case domain name (punycode for IDNs), e.g. acme.co.uk')
  .refine((host) => {
    const parsed = parseHostname(host);
    return parsed.isIcann === true && parsed.domain !== null;
  }, 'must end in a public suffix such as .com or .co.uk and name more than the suffix');

/** A domain one can buy: exactly one label above its public suffix (`acme.co.uk`, not `shop.acme.co.uk`). */
export const RegistrableDomainSchema = DomainSchema.refine(
  (host) => parseHostname(host).domain === host,
  'must be a registrable domain, e.g. acme.co.uk rather than shop.acme.co.uk',
);

/** Registration period; registrars sell 1 to 10 years. */
export const YearsSchema = z.number().int().min(1).max(10);

export const DnsRecordTypeSchema = z.enum(DNS_RECORD_TYPES);

const RECORD_LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';

/**
 * The name of a record within its zone: `@` for the apex, `www`, `_dmarc`, `google._domainkey`,
 * a wildcard `*.dev`, or a fully qualified name. DNS names are case-insensitive, so case is accepted.
 */
export const RecordNameSchema = z
  .string()
  .max(253)
  .regex(
    new RegExp(`^(?:@|\\*|(?:\\*\\.)?${RECORD_LABEL}(?:\\.${RECORD_LABEL})*)$`),
    'must be @, a host name such as www or _dmarc, or a wildcard such as *.dev',
  );

/**
 * The content of a record: an address, a host name, `10 mail.acme.co.uk`, an SPF or verification
 * string. Whether it fits the record type is the DNS tool's check; here it must be one clean line.
 */
export const RecordValueSchema = singleLine(2048);

// --- people and CRM ---

/** A person's (or, for notes, a CRM record's) name as the user wrote it: `Maria Lopez`. */
export const NameSchema = singleLine(120);

export const CompanySchema = singleLine(120);

export const EmailSchema = z.email().max(254);

/** E.164: a plus, a country code, no spaces. '07911 123456' must have been resolved to '+447911123456'. */
export const PhoneSchema = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an international number in E.164 form, e.g. +447911123456')
  .refine((phone) => isPossiblePhoneNumber(phone), 'is not a possible phone number for its country code');

/**
 * A pipeline stage: `qualified`, `proposal sent`, `negotiation`, `won`, `lost`. Free text because
 * each agency names its own stages; the CRM tool matches it against the configured pipeline.
 */
export const StageSchema = singleLine(60);

// --- free-form requests ---

/** What to look up: a name, an email, a question. */
export const QuerySchema = multiLine(1000);

export const NoteSchema = multiLine(5000);

// --- tasks ---

export const TitleSchema = singleLine(200);

/** ISO 8601 instant with an offset (`Z` or `+01:00`), already resolved in the user's time zone. */
export const DueSchema = z.iso.datetime({ offset: true });

/** Who a task is for: a person's name, or `me`. The task tool resolves it to a person. */
export const AssigneeSchema = singleLine(120);

// --- notifications ---

export const NotifyEventsSchema = z
  .array(z.enum(NOTIFY_EVENTS))
  .min(1)
  .refine((events) => new Set(events).size === events.length, 'must not list an event twice');

// --- all slots ---

/** The schema of each slot name, for code that validates slots without knowing the intent. */
export const SLOT_SCHEMAS = {
  app: AppSchema,
  env: EnvironmentSchema,
  ref: RefSchema,
  domain: DomainSchema,
  years: YearsSchema,
  recordType: DnsRecordTypeSchema,
  recordName: RecordNameSchema,
  recordValue: RecordValueSchema,
  name: NameSchema,
  company: CompanySchema,
  email: EmailSchema,
  phone: PhoneSchema,
  stage: StageSchema,
  query: QuerySchema,
  note: NoteSchema,
  title: TitleSchema,
  due: DueSchema,
  assignee: AssigneeSchema,
  events: NotifyEventsSchema,
} as const satisfies { [K in SlotName]-?: z.ZodType<NonNullable<Slots[K]>> };

/** Any set of slots, each optional: the shape of `Understanding.slots`. */
export const SlotsSchema = z.object(SLOT_SCHEMAS).partial();
