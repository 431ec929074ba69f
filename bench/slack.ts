/**
 * Turn benchmark on Slack: Switchboard (PostgreSQL + Redis, then the embedded default) against a
 * bare Bolt app, in alternating rounds, both answering through the same local Slack Web API fake,
 * every request signed as Slack signs it.
 *
 *   npm run bench:slack [-- --rounds 3 --seconds 10 --connections 32 --chats 500 --stores postgres,embedded]
 *
 * Prints one JSON object (see bench/turns/run-turn-bench.ts for the figures).
 */
import { benchOptions, HELP, runTurnBench, slackBench } from './turns/index.js';

const options = benchOptions(process.argv.slice(2));
if (!options) console.log(HELP('slack'));
else console.log(JSON.stringify(await runTurnBench(slackBench, options), null, 2));
