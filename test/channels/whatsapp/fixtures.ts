import { readFileSync } from 'node:fs';

/** Meta's documented sample payloads (WhatsApp Cloud API webhook and Graph references), kept as JSON files. */
export function fixture(name: string): Record<string, any> {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, any>;
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url));
}
