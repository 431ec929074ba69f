import { z } from 'zod';
import { intentDefinition, DueSchema, RefSchema, SlotsSchema } from '../catalog/index.js';
import { ENVIRONMENTS, NOTIFY_EVENT_OLD_NAMES, NOTIFY_EVENTS, SLOT_NAMES, type IntentId, type NotifyEvent, type SlotName, type Slots } from '../ids.js';
import {
  extractDue,
  extractEmail,
  extractEnv,
  extractEvents,
  extractPhone,
  extractRef,
  extractStage,
  extractYears,
  findPhones,
  matchApp,
  parseDomain,
  pickDomain,
} from '../slots/index.js';
import type { UnderstandContext } from '../understander.js';
import { ClaudeOutputError } from './claude-errors.js';

/**
 * From the input of Claude's tool call to slots that keep the `Slots` contract.
 *
 * Three kinds of trouble, three outcomes:
 * - the input is not an object, or a slot has the wrong JSON type (`app: 42`): the answer is broken
 *   and `ClaudeOutputError('invalid_tool_input')` is thrown;
 * - a key is not a slot of the chosen intent (`confirmed: true`, `env` on `domain.check`): it is ignored,
 *   and reported by name in `ignored`;
 * - a slot value cannot be normalised or fails the intent's schema (an app that is not configured,
 *   `acme` as a domain): the slot is left out, reported by name in `dropped`, and the dialog asks for it.
 *
 * Values are normalised by the same extractors the offline understander uses, so both hand over the
 * same values: `prod` → `production`, `marketing site` → `marketing-site`, `Bücher.de` → `xn--bcher-kva.de`,
 * `tomorrow at 5pm` → an ISO instant in the user's zone.
 */

export interface NormaliseToolInputContext extends UnderstandContext {
  /**
   * The user's text as it was written, before redaction. Only used to recover a phone number that
   * redaction masked in what Claude saw (`+********3456`); it never leaves the process.
   */
  originalText: string;
  /** ISO 3166 region for phone numbers written without a country code. */
  defaultCountry?: string | undefined;
}

export interface NormalisedToolInput {
  slots: Slots;
  /** Slots Claude filled with a value that did not survive normalisation and validation. */
  dropped: SlotName[];
  /** Keys Claude sent that are not slots of the chosen intent. */
  ignored: string[];
}

// --- the JSON types Claude must use ---

/**
 * The raw shape of each slot in a tool input. Lenient where models commonly are (`null` for "not
 * stated", a number of years as a string, one event as a string), strict about everything else.
 */
const RawSlotSchemas = {
  app: z.string(),
  env: z.string(),
  ref: z.string(),
  domain: z.string(),
  years: z.union([z.number(), z.string()]),
  recordType: z.string(),
  recordName: z.string(),
  recordValue: z.string(),
  name: z.string(),
  company: z.string(),
  email: z.string(),
  phone: z.string(),
  stage: z.string(),
  query: z.string(),
  note: z.string(),
  title: z.string(),
  due: z.string(),
  assignee: z.string(),
  events: z.union([z.array(z.string()), z.string()]),
} as const satisfies Record<SlotName, z.ZodType>;

type RawSlots = { [K in SlotName]?: z.infer<(typeof RawSlotSchemas)[K]> | null };

/** Any JSON object; its keys are sorted out below. */
const ToolInputObjectSchema = z.record(z.string(), z.unknown());

// --- normalisation ---

