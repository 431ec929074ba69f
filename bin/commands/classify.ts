import readline from 'node:readline';
import { z } from 'zod';
import { secretsOf } from '../../config/index.js';
import { loadAppCatalog } from '../../tools/apps/index.js';
import { parseCommandArgs, UsageError, type CliCommand } from '../cli-context.js';

const LineSchema = z.object({ text: z.string() });

/**
 * `switchboard classify [--apps a,b,c]`: JSON lines in (`{"text": …}`), one JSON line out per
 * input (`{"text", "intent", "confidence", "slots"}`), understood exactly as the bot would.
 * A line that is not such JSON gets `{"line", "error"}` and the exit code is 1.
 */
export const classifyCommand: CliCommand = {
  usage: 'classify [--apps a,b,c]',
  summary: 'read JSON lines {"text"} on stdin, write {"text","intent","confidence","slots"} per line',
  details: [
    'Without --apps, the app names and aliases come from the app catalog (APPS_FILE or DATA_DIR/apps.json, and APPS).',
    'Example: echo \'{"text":"ship the marketing site to prod"}\' | switchboard classify',
  ].join('\n'),
  async run(args, context) {
    const { values } = parseCommandArgs(this, args, { apps: { type: 'string' } });
    const listed = values.apps?.split(',').map((a) => a.trim()).filter(Boolean);
    if (listed && listed.length === 0) throw new UsageError('--apps needs a comma-separated list, e.g. --apps soarix-web,marketing-site');
    // Loaded here, not at the top: `switchboard --help` should not wait for the classifier to load.
    const { appNames, createUnderstanding } = await import('../../intents/index.js');
    const apps = listed ?? appNames(loadAppCatalog(context.config).matchable());
    const { understander } = createUnderstanding(context.config, { secrets: secretsOf(context.config), logger: context.logger });
    let failed = false;
    let number = 0;
    for await (const line of readline.createInterface({ input: context.stdin, crlfDelay: Infinity })) {
      number++;
      if (!line.trim()) continue;
      const parsed = parseLine(line);
      if (!parsed) {
        failed = true;
        context.stdout.write(`${JSON.stringify({ line: number, error: 'expected a JSON object with a "text" string' })}\n`);
        continue;
      }
      const { text } = parsed;
      const understood = await understander.understand(text, { now: Date.now(), timezone: context.config.defaultTimezone, apps });
      context.stdout.write(
        `${JSON.stringify({ text, intent: understood.intent, confidence: Number(understood.confidence.toFixed(4)), slots: understood.slots })}\n`,
      );
    }
    return failed ? 1 : 0;
  },
};

function parseLine(line: string): { text: string } | undefined {
  try {
    const parsed = LineSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
