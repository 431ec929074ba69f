import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBot, type Bot } from '../../../../bot/create-bot.js';
import { SystemClock } from '../../../../core/clock.js';
import { silentLogger } from '../../../../core/logger.js';
import { DomainMappingRepo, type DomainMapping, type Person, type StoredMessage } from '../../../../store/index.js';
import type { Stores } from '../../../../store/open-stores.js';
import { loadAppCatalog, type AppCatalog } from '../../../../tools/apps/index.js';
import { createDnsProvider, mapDomainAction, verifyDomainAction, type DnsProvider } from '../../../../tools/domains/index.js';
import type { ExecutionContext, ToolContext } from '../../../../tools/index.js';
import { memoryStores } from '../../../support/memory-stores.js';
import { RecordingChannel } from '../../../support/recording-channel.js';
import { testConfig } from '../../../support/test-config.js';

/**
 * A whole bot (PGlite, the in-process job runner, the outbox delivering to a recording Telegram channel)
 * whose DNS provider is the test's, with fast watch settings. The domain actions are called directly, as
 * the executor would after its checks; the watch job, its outcome and the notices are the bot's own.
 */
export class DomainBot {
  readonly clock = new SystemClock();
  readonly telegram = new RecordingChannel('telegram');
  stores!: Stores;
  bot!: Bot;
  catalog!: AppCatalog;
  mappings!: DomainMappingRepo;
  person!: Person;
  conversationId = '';
  private dataDir = '';

  constructor(
    /** The test's DNS account; undefined: the bot's default from the settings (the SANDBOX DNS and its name server). */
    private readonly dns: DnsProvider | undefined,
    private readonly settings: Record<string, string> = {},
  ) {}

  /** The stores, opened once per file (an embedded PostgreSQL takes seconds to start). */
  static openStores(clock = new SystemClock()): Promise<Stores> {
    return memoryStores(clock);
  }

  /** Each test its own catalog, conversations and data folder, on the shared stores. */
  async open(stores: Stores): Promise<void> {
    this.stores = stores;
    this.dataDir = mkdtempSync(path.join(tmpdir(), 'domain-bot-'));
    const catalogFile = path.join(this.dataDir, 'apps.json');
    writeFileSync(
      catalogFile,
      JSON.stringify({
        apps: [
          // Like the demo app: local targets, so the default record is an A to this machine.
          { name: 'demo-site', environments: { production: { provider: 'local', path: 'sites/production' }, staging: { provider: 'local', path: 'sites/staging' } } },
          { name: 'acme-shop', environments: { production: { provider: 'sandbox', domainTarget: { cname: 'edge.hosting.test' } } } },
        ],
      }),
    );
    this.catalog = loadAppCatalog({ ...this.config(), appsFile: { path: catalogFile, fromSetting: true } });
    this.mappings = new DomainMappingRepo(this.stores.db, this.clock);
    await this.start();
  }

  config() {
    return testConfig({
      DATA_DIR: this.dataDir,
      APPS: 'demo-site,acme-shop',
      DOMAIN_WATCH_FIRST_MS: '100',
      DOMAIN_WATCH_INTERVAL_MAX_MS: '200',
      DOMAIN_WATCH_MAX_MS: '8000',
      DNS_QUERY_TIMEOUT_MS: '500',
      ...this.settings,
    });
  }

  async start(): Promise<void> {
    this.bot = createBot({
      config: this.config(),
      logger: silentLogger(),
      clock: this.clock,
      stores: this.stores,
      handler: { handle: async () => [] },
      channels: [this.telegram],
      appCatalog: this.catalog,
      ...(this.dns ? { dnsProvider: this.dns } : {}),
    });
    await this.bot.start();
    this.person = await this.bot.people.grant('telegram', 'ops-1', 'admin');
    this.conversationId = (await this.bot.conversations.ensure('telegram', `ops-chat-${path.basename(this.dataDir)}`)).id;
  }

  async restart(): Promise<void> {
    await this.bot.stop();
    await this.start();
  }

  async close(): Promise<void> {
    await this.bot?.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The actions as the service builds them (same repository, job queue and settings). */
  actions() {
    const config = this.config();
    const settings = config.domainWatch;
    // The sandbox's records live in the store, so a second provider on the same store writes where the bot's name server reads.
    const dns = this.dns ?? createDnsProvider(config, { db: this.stores.db, clock: this.clock }).provider;
    return {
      map: mapDomainAction({ catalog: this.catalog, dns, mappings: this.mappings, jobs: this.bot.jobs, watch: settings }),
      verify: verifyDomainAction({ mappings: this.mappings, dns, clock: this.clock, settings }),
    };
  }

  context(text = ''): ToolContext {
    return { actor: this.person, conversationId: this.conversationId, now: this.clock.now(), timezone: 'UTC', text };
  }

  execution(key: string): ExecutionContext {
    return { actor: this.person, conversationId: this.conversationId, now: this.clock.now(), timezone: 'UTC', idempotencyKey: key };
  }

  /** Waits until the domain's mapping is in `state` (or fails the test after `ms`). */
  async until(domain: string, states: DomainMapping['state'][], ms = 10_000): Promise<DomainMapping> {
    const deadline = Date.now() + ms;
    for (;;) {
      const mapping = await this.mappings.latestFor(domain);
      if (mapping && states.includes(mapping.state)) return mapping;
      if (Date.now() > deadline) throw new Error(`${domain} did not become ${states.join(' or ')} in ${ms} ms (it is ${mapping?.state ?? 'not mapped'})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stored notification rows of a conversation about `event`. */
  async notices(conversationId: string, event: string): Promise<StoredMessage[]> {
    const { rows } = await this.stores.db.query<{ id: string }>(
      `SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'out' AND payload->>'event' = $2 ORDER BY created_at`,
      [conversationId, event],
    );
    return (await Promise.all(rows.map((r) => this.bot.messages.findById(r.id)))).filter((m): m is StoredMessage => Boolean(m));
  }
}
