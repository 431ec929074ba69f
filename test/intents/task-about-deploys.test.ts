import { describe, expect, it } from 'vitest';
import { appNames, OfflineUnderstander } from '../../intents/index.js';

const understander = OfflineUnderstander.train();
const context = { now: Date.parse('2026-12-05T12:00:00Z'), timezone: 'UTC', apps: appNames([{ name: 'soarix-web' }, { name: 'api' }, { name: 'acme-shop' }]) };

/**
 * A task about a build or a deploy is a task: "task: roll back api on staging friday" must never roll
 * staging back (a safe action, so it would run at once, without a phrase). Written after a near miss.
 */
describe('a task about a deploy is a task, not the deploy', () => {
  it.each([
    'add a todo to roll back staging later',
    'task: roll back api on staging friday',
    'todo - redeploy the shop on staging',
    'add a reminder to rebuild the marketing site next week',
    'remind me to deploy the shop to staging tomorrow',
    'create a task to deploy soarix-web to production on monday',
  ])('%s → task.create', (text) => {
    expect(understander.understandNow(text, context).intent).toBe('task.create');
  });

  it.each([
    ['roll back api on staging', 'deploy.rollback'],
    ['revert the last deploy', 'deploy.rollback'],
    ['deploy soarix-web to staging', 'deploy.create'],
    ['build the api', 'build.start'],
  ])('while "%s" is still %s', (text, intent) => {
    expect(understander.understandNow(text, context).intent).toBe(intent);
  });
});
