import net from 'node:net';

/**
 * A TCP proxy between a client and PostgreSQL that counts what the client asks for, by reading the
 * frontend/backend protocol (https://www.postgresql.org/docs/current/protocol-message-formats.html):
 * every simple `Query` ('Q') and every extended-protocol `Execute` ('E') is one statement; those
 * whose text is BEGIN / START TRANSACTION are transactions (COMMIT and ROLLBACK are not counted as
 * statements of their own). Hand-written because no package counts statements per client without
 * server configuration (pg_stat_statements needs shared_preload_libraries and a restart).
 */
export class StatementCounter {
  statements = 0;
  transactions = 0;
  /** Statement texts by count, for "where do the statements go" (first 80 characters). */
  readonly byText = new Map<string, number>();
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    this.server = net.createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  reset(): void {
    this.statements = 0;
    this.transactions = 0;
    this.byText.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.target);
    this.sockets.add(client).add(upstream);
    let buffer = Buffer.alloc(0);
    let started = false;
    // Parse statements remembered by name between Parse ('P') and Execute ('E').
    const prepared = new Map<string, string>();
    let lastParsed = '';
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          // The startup message (and an SSLRequest) has no type byte: length, then content.
          if (buffer.length < 4) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code !== 80877103) started = true; // 80877103: SSLRequest, answered before the real startup
          continue;
        }
        if (buffer.length < 5) break;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) break;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        if (type === 'Q') this.count(cString(body, 0).value);
        else if (type === 'P') {
          const name = cString(body, 0);
          lastParsed = cString(body, name.next).value;
          prepared.set(name.value, lastParsed);
        } else if (type === 'B') {
          const portal = cString(body, 0);
          const statement = cString(body, portal.next).value;
          lastParsed = prepared.get(statement) ?? lastParsed;
        } else if (type === 'E') this.count(lastParsed);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }

  private count(text: string): void {
    const head = text.trim().replace(/\s+/g, ' ');
    const keyword = head.slice(0, 20).toUpperCase();
    if (keyword.startsWith('BEGIN') || keyword.startsWith('START TRANSACTION')) {
      this.transactions++;
      return;
    }
    if (keyword.startsWith('COMMIT') || keyword.startsWith('ROLLBACK')) return;
    this.statements++;
    const key = head.slice(0, 80);
    this.byText.set(key, (this.byText.get(key) ?? 0) + 1);
  }
}

function cString(buffer: Buffer, offset: number): { value: string; next: number } {
  const end = buffer.indexOf(0, offset);
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}
