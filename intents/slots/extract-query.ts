import type { IntentId } from '../ids.js';
import { prepareText, safely } from './prepare-text.js';
import { tidyFreeText } from './slot-match.js';

const LEAD_IN = [
  /^(?:hey|hi|hello|yo|ok|okay|so|um+|uh+)\b[\s,!.:-]*/iu,
  /^(?:<@\w+>|@?switchboard\b)[\s,:]*/iu,
  /^(?:please|pls|plz|kindly)\b[\s,]*/iu,
  /^(?:can|could|would|will)\s+you\s+(?:please\s+)?/iu,
  /^(?:quick\s+)?question\s*[:\-–—]\s*/iu,
];

/** How people ask the CRM for someone. What is left after these is what to search for. */
const CONTACT_PREFIXES = [
  ...LEAD_IN,
  /^(?:find|search(?:\s+for)?|look\s*up|look\s+for|lookup|show(?:\s+me)?|get(?:\s+me)?|pull\s+up|bring\s+up|give\s+me|fetch|open|check)\b\s*/iu,
  /^(?:who\s+is|who's|whos|do\s+we\s+(?:have|know)|have\s+we\s+got|is\s+there|are\s+there|any)\b\s*/iu,
  /^(?:the|a|an|our|my)\s+/iu,
  /^(?:contact|client|customer|lead|person|company)(?:'s|s)?\s+(?:details|info(?:rmation)?|record|card|profile|number|email)?\s*(?:for|of|on|about|named|called)?\s*/iu,
  /^(?:details|info(?:rmation)?|record|card|profile|phone\s+number|number|email(?:\s+address)?|contact\s+details)\s+(?:for|of|on|about)\s+/iu,
  /^(?:someone|anyone|somebody|anybody|people|contacts?)\s+(?:named|called|from|at|with)\s+/iu,
];
const CONTACT_SUFFIXES = [
  /\s+(?:in|from|on)\s+(?:the\s+|our\s+)?(?:crm|contacts|database|system|address\s+book)\b[\s?.!]*$/iu,
  /[\s,]*(?:please|pls|thanks|thank\s+you)[\s?.!]*$/iu,
  /\s+(?:details|info|contact|record)[\s?.!]*$/iu,
  /'s\s+(?:details|info|number|email|phone(?:\s+number)?|contact(?:\s+details)?)[\s?.!]*$/iu,
  /[\s?.!]+$/u,
];

/**
 * What to search for. For `crm.contact.find` the request words go ("find Jane Doe in the CRM" →
 * "Jane Doe"); for `knowledge.ask` the question stays whole, minus greetings and addressing the
 * bot, because the knowledge search ranks on the question's own words.
 *
 * @example
 * extractQuery('can you look up the contact details for Jane Doe?', 'crm.contact.find') // → 'Jane Doe'
 */
export function extractQuery(text: string, intent: IntentId): string | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    const query =
      intent === 'crm.contact.find' ? stripAround(prepared, CONTACT_PREFIXES, CONTACT_SUFFIXES) : stripAround(prepared, LEAD_IN, []);
    return query.length > 0 ? query : undefined;
  }, undefined);
}

function stripAround(text: string, prefixes: readonly RegExp[], suffixes: readonly RegExp[]): string {
  let current = tidyFreeText(text);
  for (let changed = true, rounds = 0; changed && rounds < 12; rounds++) {
    changed = false;
    for (const pattern of [...prefixes, ...suffixes]) {
      const next = tidyFreeText(current.replace(pattern, ''));
      if (next !== current && next !== '') {
        current = next;
        changed = true;
      }
    }
  }
  return current;
}
