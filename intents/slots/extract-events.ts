import { NOTIFY_EVENTS, type NotifyEvent } from '../ids.js';
import { prepareText, safely } from './prepare-text.js';

type Subject = 'build' | 'deploy' | 'domain' | 'task' | 'lead' | 'client';
type Outcome = 'failed' | 'succeeded' | 'rolled_back';

const SUBJECTS: ReadonlyArray<readonly [Subject, RegExp]> = [
  ['build', /\b(?:builds?|building|built|ci|pipelines?|compil\w*)\b/iu],
  ['deploy', /\b(?:deploy\w*|releases?|released|ship(?:s|ped|ping)?|rollouts?|go(?:es)?\s+live|went\s+live|is\s+live|live|roll(?:s|ed|ing)?\s*backs?|rollbacks?|revert\w*)\b/iu],
  ['domain', /\b(?:domains?|dns|verif\w*|ssl|certificates?)\b/iu],
  ['task', /\b(?:tasks?|to-?dos?|reminders?|remind\w*|deadlines?|due)\b/iu],
  ['lead', /\b(?:leads?|enquir\w*|inquir\w*|prospects?)\b/iu],
  ['client', /\b(?:clients?|customers?|hand-?offs?|handovers?)\b/iu],
];
const OUTCOMES: ReadonlyArray<readonly [Outcome, RegExp]> = [
  ['failed', /\b(?:fail\w*|broke\w*|break\w*|errors?|errored|red|crash\w*|down|problems?|issues?)\b/iu],
  ['succeeded', /\b(?:succe\w*|pass\w*|finish\w*|complete\w*|done|green|ok|live|ready|verified|ends?)\b/iu],
  // A rollback is its own outcome of a deploy: "when something is rolled back", "any rollback".
  ['rolled_back', /\b(?:roll(?:s|ed|ing)?\s*backs?|rollbacks?|revert\w*)\b/iu],
];

/** Which events each subject means with each outcome; `any` when the clause names no outcome. */
const EVENTS: Readonly<Record<Subject, Readonly<Record<Outcome | 'any', readonly NotifyEvent[]>>>> = {
  build: { failed: ['build.failed'], succeeded: ['build.succeeded'], rolled_back: [], any: ['build.succeeded', 'build.failed'] },
  deploy: {
    failed: ['deploy.failed'],
    succeeded: ['deploy.live'],
    rolled_back: ['deploy.rolled_back'],
    any: ['deploy.live', 'deploy.failed', 'deploy.rolled_back'],
  },
  domain: { failed: ['domain.failed'], succeeded: ['domain.verified'], rolled_back: [], any: ['domain.verified', 'domain.failed'] },
  task: { failed: ['task.due'], succeeded: ['task.due'], rolled_back: [], any: ['task.due'] },
  lead: { failed: [], succeeded: ['lead.created'], rolled_back: [], any: ['lead.created'] },
  client: { failed: [], succeeded: [], rolled_back: [], any: ['lead.created', 'handoff.requested', 'client.call_requested', 'client.erase_requested'] },
};

const EVERYTHING = /\b(?:everything|all\s+(?:the\s+)?(?:events|notifications|alerts|updates|of\s+(?:it|them)))\b/iu;
/** "anything", "all" without a subject in the message: every event too. */
const ANYTHING = /\b(?:anything|all)\b/iu;
const ANY_FAILURE = /\b(?:fail\w*|breaks?|broken|errors?)\b/iu;

/**
 * The notification events a subscription asks for, as a subset of NOTIFY_EVENTS in their order.
 * Each clause pairs what it is about (builds, deploys, domains, tasks) with an outcome (failed,
 * finished/live): "build failures and when deploys go live" → build.failed, deploy.live. A subject
 * without an outcome means all its events; an outcome without a subject ("anything that fails")
 * means that outcome for builds and deploys; "everything" means all events.
 *
 * @example
 * extractEvents('ping me on build failures and when deploys go live') // → ['build.failed', 'deploy.live']
 */
export function extractEvents(text: string): NotifyEvent[] | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    if (prepared.trim() === '') return undefined;
    if (EVERYTHING.test(prepared)) return [...NOTIFY_EVENTS];
    const wanted = new Set<NotifyEvent>();
    // Clauses: "build failures, deploys going live and task reminders".
    for (const clause of prepared.split(/[,;.\n]|\b(?:and|also|plus|as\s+well\s+as)\b/iu)) {
      const subjects = mentioned(clause, SUBJECTS);
      // "go live" is both the deploy subject and its outcome: both lists see it.
      const outcomes = mentioned(clause, OUTCOMES);
      if (subjects.length === 0) {
        if (ANY_FAILURE.test(clause)) {
          wanted.add('build.failed');
          wanted.add('deploy.failed');
        }
        continue;
      }
      for (const subject of subjects) {
        const events = outcomes.length === 0 ? EVENTS[subject].any : outcomes.flatMap((outcome) => EVENTS[subject][outcome]);
        for (const event of events) wanted.add(event);
      }
    }
    if (wanted.size === 0 && ANYTHING.test(prepared)) return [...NOTIFY_EVENTS];
    return wanted.size > 0 ? NOTIFY_EVENTS.filter((event) => wanted.has(event)) : undefined;
  }, undefined);
}

function mentioned<T extends string>(clause: string, patterns: ReadonlyArray<readonly [T, RegExp]>): T[] {
  return patterns.filter(([, pattern]) => pattern.test(clause)).map(([value]) => value);
}
