import { describe, expect, it } from 'vitest';
import { PolicyFileSchema, RolePolicy } from '../../tools/index.js';

describe('the role policy for slash commands', () => {
  it('lets admins and owners run /approve by default, and nobody run a command it does not know', () => {
    const policy = new RolePolicy();
    expect(['owner', 'admin', 'developer', 'sales', 'client', 'unknown'].filter((r) => policy.mayRunCommand(r as never, 'people.approve'))).toEqual(['owner', 'admin']);
    expect(policy.mayRunCommand('owner', 'people.delete_everyone')).toBe(false);
    expect(policy.mayRunCommand('owner', 'constructor')).toBe(false);
  });

  it('follows the policy file', () => {
    const policy = new RolePolicy(PolicyFileSchema.parse({ commands: { 'people.approve': ['owner'] } }));
    expect(policy.mayRunCommand('admin', 'people.approve')).toBe(false);
    expect(policy.mayRunCommand('owner', 'people.approve')).toBe(true);
    expect(() => PolicyFileSchema.parse({ commands: { 'people.approve': ['emperor'] } })).toThrow();
  });
});
