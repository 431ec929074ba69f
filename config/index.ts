export { loadConfig, loadDotEnv, secretsOf, type Config } from './load-config.js';
export { SETTINGS, type SettingName, type Settings } from './settings.js';
