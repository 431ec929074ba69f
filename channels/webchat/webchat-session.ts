import { createHash, randomBytes } from 'node:crypto';

/**
 * A web chat visitor is identified by a random session token kept in an HttpOnly cookie. Their user
 * id is derived from the token by hashing, so the id can be shown and granted roles without the
 * token (which proves identity) ever being displayed.
 */
export const SESSION_COOKIE = 'sb_webchat';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,64}$/;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function userIdFor(token: string): string {
  return `web-${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

export function readSessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const value = rest.join('=');
      return TOKEN_PATTERN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function sessionCookie(token: string): string {
  // A year; SameSite=Strict keeps other sites from posting messages as this visitor.
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000`;
}
