/**
 * Turn benchmark on WhatsApp (Cloud API): Switchboard (PostgreSQL + Redis, then the embedded default)
 * against a bare node:http webhook bot, in alternating rounds, both answering through the same local
 * Graph API fake, every notification signed with the App Secret as Meta signs it.
 *
 *   npm run bench:whatsapp [-- --rounds 3 --seconds 10 --connections 32 --chats 500 --stores postgres,embedded]
 *
 * Prints one JSON object (see bench/turns/run-turn-bench.ts for the figures).
 */
import { benchOptions, HELP, runTurnBench, whatsappBench } from './turns/index.js';

const options = benchOptions(process.argv.slice(2));
if (!options) console.log(HELP('whatsapp'));
else console.log(JSON.stringify(await runTurnBench(whatsappBench, options), null, 2));
