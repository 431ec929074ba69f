import { createRandom, type LabelledExample } from '../../../intents/offline/index.js';

const examples = (label: string, texts: string[]): LabelledExample[] => texts.map((text) => ({ text, label }));

/** A small hand-written catalog in the bot's own domain, with out-of-scope chatter. */
export const HAND_WRITTEN: LabelledExample[] = [
  ...examples('deploy.create', [
    'deploy soarix-web to production',
    'ship the marketing site to staging',
    'please deploy the api to prod',
    'push the latest build of the shop live',
    'release version 2 of the dashboard to production',
    'can you deploy the blog to staging',
    'deploy it to preview please',
    'roll out the new release to production',
    'i want to deploy the website now',
    'ship it to prod',
    'put the landing page live',
    'start a deployment of the app to staging',
  ]),
  ...examples('build.start', [
    'build soarix-web',
    'start a build of the marketing site',
    'kick off a new build for the api',
    'run the build for the dashboard',
    'compile the shop again',
    'can you build the main branch',
    'trigger a build of the blog',
    'rebuild the website from the latest commit',
    'please build the app',
    'start building the landing page',
  ]),
  ...examples('domain.check', [
    'is example.com available',
    'check if acme.io is free',
    'can i register coolbrand.net',
    'is the domain soarix.dev taken',
    'look up whether shopnow.store is available',
    'check availability of mybakery.co.uk',
    'find out if the domain bestpizza.com is free',
    'is anyone using the domain greenleaf.org',
    'check the domain name travelbuddy.app',
    'domain availability for fastcars.io',
  ]),
  ...examples('task.create', [
    'remind me to call john tomorrow',
    'add a task to send acme the proposal by friday',
    'create a task: update the pricing page',
    'make a todo to review the contract',
    'note that i need to email the client on monday',
    'add call the accountant to my tasks',
    'remind me to renew the certificate next week',
    'new task fix the contact form',
    'put invoice the bakery on my todo list',
    'set a reminder to follow up with sarah',
  ]),
  ...examples('task.list', [
    'what are my tasks',
    'show my todo list',
    'list everything due this week',
    'what do i have to do today',
    'which tasks are open',
    'show me the tasks assigned to me',
    'what is on my plate',
    'list my reminders',
    'show overdue tasks',
    'what tasks are due tomorrow',
  ]),
  ...examples('greeting', [
    'hello',
    'hi there',
    'good morning',
    'hey',
    'hi bot',
    'good afternoon',
    'hello there, how are you',
    'hey, good evening',
    'morning!',
    'greetings',
  ]),
  ...examples('cancel', [
    'cancel',
    'stop',
    'never mind',
    'forget it',
    'cancel that',
    'abort the operation',
    'no, stop that',
    'do not do it',
    'please cancel the request',
    'scratch that',
  ]),
  ...examples('out_of_scope', [
    'what is the weather like in paris',
    'tell me a joke',
    'who won the football match yesterday',
    'how tall is mount everest',
    'what is the capital of australia',
    'recommend a good movie',
    'how do i bake sourdough bread',
    'what is the meaning of life',
    'play some music',
    'how many calories are in an apple',
    'translate hello into spanish',
    'what time is it in tokyo',
  ]),
];

/** Held-out paraphrases of the catalog's intents (no sentence appears in training). */
export const PARAPHRASES: LabelledExample[] = [
  { text: 'deploy the shop to production please', label: 'deploy.create' },
  { text: 'could you ship the dashboard to staging', label: 'deploy.create' },
  { text: 'kick off a build of the website', label: 'build.start' },
  { text: 'please start a new build for soarix-web', label: 'build.start' },
  { text: 'is the domain mycafe.com available', label: 'domain.check' },
  { text: 'check if brandnew.io is free to register', label: 'domain.check' },
  { text: 'remind me to send the invoice on friday', label: 'task.create' },
  { text: 'add a task to call the designer', label: 'task.create' },
  { text: 'show me my open tasks', label: 'task.list' },
  { text: 'what is on my todo list today', label: 'task.list' },
  { text: 'hi, good morning', label: 'greeting' },
  { text: 'cancel it, never mind', label: 'cancel' },
];

/** Out-of-scope sentences absent from training. */
export const UNSEEN_OUT_OF_SCOPE = [
  'what is the population of brazil',
  'how far away is the moon',
  'suggest a recipe for lasagna',
  'who painted the mona lisa',
  'sing me a song',
  'how old is the universe',
];

/**
 * A synthetic catalog of `labels` intents × `perLabel` examples: each intent has its own verbs
 * and objects, mixed with fillers shared by every intent (so the words alone don't decide).
 */
export function syntheticCatalog(labels: number, perLabel: number, seed = 7): LabelledExample[] {
  const random = createRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tor', 'vi', 'sa', 'ne', 'qu', 'dar', 'pel', 'zo', 'fi', 'gum', 'hex'];
  const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join('');
  const openers = ['please', 'can you', 'i want to', 'could you', 'quickly', 'hey bot', 'i need to', ''];
  const closers = ['now', 'today', 'for me', 'asap', 'when you can', 'thanks', ''];
  const out: LabelledExample[] = [];
  for (let l = 0; l < labels; l++) {
    const verbs = [word(), word()];
    const objects = [word(), word(), word()];
    for (let i = 0; i < perLabel; i++) {
      const text = [pick(openers), pick(verbs), 'the', pick(objects), pick(closers)].filter(Boolean).join(' ');
      out.push({ text, label: `intent.${l}` });
    }
  }
  return out;
}
