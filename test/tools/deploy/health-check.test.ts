import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHealthCheck } from '../../../tools/deploy/index.js';

/**
 * The URL check's reason names what the server said. These servers are real HTTP on 127.0.0.1; each
 * answers its requests in turn with the given behaviour ("hang" never answers).
 */
type Behaviour = number | 'hang' | { status: number; afterMs: number };

describe('runHealthCheck (a URL check)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const open = server;
    server = undefined;
    if (!open) return;
    open.closeAllConnections();
    await new Promise((r) => open.close(r));
  });

  async function serve(behaviours: Behaviour[]): Promise<{ url: string; requests: () => number }> {
    let n = 0;
    server = createServer((_req, res) => {
      const b = behaviours[Math.min(n++, behaviours.length - 1)]!;
      if (b === 'hang') return;
      if (typeof b === 'number') return void res.writeHead(b).end('x');
      setTimeout(() => res.writeHead(b.status).end('x'), b.afterMs).unref();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/health`, requests: () => n };
  }

  const check = (url: string, timeoutMs: number) => runHealthCheck({ url, timeoutMs }, { signal: new AbortController().signal, cwd: '/' });

  it('passes on the first 2xx after failures', async () => {
    const { url, requests } = await serve([503, 502, 200]);
    expect(await check(url, 3000)).toEqual({ ok: true });
    expect(requests()).toBe(3);
  });

  it('keeps "answered 503" when the last attempt is cut off by the limit (a slow machine)', async () => {
    // The first answer is quick; later ones take longer than what is left of the 800 ms, so the
    // last attempt always ends by the limit, as the final attempt on a busy CI machine can.
    const { url, requests } = await serve([503, { status: 503, afterMs: 3000 }]);
    const outcome = await check(url, 800);
    expect(outcome).toEqual({ ok: false, reason: `${url} answered 503 within 800 ms` });
    expect(requests()).toBe(2);
  });

  it('says "did not answer" when the server never answers', async () => {
    const { url } = await serve(['hang']);
    expect(await check(url, 300)).toEqual({ ok: false, reason: `${url} did not answer within 300 ms` });
  });

  it('says "refused connections" when nothing listens', async () => {
    const { url } = await serve([200]);
    await new Promise((r) => server!.close(r));
    server = undefined;
    expect(await check(url, 300)).toEqual({ ok: false, reason: `${url} refused connections within 300 ms` });
  });

  it('stops at once, as cancelled, when the deploy is cancelled', async () => {
    const { url } = await serve(['hang']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const outcome = await runHealthCheck({ url, timeoutMs: 5000 }, { signal: controller.signal, cwd: '/' });
    expect(outcome).toEqual({ ok: false, aborted: true, reason: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
