import { describe, expect, it } from 'vitest';
import { NOTIFY_EVENTS } from '../../../intents/ids.js';
import { extractEvents } from '../../../intents/slots/index.js';

describe('extractEvents', () => {
  it.each([
    ['build failures', ['build.failed']],
    ['when deploys go live', ['deploy.live']],
    ['task reminders', ['task.due']],
    ['notify me about build failures and when deploys go live', ['build.failed', 'deploy.live']],
    ['tell me when builds or deploys fail', ['build.failed', 'deploy.failed']],
    ['subscribe me to builds', ['build.succeeded', 'build.failed']],
    ['anything that fails', ['build.failed', 'deploy.failed']],
    ['domain verification', ['domain.verified', 'domain.failed']],
    ['when a domain is verified', ['domain.verified']],
    ['tell me if a domain fails verification', ['domain.failed']],
    ['new leads', ['lead.created']],
    ['anything from clients', ['lead.created', 'handoff.requested', 'client.call_requested', 'client.erase_requested']],
    ['client hand-offs and new leads', ['lead.created', 'handoff.requested', 'client.call_requested', 'client.erase_requested']],
    ['deploy failures, task reminders', ['deploy.failed', 'task.due']],
    ['when a build finishes', ['build.succeeded']],
    ['notify me here when a build passes', ['build.succeeded']],
    ['when a build succeeds', ['build.succeeded']],
    ['tell me when anything gets rolled back', ['deploy.rolled_back']],
    ['when something is rolled back', ['deploy.rolled_back']],
    ['any rollback on production', ['deploy.rolled_back']],
    ['deploy failures and rollbacks', ['deploy.failed', 'deploy.rolled_back']],
    ['subscribe me to deploys', ['deploy.live', 'deploy.failed', 'deploy.rolled_back']],
    ['let me know when it goes live', ['deploy.live']],
  ])('%s', (text, expected) => {
    expect(extractEvents(text)).toEqual(expected);
  });

  it('reads "everything" as every event, in catalog order', () => {
    expect(extractEvents('everything')).toEqual([...NOTIFY_EVENTS]);
    expect(extractEvents('send me all notifications')).toEqual([...NOTIFY_EVENTS]);
  });

  it('returns nothing when no event is named', () => {
    expect(extractEvents('hello')).toBeUndefined();
    expect(extractEvents('')).toBeUndefined();
  });
});
