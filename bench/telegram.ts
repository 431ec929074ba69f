/**
 * Turn benchmark on Telegram: Switchboard (PostgreSQL + Redis, then the embedded default) against a
 * bare grammY webhook bot, in alternating rounds, both answering through the same local Bot API fake.
 *
 *   npm run bench:telegram [-- --rounds 3 --seconds 10 --connections 32 --chats 500 --stores postgres,embedded]
 *
 * Prints one JSON object (see bench/turns/run-turn-bench.ts for the figures).
 */
import { benchOptions, HELP, runTurnBench, telegramBench } from './turns/index.js';

const options = benchOptions(process.argv.slice(2));
if (!options) console.log(HELP('telegram'));
else console.log(JSON.stringify(await runTurnBench(telegramBench, options), null, 2));
