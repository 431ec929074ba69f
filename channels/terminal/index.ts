export { TerminalChannel, type TerminalChannelOptions } from './terminal-channel.js';
