import fc from 'fast-check';
import { hostileString } from './hostile-strings.js';

/**
 * Mutations of real payloads for the webhook fuzzing: a value anywhere in the JSON (picked by index
 * among every path) made hostile, enormous, of the wrong type, deleted, or deeply nested. The result
 * is serialised to the exact bytes sent (and signed), so numbers JSON.stringify cannot write (1e400,
 * 30-digit integers) and nesting deeper than a recursive serialiser could build go in as raw text.
 */

/** Number literals as they appear in a body: past int8, past Number.MAX_SAFE_INTEGER, past double, fractions, negatives. */
export const HUGE_NUMBERS = [
  '99999999999999999',
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '9223372036854775808',
  '-9223372036854775809',
  '1e-400',
  '8.64e15',
  '1.5',
  '-1',
  '0',
] as const;

export type Mutation =
  | { kind: 'string'; pick: number; value: string; mode: 'replace' | 'append' | 'prepend' }
  | { kind: 'number'; pick: number; literal: string; quoted: boolean }
  | { kind: 'type'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'nest'; pick: number; depth: number };

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, '', 'x', {}, [], [null], { '': '' }];

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('string' as const), pick: fc.nat(), value: hostileString({ minLength: 1, maxLength: 12 }), mode: fc.constantFrom('replace' as const, 'append' as const, 'prepend' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('number' as const), pick: fc.nat(), literal: fc.constantFrom(...HUGE_NUMBERS), quoted: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('type' as const), pick: fc.nat(), value: fc.constantFrom(...WRONG_TYPES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), pick: fc.nat(), depth: fc.integer({ min: 100, max: 20_000 }) }) },
);

/** One to three mutations of a payload. */
export const mutationsArbitrary: fc.Arbitrary<Mutation[]> = fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 });

type Path = (string | number)[];

/** Every path below the root, parents before children. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index], ...pathsOf(item, [...prefix, index]));
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push([...prefix, key], ...pathsOf(item, [...prefix, key]));
  }
  return out;
}

/** Paths of string leaves only (for payloads whose fields are all strings, such as a form). */
export function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
}

/**
 * Applies mutations to a copy of `payload` and returns the bytes to send. Raw fragments (huge number
 * literals, deep nesting) are spliced in through placeholders after JSON.stringify.
 */
export function mutateToJson(payload: unknown, mutations: readonly Mutation[], serialise: (value: unknown) => string = JSON.stringify): string {
  const copy = structuredClone(payload);
  const raw = new Map<string, string>();
  for (const mutation of mutations) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    const path = paths[mutation.pick % paths.length]!;
    const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
    const key = path.at(-1)!;
    switch (mutation.kind) {
      case 'string': {
        const current = typeof parent[key] === 'string' ? (parent[key] as string) : '';
        parent[key] = mutation.mode === 'replace' ? mutation.value : mutation.mode === 'append' ? current + mutation.value : mutation.value + current;
        break;
      }
      case 'number': {
        const marker = `__raw_${raw.size}__`;
        raw.set(marker, mutation.quoted ? JSON.stringify(mutation.literal) : mutation.literal);
        parent[key] = marker;
        break;
      }
      case 'type':
        parent[key] = structuredClone(mutation.value);
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        break;
      case 'nest': {
        const marker = `__raw_${raw.size}__`;
        raw.set(marker, `${'['.repeat(mutation.depth)}${']'.repeat(mutation.depth)}`);
        parent[key] = marker;
        break;
      }
    }
  }
  let json = serialise(copy);
  for (const [marker, text] of raw) json = json.replace(`"${marker}"`, () => text);
  return json;
}

/**
 * The same mutations on a form's fields (slash commands): every value ends up a string, as a form
 * can only carry strings; raw fragments are sent as their text.
 */
export function mutateToForm(fields: Record<string, string>, mutations: readonly Mutation[]): string {
  const json = mutateToJson(fields, mutations.filter((m) => m.kind !== 'nest'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = fields;
  }
  const form = new URLSearchParams();
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed)) form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return form.toString();
}
