import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where the sandbox providers keep what they "built" and what is "live". The real records of runs are
 * the jobs runtime's; this is only the sandbox platform's own state, so a rollback or "what's live"
 * answers consistently across restarts when the file store is used.
 */
export interface SandboxStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
}

export class MemorySandboxStore implements SandboxStore {
  private readonly data = new Map<string, string>();

  async get<T>(key: string): Promise<T | undefined> {
    const raw = this.data.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T): Promise<void> {
    // Stored as JSON so callers never share mutable objects with the store (as with the file store).
    this.data.set(key, JSON.stringify(value));
  }
}

/** One JSON file, rewritten whole under a temporary name and renamed; writes are queued in order. */
export class JsonFileSandboxStore implements SandboxStore {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.file = path.join(dir, 'sandbox-state.json');
  }

  async get<T>(key: string): Promise<T | undefined> {
    await this.queue;
    return (await this.load())[key] as T | undefined;
  }

  set<T>(key: string, value: T): Promise<void> {
    const next = this.queue.then(async () => {
      const data = await this.load();
      data[key] = value;
      await mkdir(path.dirname(this.file), { recursive: true });
      const temp = `${this.file}.${randomUUID()}.tmp`;
      await writeFile(temp, JSON.stringify(data, null, 2));
      await rename(temp, this.file);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<Record<string, unknown>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
}

/** Waits `ms`, or rejects with `onAbort()` as soon as the signal fires. */
export function abortableDelay(ms: number, signal: AbortSignal, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(onAbort());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}
