/**
 * Redaction applied to every log line, audit record and model input.
 * Three rules: values of keys that name a secret are dropped; known secret values (from config)
 * are replaced wherever they appear inside a string; phone numbers keep only their last 4 digits.
 */
const SECRET_KEY = /(token|secret|password|passwd|authorization|api[-_]?key|cookie|signature|access[-_]?key)/i;
const PHONE_KEY = /^(phone|phone_?number|wa_?id|msisdn|from_phone|display_phone_number)$/i;
/** E.164-looking numbers, optionally written with spaces, dashes or dots between digit groups. */
const PHONE_IN_TEXT = /\+\d[\d\s.-]{6,}\d/g;
const REDACTED = '[redacted]';

export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return value;
  return `${value.trim().startsWith('+') ? '+' : ''}${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

export class Redactor {
  private readonly secrets: string[];

  /** Secrets shorter than 6 characters are ignored: replacing them would shred ordinary text. */
  constructor(secrets: Iterable<string | undefined | null> = []) {
    this.secrets = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort(
      (a, b) => b.length - a.length,
    );
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out.replace(PHONE_IN_TEXT, (m) => maskPhone(m));
  }

  /** Returns a redacted deep copy; cycles and depth are bounded so a log call can never hang. */
  value(input: unknown, key = '', depth = 0, seen = new WeakSet<object>()): unknown {
    if (key && SECRET_KEY.test(key) && input !== undefined && input !== null && input !== '') return REDACTED;
    if (typeof input === 'string') return key && PHONE_KEY.test(key) ? maskPhone(input) : this.text(input);
    if (typeof input !== 'object' || input === null) return input;
    if (input instanceof Date) return input;
    if (depth > 8 || seen.has(input)) return '[…]';
    seen.add(input);
    if (input instanceof Error) {
      return {
        name: input.name,
        message: this.text(input.message),
        code: (input as { code?: unknown }).code,
        stack: input.stack ? this.text(input.stack) : undefined,
        cause: input.cause === undefined ? undefined : this.value(input.cause, 'cause', depth + 1, seen),
      };
    }
    if (Array.isArray(input)) return input.map((item) => this.value(item, '', depth + 1, seen));
    if (Buffer.isBuffer(input) || ArrayBuffer.isView(input)) return `[${(input as Uint8Array).byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) out[k] = this.value(v, k, depth + 1, seen);
    return out;
  }
}
