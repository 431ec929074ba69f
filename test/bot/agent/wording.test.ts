import { describe, expect, it } from 'vitest';
import { actionLabel, confirmationExpired, supersededConfirmation } from '../../../bot/agent/wording.js';
import { INTENT_IDS } from '../../../intents/index.js';

// Intents that only read or talk never reach a sentence about a pending or cancelled action.
const READ_ONLY = /^(help|greeting|cancel|out_of_scope|knowledge\.ask)$|\.(status|list|find|check|verify)$/;

describe('how actions are named to people', () => {
  it('names every action that can wait for a confirmation in words, never by its id', () => {
    const acting = INTENT_IDS.filter((id) => !READ_ONLY.test(id));
    expect(acting.length).toBeGreaterThan(10);
    for (const id of [...acting, 'task.create.many', 'people.approve', 'run.cancel']) {
      const label = actionLabel(id);
      expect(label, id).not.toBe('request');
      expect(label, id).not.toMatch(/[._]/);
    }
  });

  it('says what was cancelled or not done in plain words', () => {
    expect(supersededConfirmation('deploy.create', 'CONFIRM DEPLOY SOARIX-WEB PRODUCTION')).toBe(
      'I cancelled the pending deploy (deploy soarix-web production): a new request replaces it.',
    );
    expect(confirmationExpired('deploy.rollback')).toMatch(/^That confirmation expired, so I did not roll back\./);
    expect(actionLabel('some.future.action')).toBe('request');
  });
});
