/**
 * WhatsApp's customer-service window: a business may send free-form messages (text, buttons) to a
 * user only within 24 hours of that user's last message; outside it, only an approved template.
 */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether the window is open at `now`, given when the user last wrote (undefined: never). */
export function isWindowOpen(lastInboundAt: number | undefined, now: number): boolean {
  return lastInboundAt !== undefined && now - lastInboundAt < CUSTOMER_SERVICE_WINDOW_MS;
}
