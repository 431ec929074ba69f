// The turn benchmark: a bare framework bot and Switchboard in alternating rounds against one platform fake.
export { benchOptions, DEFAULT_TEXT, HELP, parseArgs, runTurnBench, type ChannelBench, type ServiceFigures, type StoreExtras, type TurnBenchOptions } from './run-turn-bench.js';
export { telegramBench } from './telegram-bench.js';
export { slackBench } from './slack-bench.js';
export { whatsappBench } from './whatsapp-bench.js';
export { TURN_COST_BOUNDS } from './turn-cost-bounds.js';
export { probeStore, seedPopulation } from './store-population.js';
export { STATEMENT_STATS_SETTINGS, StatementStats, type StatementCounts } from './statement-stats.js';
export { processCpuMs, processRssBytes, processTreeCpuMs } from './process-cpu.js';
export { percentile, round, TurnLoad, type PlatformRequest, type TurnLoadOptions, type TurnLoadResult } from './turn-load.js';
export { runTurnParts, type TurnParts, type TurnPartsOptions } from './turn-parts.js';
