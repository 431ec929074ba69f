// The embedded PostgreSQL (PGlite) and its pglite-socket server, in a worker thread of the service.
//
// Plain JavaScript, not TypeScript: a worker thread is started from a file, and this one must load the
// same way from the sources (tsx), the compiled CLI's build folder (copied there as it is) and the
// tests (vitest, whose module transform does not reach a worker). It imports only PGlite's packages.
//
// It answers requests of open-embedded.ts, each `{ id, type, ... }` answered by `{ id, result }` or
// `{ id, error }`:
//   open   { dataDir, settings, template? (a tarball's bytes), modules? (compiled WebAssembly) }
//          → null once PGlite is ready
//   dump   {}                                      → the data folder as a tarball (Uint8Array, transferred)
//   serve  { host, port? }                         → 'host:port' of the socket server (port 0: any free one)
//   close  {}                                      → undefined, after the server and PGlite stopped
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @type {PGlite | undefined} */
let pglite;
/** @type {PGLiteSocketServer | undefined} */
let server;

const handlers = {
  async open({ dataDir, settings, template, modules }) {
    const created = await PGlite.create(dataDir, {
      // The CRM's search folds accents and tolerates typos with these two contrib extensions (migration 11).
      extensions: { pg_trgm, unaccent },
      startParams: [...PGlite.defaultStartParams, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
      ...(template ? { loadDataDir: new Blob([template]) } : {}),
      // Compiled once per process by the service's thread (pglite-thread.ts), not once per database.
      ...modules,
    });
    pglite = created;
    return null;
  },
  async dump() {
    const dump = await pglite.dumpDataDir('none');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    return { value: bytes, transfer: [bytes.buffer] };
  },
  async serve({ host, port = 0 }) {
    // Room for the pool's one connection plus one being replaced after a client-side timeout.
    server = new PGLiteSocketServer({ db: pglite, host, port, maxConnections: 2 });
    await server.start();
    return server.getServerConn();
  },
  async close() {
    await server?.stop();
    server = undefined;
    if (pglite && !pglite.closed) await pglite.close();
    pglite = undefined;
    return null;
  },
};

parentPort.on('message', async ({ id, type, ...request }) => {
  try {
    const answer = await handlers[type](request);
    if (answer && typeof answer === 'object' && 'transfer' in answer) parentPort.postMessage({ id, result: answer.value }, answer.transfer);
    else parentPort.postMessage({ id, result: answer });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
