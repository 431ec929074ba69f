import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnService, tempDataDir, WebchatVisitor, type SpawnedService } from '../support/spawn-service.js';

const running: SpawnedService[] = [];
afterEach(async () => {
  for (const service of running.splice(0)) if (service.process.exitCode === null) service.process.kill('SIGKILL');
});

/** Opens the web chat's event stream as a browser does and resolves once the server said "connected". */
function openEventStream(url: string, cookie: string | undefined): Promise<{ closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/webchat/api/events`, { headers: { accept: 'text/event-stream', ...(cookie ? { cookie } : {}) } }, (response) => {
      const closed = new Promise<void>((done) => {
        response.on('close', () => done());
        response.on('error', () => done());
      });
      response.once('data', () => resolve({ closed }));
    });
    request.on('error', reject);
  });
}

describe('switchboard serve on the embedded default, stopped with SIGTERM', () => {
  it('exits with 0 within 5 s while a web chat visitor holds an event stream and a keep-alive connection', async () => {
    const service = await spawnService({ DATA_DIR: tempDataDir() });
    running.push(service);
    const visitor = new WebchatVisitor(service.url);
    // A turn first: the agent, its checkpointer and the web chat session are all in use.
    expect(await visitor.say('hello')).toHaveLength(1);
    const cookie = (visitor as unknown as { cookie?: string }).cookie;
    const stream = await openEventStream(service.url, cookie);
    // An idle keep-alive socket too (fetch keeps its connection open after the reply).
    const keepAlive = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      http.get(`${service.url}/health`, { agent: keepAlive }, (response) => response.resume().on('end', resolve)).on('error', reject),
    );

    // Turns in flight from other visitors when the signal comes (their answers may be cut; the
    // messages are stored and answered by the next start).
    const burst = Array.from({ length: 20 }, (_, i) => new WebchatVisitor(service.url).say(`hello ${i}`).catch(() => []));
    await new Promise((r) => setTimeout(r, 300));

    const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
      const started = Date.now();
      service.process.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
    });
    service.process.kill('SIGTERM');
    const result = await Promise.race([exited, new Promise<{ code: null; ms: number }>((r) => setTimeout(() => r({ code: null, ms: 20_000 }), 20_000))]);
    keepAlive.destroy();
    expect(result.ms, `stopped after ${result.ms} ms; log:\n${service.log().slice(-3000)}`).toBeLessThan(5_000);
    expect(result.code).toBe(0);
    await Promise.all(burst);
    await stream.closed; // the server ended the stream rather than leaving the visitor hanging
    expect(service.log()).toMatch(/"msg":"stopped"/);
    console.log(`stopped ${result.ms} ms after SIGTERM`);
  });
});