export function normaliseToolInput(intent: IntentId, input: unknown, context: NormaliseToolInputContext): NormalisedToolInput {
  const object = ToolInputObjectSchema.safeParse(input);
  if (!object.success || Array.isArray(input)) throw new ClaudeOutputError('invalid_tool_input', 'input is not an object');

  const definition = intentDefinition(intent);
  const shape = definition.slots.shape as Record<string, z.core.$ZodType>;
  const taken = SLOT_NAMES.filter((slot) => slot in shape);
  const ignored = Object.keys(object.data).filter((key) => !(taken as string[]).includes(key));

  const rawSchema = z.object(Object.fromEntries(taken.map((slot) => [slot, RawSlotSchemas[slot].nullish()])));
  const raw = rawSchema.safeParse(object.data);
  if (!raw.success) {
    const paths = [...new Set(raw.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new ClaudeOutputError('invalid_tool_input', `wrong type for ${paths}`);
  }
  const rawSlots = raw.data as RawSlots;

  const kept: Partial<Record<SlotName, unknown>> = {};
  const dropped: SlotName[] = [];
  let zoneSubdomain: string | undefined;
  for (const slot of taken) {
    const value = rawSlots[slot];
    if (value === undefined || value === null) continue;
    let candidate: unknown;
    if (slot === 'domain') {
      const domain = normaliseDomain(value as string, intent);
      candidate = domain?.value;
      zoneSubdomain = domain?.subdomain;
    } else {
      candidate = normaliseSlot(slot, value, context);
    }
    const parsed = candidate === undefined ? undefined : z.safeParse(shape[slot]!, candidate);
    if (parsed?.success && parsed.data !== undefined) kept[slot] = parsed.data;
    else dropped.push(slot);
  }

  // A DNS zone is a registrable domain: "add a CNAME on www.acme.com" names the record `www` in `acme.com`,
  // as the offline extractor reads it.
  if (zoneSubdomain && 'recordName' in shape && kept.recordName === undefined && kept.domain !== undefined) {
    const parsed = z.safeParse(shape.recordName!, zoneSubdomain);
    if (parsed.success) kept.recordName = parsed.data;
  }

  // The intent's own schema has the last word. Its defaults (years: 1) are left out: an understanding
  // carries what the user stated, and the tool applies its defaults itself.
  const checked = definition.slots.partial().safeParse(kept);
  if (!checked.success) throw new ClaudeOutputError('invalid_tool_input', 'slots do not fit the intent');
  const stated = Object.fromEntries(Object.entries(checked.data).filter(([key]) => key in kept));
  return { slots: SlotsSchema.parse(stated), dropped, ignored };
}

function normaliseSlot(slot: SlotName, value: string | number | string[], context: NormaliseToolInputContext): unknown {
  if (typeof value === 'number') return slot === 'years' ? value : undefined;
  if (Array.isArray(value)) return slot === 'events' ? normaliseEvents(value) : undefined;
  const text = value.trim();
  if (text === '') return undefined;
  switch (slot) {
    case 'app':
      return normaliseApp(text, context.apps);
    case 'env': {
      const lower = text.toLowerCase();
      if ((ENVIRONMENTS as readonly string[]).includes(lower)) return lower;
      // The extractor reads "live" as production only in phrases ("go live"), because in a sentence
      // it is often not an environment ("live chat"). As the whole value of the env slot it can only be one.
      return lower === 'live' ? 'production' : extractEnv(text);
    }
    case 'ref':
      return RefSchema.safeParse(text).success ? text : extractRef(text);
    case 'years':
      return /^\d{1,2}$/.test(text) ? Number(text) : extractYears(text);
    case 'recordType':
      return text.toUpperCase();
    case 'recordName':
      return text.replace(/\.+$/, '');
    case 'recordValue':
      // Models often quote TXT contents as a zone file would; the slot holds them unquoted.
      return /^"[^"]*"$/.test(text) ? text.slice(1, -1) : text;
    case 'email':
      return extractEmail(text);
    case 'phone':
      return extractPhone(text, { defaultCountry: context.defaultCountry }) ?? recoverMaskedPhone(text, context);
    case 'due':
      return DueSchema.safeParse(text).success ? text : extractDue(text, context);
    case 'events':
      return normaliseEvents([text]);
    case 'stage':
      return extractStage(text) ?? text;
    default:
      // name, company, query, note, title, assignee: free text, checked by the schema as it is.
      return text;
  }
}

function normaliseApp(text: string, apps: readonly string[]): string | undefined {
  const exact = apps.find((app) => app === text.toLowerCase());
  if (exact) return exact;
  if (apps.length > 0) return matchApp(text, apps);
  // Without an app catalog there is nothing to match against; the schema decides whether it is an app name.
  return text.toLowerCase();
}

function normaliseDomain(text: string, intent: IntentId): { value: string; subdomain?: string } | undefined {
  const domain = parseDomain(text) ?? pickDomain(text, intent);
  if (!domain) return undefined;
  switch (intent) {
    case 'domain.check':
    case 'domain.register':
      // Registrars sell registrable names: "register www.acme.co.uk" means acme.co.uk.
      return { value: domain.registrable };
    case 'domain.dns.add':
    case 'domain.dns.delete':
      return { value: domain.registrable, ...(domain.subdomain ? { subdomain: domain.subdomain } : {}) };
    default:
      return { value: domain.hostname };
  }
}

function normaliseEvents(values: readonly string[]): NotifyEvent[] | undefined {
  const events = new Set<NotifyEvent>();
  for (const value of values) {
    const trimmed = value.trim();
    if ((NOTIFY_EVENTS as readonly string[]).includes(trimmed)) events.add(trimmed as NotifyEvent);
    else if (NOTIFY_EVENT_OLD_NAMES[trimmed]) events.add(NOTIFY_EVENT_OLD_NAMES[trimmed]);
    else for (const event of extractEvents(trimmed) ?? []) events.add(event);
  }
  return events.size > 0 ? [...events] : undefined;
}

/**
 * Redaction masks international numbers in what Claude sees (`+44 7911 123456` → `+********3456`),
 * so Claude can only repeat the mask. The number is recovered from the user's own text when exactly
 * one number there ends in the same four digits.
 */
function recoverMaskedPhone(text: string, context: NormaliseToolInputContext): string | undefined {
  if (!text.includes('*')) return undefined;
  const lastFour = text.replace(/\D/g, '').slice(-4);
  if (lastFour.length < 4) return undefined;
  const candidates = findPhones(context.originalText, { defaultCountry: context.defaultCountry }).filter((phone) =>
    phone.value.endsWith(lastFour),
  );
  return candidates.length === 1 ? candidates[0]!.value : undefined;
}
