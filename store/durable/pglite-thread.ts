import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** What went wrong in the embedded database's thread, in its words. */
export class PgliteThreadError extends Error {}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The embedded PostgreSQL's own thread (pglite-worker.mjs): PGlite and the pglite-socket server that
 * `pg` connects to run there, so PostgreSQL's work (WebAssembly: parsing, planning, executing every
 * statement) runs beside the service's JavaScript instead of taking turns with it on one core.
 *
 * Why a thread: in the service's profile on the embedded store (bench:telegram --stores embedded),
 * PGlite's WebAssembly, its JavaScript and the socket writes of both ends were a third of the main
 * thread's CPU. Requests are few (open, dump, serve, close); queries go through the socket as before.
 */
export class PgliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private gone: Error | undefined;
  private closing = false;
  private endedUnasked!: (error: Error) => void;
  /** Resolves when the thread ends without being closed (PGlite's WebAssembly aborted, or `terminate`). */
  readonly ended = new Promise<Error>((resolve) => (this.endedUnasked = resolve));

  constructor() {
    // No inherited execArgv: the worker is plain JavaScript and needs no loader (tsx, vitest's), and a
    // service started with --cpu-prof profiles the service's thread, not this one.
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { execArgv: [] });
    this.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) pending.reject(new PgliteThreadError(message.error));
      else pending.resolve(message.result);
    });
    this.worker.on('error', (error) => this.fail(new PgliteThreadError(`the embedded database stopped: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new PgliteThreadError(`the embedded database's thread exited (code ${code})`)));
  }

  /**
   * Opens the database in the thread: `dataDir` (a folder, or memory://), PostgreSQL `settings`, and a
   * `template` tarball to load (transferred: the caller's bytes are gone afterwards).
   */
  async open(request: { dataDir: string; settings: Record<string, string>; template?: Uint8Array }): Promise<void> {
    const modules = await compiledModules();
    const transfer = request.template ? [request.template.buffer as ArrayBuffer] : [];
    await this.request('open', { ...request, modules }, transfer);
  }

  /** Asks the thread to do `type`; rejects with its error, or when the thread is gone. */
  request<T>(type: 'open' | 'dump' | 'serve' | 'close', body: Record<string, unknown> = {}, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, type, ...body }, transfer);
    });
  }

  /** Closes PGlite (checkpointing its files) and ends the thread. */
  async close(): Promise<void> {
    this.closing = true;
    try {
      if (!this.gone) await this.request('close');
    } finally {
      await this.worker.terminate();
    }
  }

  /** Ends the thread at once, PGlite unclosed: what a crash does (for tests of the recovery). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    if (!this.gone && !this.closing) this.endedUnasked(error);
    this.gone ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** PGlite's two WebAssembly modules, compiled by V8 once per process and shared with every thread. */
interface CompiledModules {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
}

let compiled: Promise<CompiledModules> | undefined;
/** Node's WebAssembly global (this project's TypeScript libraries declare its types, not the value). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

/**
 * Compiling pglite.wasm (9 MB) is most of what opening a database costs; within one thread PGlite
 * keeps the compiled module, but a new thread would compile it again. Measured opening in-memory
 * databases one after another on this machine (what the tests do): 500 ms and 880 ms of CPU each with
 * a compile per thread, against 330 ms and 450 ms in the service's own thread.
 */
function compiledModules(): Promise<CompiledModules> {
  compiled ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm'].map(async (name) => wasm.compile(await readFile(path.join(dist, name)))),
    );
    return { pgliteWasmModule: pgliteWasmModule!, initdbWasmModule: initdbWasmModule! };
  })();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}
