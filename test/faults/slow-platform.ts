import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A proxy in front of a platform fake that gives every call the latency of the real platform
 * (`beforeMs` on the way in, `afterMs` on the way back), so that at any moment several replies are
 * on the wire, as in production.
 *
 * A request that has arrived is always forwarded, even if the caller has gone (killed) meanwhile:
 * bytes already written reach the platform, which then acts on them. That is what makes "sent,
 * outcome unknown" a real state in the fault tests: the platform accepted the message but the
 * service never heard so, and must not send it again blindly. Hand-written for that reason: a
 * generic proxy (http-proxy and the like) aborts the upstream call when the caller goes away.
 */
export class SlowPlatform {
  /** Calls forwarded after their caller had disconnected (the platform acted; nobody heard). */
  forwardedToNobody = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(
    private readonly target: string,
    private readonly beforeMs = 150,
    private readonly afterMs = 150,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        await sleep(this.beforeMs);
        const response = await fetch(`${this.target}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers: req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : {},
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        const body = Buffer.from(await response.arrayBuffer());
        await sleep(this.afterMs);
        if (res.destroyed || req.socket.destroyed) {
          this.forwardedToNobody++;
          return;
        }
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
        res.end(body);
      })().catch(() => {
        if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
