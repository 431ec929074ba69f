import readline from 'node:readline';
import { z } from 'zod';
import { secretsOf } from '../../config/index.js';
import { createUnderstanding } from '../../intents/index.js';
import { UsageError, type CliCommand } from '../cli-context.js';

const LineSchema = z.object({ text: z.string() });

/**
 * `switchboard classify [--apps a,b,c]`: JSON lines in (`{"text": …}`), one JSON line out per
 * input (`{"text", "intent", "confidence", "slots"}`), understood exactly as the bot would.
 * A line that is not such JSON gets `{"line", "error"}` and the exit code is 1.
 */
export const classifyCommand: CliCommand = {
  usage: 'classify [--apps a,b,c]',
  summary: 'read JSON lines {"text"} on stdin, write {"text","intent","confidence","slots"} per line',
  async run(args, context) {
    const at = args.indexOf('--apps');
    if (at >= 0 && !args[at + 1]) throw new UsageError('--apps needs a comma-separated list, e.g. --apps soarix-web,marketing-site');
    const apps = at >= 0 ? args[at + 1]!.split(',').map((a) => a.trim()).filter(Boolean) : context.config.apps;
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
