import fc from 'fast-check';

/** Characters PostgreSQL cannot store, or that break naive handling: NUL, lone and swapped surrogate halves, controls. */
export const HOSTILE_CHARACTERS = ['\u0000', '\ud800', '\udc00', '\ud83d', '\ude00', '\udbff', '\n', '\u001b', '\u007f', '\ufffe'] as const;

/** One UTF-16 code unit or a whole code point: mostly ordinary text, often one of HOSTILE_CHARACTERS. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_CHARACTERS), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
);

/** Strings that mix ordinary characters with NUL, lone surrogates and control characters. */
export function hostileString(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: hostileUnit, minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 16 });
}
