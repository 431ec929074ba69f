export { benchOptions, DEFAULT_TEXT, HELP, parseArgs, runTurnBench, type ChannelBench, type StoreExtras, type TurnBenchOptions } from './run-turn-bench.js';
export { telegramBench } from './telegram-bench.js';
export { slackBench } from './slack-bench.js';
export { whatsappBench } from './whatsapp-bench.js';
export { TURN_COST_BOUNDS } from './turn-cost-bounds.js';
