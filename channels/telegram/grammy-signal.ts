import type { Api } from 'grammy';

/** The AbortSignal type grammY's methods declare (from the `abort-controller` polyfill it ships for old Node). */
export type GrammySignal = NonNullable<Parameters<Api['getMe']>[0]>;

/**
 * Node's own AbortSignal, typed as grammY's. At run time grammY only checks that the signal has
 * `addEventListener` and links it to its own controller, so the native signal works; the types
 * differ only because grammY's come from its polyfill.
 */
export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}
