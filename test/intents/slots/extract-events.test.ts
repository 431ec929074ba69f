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
    ['subscribe me to builds', ['build.finished', 'build.failed']],
    ['anything that fails', ['build.failed', 'deploy.failed']],
    ['domain verification', ['domain.verified']],
    ['deploy failures, task reminders', ['deploy.failed', 'task.due']],
    ['when a build finishes', ['build.finished']],
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
