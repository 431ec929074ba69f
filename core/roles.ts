/** Roles, most powerful first. See "Roles" in DESIGN.md. */
export const ROLES = ['owner', 'admin', 'developer', 'sales', 'client', 'unknown'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The people who work at the agency, as opposed to its clients and strangers. */
export const STAFF_ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'sales'];
