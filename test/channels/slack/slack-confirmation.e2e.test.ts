import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMentionEvent, blockActions, messageChangedEvent, messageEvent, slackTs, type PostedMessage } from '../../support/fakes/slack/index.js';
import { ANA, BOB, BOB_DM, OPS, settle, startSlackService, type SlackService } from './slack-service-harness.js';

/**
 * The confirmation gate on Slack: a risky action (deleting someone else's task) asked for in a channel
 * thread, confirmed only by the phrase typed there by someone allowed; never by another developer, an
 * edited message or a button.
 */

let h: SlackService;

beforeAll(async () => {
  h = await startSlackService();
  await h.service.bot.people.grant('slack', ANA, 'developer');
  await h.service.bot.people.grant('slack', BOB, 'developer');
});

afterAll(async () => {
  await h?.stop();
});

/** Bob creates a task through the bot, in his DM; returns its number. */
async function bobsTask(title: string): Promise<number> {
  await h.slack.event(messageEvent({ channel: BOB_DM, user: BOB, text: `remind me to ${title}` }));
  const [created] = await h.fake.waitForPosts(1, (p) => p.channel === BOB_DM && (p.text ?? '').includes(title));
  return Number(/^Task #(\d+) created/.exec(created!.text ?? '')![1]);
}

/** The next reply in the thread, after the `seen` replies already there. */
async function nextInThread(thread: string, seen: number): Promise<PostedMessage> {
  const posts = await h.fake.waitForPosts(seen + 1, (p) => p.channel === OPS && p.thread_ts === thread);
  return posts[seen]!;
}

async function taskStatus(n: number): Promise<string | undefined> {
  return (await h.service.bot.tasks.findByNumber(n))?.status;
}

describe('confirming a risky action in a Slack channel thread', () => {
  it('takes the phrase typed in the thread by the requester, and refuses another developer, an edit and other buttons', async () => {
    const n = await bobsTask('send Acme the proposal');
    const request = slackTs();
    const asked = `<@${h.fake.botUserId}> delete task ${n}`;
    await h.slack.event(appMentionEvent({ channel: OPS, user: ANA, text: asked, ts: request }));
    const prompt = await nextInThread(request, 0);
    expect(prompt.text).toContain(`Delete task #${n} "send Acme the proposal", created by`);
    expect(prompt.text).toContain(`To go ahead, type exactly:\nCONFIRM DELETE TASK ${n}`);
    expect(prompt.blocks?.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: 'cancel', text: { text: 'Cancel' } }] });

    // Another developer types the phrase in the thread: not allowed.
    await h.slack.event(messageEvent({ channel: OPS, user: BOB, text: `CONFIRM DELETE TASK ${n}`, thread_ts: request }));
    expect((await nextInThread(request, 1)).text).toBe('Only the person who asked or an owner or an admin can confirm this.');

    // The requester edits her request into the phrase: an edit never confirms.
    await h.slack.event(messageChangedEvent({ channel: OPS, user: ANA, ts: request, text: `CONFIRM DELETE TASK ${n}`, previousText: asked }));
    expect((await nextInThread(request, 2)).text).toMatch(/^An edited message can't confirm/);

    // A button that is not one of ours (whatever it says) is acknowledged and does nothing.
    const click = await h.slack.interaction(blockActions({ user: ANA, channel: OPS, messageTs: prompt.ts, threadTs: request, actionId: 'approve', value: `CONFIRM DELETE TASK ${n}` }));
    expect(click.status).toBe(200);
    await settle();
    expect(h.fake.postsIn(OPS, request)).toHaveLength(3);
    expect(await taskStatus(n)).toBe('open');

    // The requester types the phrase in the thread, without mentioning the bot.
    await h.slack.event(messageEvent({ channel: OPS, user: ANA, text: `  confirm delete task ${n} `, thread_ts: request }));
    expect((await nextInThread(request, 3)).text).toBe(`Deleted task #${n} "send Acme the proposal".`);
    expect(await taskStatus(n)).toBe('deleted');

    const audit = (await h.service.bot.audit.tail(100)).map((r) => r.action);
    expect(audit.filter((a) => a === 'confirmation.refused')).toHaveLength(2);
    expect(audit).toContain('confirmation.confirmed');
  });

  it('cancels on the Cancel button, which can never confirm', async () => {
    const n = await bobsTask('update the pricing page');
    const request = slackTs();
    await h.slack.event(messageEvent({ channel: OPS, user: ANA, text: `<@${h.fake.botUserId}> delete task ${n}`, ts: request }));
    const prompt = await nextInThread(request, 0);
    expect(prompt.text).toContain(`CONFIRM DELETE TASK ${n}`);

    const click = await h.slack.interaction(blockActions({ user: ANA, channel: OPS, messageTs: prompt.ts, threadTs: request, actionId: 'cancel' }));
    expect(click).toMatchObject({ status: 200, text: '' });
    expect((await nextInThread(request, 1)).text).toBe('Cancelled: task deletion. Nothing was changed.');

    await h.slack.event(messageEvent({ channel: OPS, user: ANA, text: `CONFIRM DELETE TASK ${n}`, thread_ts: request }));
    expect((await nextInThread(request, 2)).text).not.toMatch(/Deleted/);
    expect(await taskStatus(n)).toBe('open');
  });
});
