/**
 * Where one turn's CPU goes: web-chat turns one after another through an in-process service, the CPU
 * of each part of the turn (understanding, dialog, act and its tool executor, the checkpoint's read and
 * write, LangGraph's own machinery) and, in the same run, LangGraph's floor (the turn's three steps as empty nodes).
 *
 *   npm run bench:turn-parts [-- --turns 2000 --warm-up 500 --stores embedded|postgres --text "…"]
 *
 * Prints one JSON object. `--stores postgres` starts a private PostgreSQL and Redis.
 */
import { DEFAULT_TEXT, parseArgs, runTurnParts } from './turns/index.js';


const args = parseArgs(process.argv.slice(2));
if (args.has('help')) {
  console.log(`Usage: npm run bench:turn-parts [-- options]

Web-chat turns one at a time through an in-process service; the CPU of each part of a turn and
LangGraph's own floor in the same run; prints one JSON object.

  --turns N         turns measured (default 2000)
  --warm-up N       turns before measuring (default 500)
  --stores S        embedded (default) or postgres (a private PostgreSQL and Redis)
  --text "…"        the message every turn sends (default "${DEFAULT_TEXT}")
  --smoke           50 turns after 20 (what npm test runs)
`);
} else {
  const smoke = args.has('smoke');
  const stores = args.get('stores') ?? 'embedded';
  if (stores !== 'embedded' && stores !== 'postgres') {
    console.error(`--stores is embedded or postgres, not "${stores}"`);
    process.exit(2);
  }
  const result = await runTurnParts({
    turns: Number(args.get('turns') ?? (smoke ? 50 : 2000)),
    warmUp: Number(args.get('warm-up') ?? (smoke ? 20 : 500)),
    text: args.get('text') ?? DEFAULT_TEXT,
    stores,
  });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
