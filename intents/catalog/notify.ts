import { defineIntent } from './define-intent.js';
import { AppSchema, NotifyEventsSchema } from './slot-schemas.js';

/**
 * Notifications go to the conversation the subscription was made in, so there is no channel slot.
 * Staff only: every event (builds, deploys, domains, tasks) is about internal work, and a client's
 * chat is not a place to announce a failed build.
 */
export const notifySubscribe = defineIntent({
  id: 'notify.subscribe',
  description:
    'Subscribe this chat to notifications: builds succeeding or failing, deploys going live, failing or rolled back, domains verified, tasks falling due.',
  // `app` narrows build and deploy events to one app; without it they cover every app.
  slots: { events: NotifyEventsSchema, app: AppSchema.optional() },
  required: ['events'],
  roles: ['owner', 'admin', 'developer', 'sales'],
  helpExample: 'notify me here when a production deploy fails',
  examples: [
    'notify me when a build fails',
    'notify me here when a production deploy fails',
    'let me know when soarix-web is live',
    'ping this channel when deploys finish',
    'subscribe to build notifications for acme-shop',
    'tell me when the domain soarix.ai is verified',
    'alert me about failed deploys',
    '@switchboard post here whenever a production deploy goes live',
    'send task due reminders to this chat',
    'notify us on telegram when builds finish',
    'subscribe to deploy failures',
    'i want get notification when build is broken',
    'please to notify me when deploy of shop is finished',
    'turn on notifications',
    'subscribe',
    'keep me posted on client-portal builds',
    'message me if any deploy fails',
    'can this channel get alerts for all builds and deploys',
    'let me know when the acme.co.uk verification goes through',
    'warn me when my tasks are due',
    'notify me',
    'set up slack alerts for failed builds on marketing-site',
    "i'd like to be notified whenever landing-page goes live",
    'sign this group up for deploy notifications',
    'give me a heads up when the build is done',
    'drop a message here when soarix-web fails to build',
    'enable notifications for task due dates',
    'send me an alert if the production deploy of acme-shop fails',
    'could you notify #dev when builds break',
    'follow the client-portal deploys',
    "watch soarix-web and tell me when it's deployed",
    'alerts for domain verification please',
    'subscribe me to everything',
    'I keep missing failed builds because nobody checks github, can you post them in this channel from now on',
    'notfy me on deploy',
    'let this channel know when tasks are due',
    'can i get a ping when the acme-shop deploy is live',
    'notify the team when builds of client-portal fail',
    'please to send me message when domain verified',
    'tell me when a deploy is rolled back',
    'post here whenever something gets rolled back on production',
    'notify me when a build passes',
  ],
});
