/**
 * What a client may ask that no staff intent covers: a person, a call, their project's status, the
 * erasure of their data. Read from the words before understanding, for clients only. Hand-written rules
 * rather than catalog intents: the intent ids are a public contract owned by the understanding, these
 * four requests exist only on the client side, and each one is harmless when misread (a link, a notice
 * to the team, a status limited to the client's own company).
 */
export type ClientRequest = 'person' | 'call' | 'status' | 'erase';

const PERSON = [
  /\b(speak|talk|chat)\s+(to|with)\s+(a|an|some|your|the|real|actual)?\s*(real\s+|actual\s+|live\s+)?(person|human|someone|somebody|agent|team|representative|rep|manager|staff|people)\b/i,
  /\b(real|actual|live)\s+(person|human|agent)\b/i,
  /\b(human|operator|representative)\s*(please|pls)?\s*[.!?]*$/i,
  /\b(get|put|connect|transfer)\s+me\s+(to|through to|with)\s+(a|an|some|your|the)?\s*(person|human|someone|somebody|agent|team|manager)\b/i,
  /\bis\s+(there\s+)?(anyone|anybody|someone|a person|a human)\s+(there|I can talk to)\b/i,
];

const CALL = [
  /\b(book|schedule|arrange|set up|setup|organi[sz]e)\b.{0,30}\b(call|meeting|chat|appointment|consultation|demo)\b/i,
  /\b(call me|give me a call|ring me|phone me|hop on a call|jump on a call|a quick call|a phone call|a video call|a zoom)\b/i,
  /\b(can|could)\s+we\s+(talk|speak)\s+(on the phone|by phone|over the phone)\b/i,
];

const STATUS = [
  /\b(status|progress|update|news|eta)\b.{0,40}\b(my|our)\s+(project|site|website|web site|app|shop|store|portal|page)\b/i,
  /\b(my|our)\s+(project|site|website|web site|app|shop|store|portal|page)('s)?\b.{0,40}\b(status|progress|ready|done|live|finished|going|coming along|update)\b/i,
  /\b(how('s| is)|where('s| is)|when will)\s+(my|our)\s+(project|site|website|web site|app|shop|store|portal|page)\b/i,
];

const ERASE = [
  /\b(delete|erase|remove|wipe|forget)\b.{0,30}\b(my|our)\s+(data|details|information|info|personal data|contact details|number|account)\b/i,
  /\bforget\s+(about\s+)?me\b/i,
  /\b(gdpr|right to be forgotten)\b/i,
];

/** The client request these words make, if any; a person wins over everything (they asked for one). */
export function clientRequestIn(text: string): ClientRequest | undefined {
  const t = text.trim();
  if (PERSON.some((p) => p.test(t))) return 'person';
  if (ERASE.some((p) => p.test(t))) return 'erase';
  if (STATUS.some((p) => p.test(t))) return 'status';
  if (CALL.some((p) => p.test(t))) return 'call';
  return undefined;
}
