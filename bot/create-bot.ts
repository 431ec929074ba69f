import { randomUUID } from 'node:crypto';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type { ChannelAdapter, ChannelDeps, ChannelName } from '../channels/index.js';
import { WebchatChannel } from '../channels/webchat/index.js';
import type { Config } from '../config/index.js';
import { secretsOf } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Role } from '../core/roles.js';
import { appNames, createTaskExtractor, type AppNames, type TaskExtractor, type Understander } from '../intents/index.js';
import {
  AuditLog,
  ConfirmationRepo,
  ConversationRepo,
  CrmRepo,
  JobRepo,
  MessageRepo,
  NotificationRepo,
  PairingRepo,
  PeopleRepo,
  RegisteredDomainRepo,
  DomainMappingRepo,
  TaskRepo,
  ThreadCheckpointSaver,
  ToolRunRepo,
  type Stores,
} from '../store/index.js';
import {
  approvePairingAction,
  createTaskActions,
  formatTaskLine,
  ReminderScheduler,
  RolePolicy,
  subscribeAction,
  ToolExecutor,
  ToolRegistry,
} from '../tools/index.js';
import { loadAppCatalog, type AppCatalog } from '../tools/apps/index.js';
import { createCrmActions, CrmService, Pipeline } from '../tools/crm/index.js';
import { createJobQueue, type JobHandler, type JobQueue } from '../tools/jobs/index.js';
import { buildJobHandler, buildStatusAction, cancelRunAction, createBuildProviders, startBuildAction, type BuildProviders } from '../tools/build/index.js';
import {
  createDeployAction,
  createDeployProviders,
  deployJobHandler,
  deployStatusAction,
  localSitePath,
  rollbackDeployAction,
  rollbackJobHandler,
  type DeployProviders,
} from '../tools/deploy/index.js';
import {
  checkDomainAction,
  createRegistrar,
  RdapBootstrap,
  RdapClient,
  registerDomainAction,
  type Registrar,
  createDnsProvider,
  domainWatchHandler,
  mapDomainAction,
  verifyDomainAction,
  WATCH_KIND,
  type DnsProvider,
  addDnsRecordAction,
  deleteDnsRecordAction,
} from '../tools/domains/index.js';
import { DomainWatchProgress } from './domain-watch-progress.js';
import { JobProgress } from './job-progress.js';
import { createKnowledgeBase, type KnowledgeBase } from '../knowledge/index.js';
import { askKnowledgeAction } from '../tools/knowledge/index.js';
import { captureLeadAction, ClientDesk, ClientRepo, crmDirectory, crmLeadBook, Handoffs, internalNames, leakDetector, ProjectStatus, type ClientDirectory, type KnowledgeAnswers, type LeadBook } from './client/index.js';
import { Redactor } from '../core/index.js';
import { createTranscriber } from '../voice/index.js';
import type { AdminDeps } from './admin-commands.js';
import { ChannelVoiceNotes } from './channel-voice-notes.js';
import { AgentHandler, createAgentGraph, type VoiceNotes } from './agent/index.js';
import { MessagePipeline } from './message-pipeline.js';
import { NotificationService } from './notification-service.js';
import { Notifier } from './notifier.js';
import { Outbox } from './outbox/index.js';
import { PairingService } from './pairing.js';
import type { TurnHandler } from './turn.js';

/**
 * Everything the bot is made of, given in one place (the composition root). No module keeps
 * state of its own; tests build a bot with their own clock, stores, understander and channels.
 */
export interface BotOptions {
  config: Config;
  logger: Logger;
  clock: Clock;
  stores: Stores;
  /** How messages are understood (the offline classifier, Claude, or the hybrid of both). */
  understander?: Understander;
  /** Replaces the agent entirely (tests of the message path). */
  handler?: TurnHandler;
  /** How voice notes are heard; defaults to fetching them through their channel and transcribing (voice/). */
  voiceNotes?: VoiceNotes;
  /** How several tasks are read from one message; defaults to Claude when configured, else offline. */
  taskExtractor?: TaskExtractor;
  /** Channels besides the web chat (always on), or a factory given what adapters may use. */
  channels?: ChannelAdapter[] | ((deps: ChannelDeps) => ChannelAdapter[]);
  /** The apps it knows (tools/apps); defaults to the catalog file (APPS_FILE or DATA_DIR/apps.json) merged with APPS. */
  appCatalog?: AppCatalog;
  /** Where builds and deploys run (tools/jobs); defaults to BullMQ with REDIS_URL, else in this process. */
  jobQueue?: JobQueue;
  /** Handlers of job kinds (build, deploy, rollback), registered on the job queue. */
  jobHandlers?: readonly JobHandler<never, unknown>[];
  /** Build and deploy providers by catalog name; default: tools/build and tools/deploy from config (sandbox needs nothing). */
  buildProviders?: BuildProviders;
  deployProviders?: DeployProviders;
  /** Client conversations (bot/client): where leads go, who a client's company is, and the knowledge answers; default: the CRM and the knowledge base. */
  leadBook?: LeadBook;
  clientDirectory?: ClientDirectory;
  knowledge?: KnowledgeAnswers;
  /** Who sells domains; default: REGISTRAR (Porkbun with its keys, else the sandbox registrar in the store). */
  registrar?: Registrar;
  /** Where availability is looked up; default: RDAP through RDAP_URL or IANA's bootstrap (RDAP_BOOTSTRAP_URL). */
  rdap?: RdapClient;
  /** Where DNS records are written; default: DNS_PROVIDER (Cloudflare with its token, else the sandbox and its name server). */
  dnsProvider?: DnsProvider;
}

export interface Bot {
  readonly pipeline: MessagePipeline;
  /** Delivers every outbound message (bot/outbox). */
  readonly outbox: Outbox;
  readonly webchat: WebchatChannel;
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  readonly people: PeopleRepo;
  readonly conversations: ConversationRepo;
  readonly messages: MessageRepo;
  readonly tasks: TaskRepo;
  readonly confirmations: ConfirmationRepo;
  readonly audit: AuditLog;
  readonly pairing: PairingService;
  readonly policy: RolePolicy;
  readonly reminders: ReminderScheduler;
  readonly notifications: NotificationService;
  readonly admin: AdminDeps;
  readonly appCatalog: AppCatalog;
  /** Builds, deploys and rollbacks as jobs: records in PostgreSQL, run here or on BullMQ workers. */
  readonly jobs: JobQueue;
  /** DNS records (Cloudflare or the sandbox, whose zones name its running name server). */
  readonly dns: DnsProvider;
  /** Questions answered from the agency's documents (knowledge/): KNOWLEDGE_DIR or the sample set, with Claude when configured. */
  readonly knowledge: KnowledgeBase;
  /** The CRM's lead capture and duplicate checks (tools/crm): the client conversation uses `crm.captureLead`. */
  readonly crm: CrmService;
  /** Client conversations handed to the team, and their state (bot/client). */
  readonly clients: { repo: ClientRepo; handoffs: Handoffs };
  start(): Promise<void>;
  /** Stops taking messages, finishes the turns in flight, stops reminders and channels. */
  stop(): Promise<void>;
}

/** Starts every delivery-failure report, so a report that fails is not reported again. */
const DELIVERY_REPORT = '⚠️ ';

export function createBot(options: BotOptions): Bot {
  const { config, logger, clock, stores } = options;
  const people = new PeopleRepo(stores.db, clock);
  const conversations = new ConversationRepo(stores.db, clock);
  const messages = new MessageRepo(stores.db, clock);
  const tasks = new TaskRepo(stores.db, clock);
  const confirmations = new ConfirmationRepo(stores.db, clock);
  const jobRepo = new JobRepo(stores.db, clock);
  const redactor = new Redactor(secretsOf(config));
  const jobs =
    options.jobQueue ??
    createJobQueue({
      jobs: jobRepo,
      hot: stores.hot,
      clock,
      logger,
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      redact: (text) => redactor.text(text),
      soleProcess: stores.db.kind === 'embedded',
      // SIGTERM must end within seconds (bot/service.ts): a job still running after this is aborted and
      // marked interrupted, and the requester is told; it is never re-run on its own.
      stopGraceMs: 1_000,
    });
  for (const handler of options.jobHandlers ?? []) jobs.register(handler);
  const audit = new AuditLog(stores.db, clock, secretsOf(config));
  const pairing = new PairingService({ pairing: new PairingRepo(stores.db, clock), people, audit, clock });
  const policy = RolePolicy.fromFile(config.agent.rolePolicyFile);
  // The service follows the catalog file, so `switchboard apps add` and `demo init` need no restart.
  const appCatalog = options.appCatalog ?? loadAppCatalog(config, { follow: true });
  const currentAppNames = followAppNames(appCatalog);
  const builds = options.buildProviders ?? createBuildProviders({ dataDir: config.dataDir, github: config.github });
  const deploys = options.deployProviders ?? createDeployProviders({ dataDir: config.dataDir, vercel: config.vercel });
  // Where the service serves local targets (GET /sites/:app/:env/*), told in deploy messages and deploy.status.
  const siteUrl = (app: string, env: string) => `${(config.publicUrl ?? config.serviceUrl).replace(/\/+$/, '')}${localSitePath(app, env)}`;
  // The builds, deploys and rollbacks of the app catalog, unless the caller brought its own handler for a kind.
  const ownKinds = new Set((options.jobHandlers ?? []).map((h) => h.kind));
  for (const handler of [
    buildJobHandler({ catalog: appCatalog, builds }),
    deployJobHandler({ catalog: appCatalog, builds, deploys, siteUrl }),
    rollbackJobHandler({ catalog: appCatalog, builds, deploys, siteUrl }),
  ]) {
    if (!ownKinds.has(handler.kind)) jobs.register(handler as JobHandler<never, unknown>);
  }
  const webchat = new WebchatChannel(stores.hot);
  const channels = new Map<ChannelName, ChannelAdapter>([[webchat.name, webchat]]);
  const channelDeps: ChannelDeps = {
    logger,
    clock,
    lastInboundAt: (channel, conversation) => messages.lastInboundAt(channel, conversation),
    recordDeliveryStatus: (channel, id, status, detail) => messages.recordDeliveryStatus(channel, id, status, detail),
  };
  const extra = typeof options.channels === 'function' ? options.channels(channelDeps) : (options.channels ?? []);
  for (const channel of extra) channels.set(channel.name, channel);

  // The pipeline needs the handler, and the outbox's failure report needs the notifier: both are bound late.
  let handler: TurnHandler | undefined = options.handler;
  let notifier!: Notifier;
  const instanceId = randomUUID();
  const outbox = new Outbox({
    messages,
    conversations,
    channels,
    clock,
    logger,
    instanceId,
    // A message that cannot reach someone is the team's problem, not a silent failure.
    onFailed: async (message, error, outcome) => {
      // A report that itself cannot be delivered is not reported again (no loop).
      if (message.kind === 'notification' && message.text.startsWith(DELIVERY_REPORT)) return;
      const staff = await people.withRoles(['owner', 'admin']);
      const excerpt = message.text.length > 200 ? `${message.text.slice(0, 200)}…` : message.text;
      const what =
        (error as { reason?: string }).reason === 'window_closed'
          ? `A WhatsApp message to a client was not sent: ${error.message}`
          : outcome === 'unknown'
            ? `A ${message.channel} message may or may not have arrived (it was not sent again, so it is not sent twice): ${error.message}`
            : `A ${message.channel} message was not sent: ${error.message}`;
      for (const person of staff) await notifier.notifyPerson(person.id, `${DELIVERY_REPORT}${what}\nIt said: "${excerpt}"`);
    },
  });
  const pipeline = new MessagePipeline({
    people,
    conversations,
    messages,
    hot: stores.hot,
    clock,
    logger,
    handler: { handle: (turn) => handler!.handle(turn) },
    // Web chat and terminal users are on this machine; WhatsApp strangers are the agency's clients
    // (DESIGN.md, "Roles"); everyone else pairs first.
    defaultRole: (channel): Role =>
      channel === 'webchat' || channel === 'terminal' ? config.agent.webchatDefaultRole : channel === 'whatsapp' ? 'client' : 'unknown',
    outbox,
    instanceId,
    lock: { ttlMs: config.turn.lockTtlMs, waitMs: config.turn.lockWaitMs },
    rateLimit: config.rateLimit,
  });
  const notificationRepo = new NotificationRepo(stores.db, clock);
  notifier = new Notifier({ people, conversations, messages, notifications: notificationRepo, outbox });
  const notifications = new NotificationService({
    hot: stores.hot,
    notifications: notificationRepo,
    conversations,
    messages,
    outbox,
    clock,
    logger,
    perChatPerMinute: config.notifyPerChatPerMinute,
  });
  const reminders = new ReminderScheduler({
    tasks,
    clock,
    logger,
    deliver: async (task) => {
      const recipient = task.assigneeId ?? task.createdBy;
      const person = await people.findById(recipient);
      const line = formatTaskLine(task, person?.timezone ?? config.defaultTimezone, clock.now());
      // One event, one message per chat: the reminder claims (event, chat) like a notification, so a
      // chat that also subscribed to "task.due" (the owner's own direct message) gets only the reminder.
      const event = { id: `task.due:${task.id}`, type: 'task.due' as const };
      const delivered = await notifier.notifyPerson(recipient, `⏰ Reminder: ${line}`, event);
      if (!delivered) logger.warn({ task: task.number }, 'reminder has nowhere to go: the person has no conversation yet');
      // Chats subscribed to "task.due" (a team channel) hear about it too.
      const who = task.assigneeName ?? person?.displayName;
      await notifications.publish({
        id: event.id,
        type: 'task.due',
        text: `⏰ Task due: ${formatTaskLine(task, config.defaultTimezone, clock.now())}${who ? ` (${who})` : ''}`,
      });
    },
  });

  const registeredDomains = new RegisteredDomainRepo(stores.db, clock);
  const registrar = options.registrar ?? createRegistrar(config.registrar, { domains: registeredDomains });
  const rdap =
    options.rdap ??
    new RdapClient(config.rdap.url ? { baseUrl: config.rdap.url } : { bootstrap: new RdapBootstrap({ url: config.rdap.bootstrapUrl, clock, dataDir: config.dataDir }) });
  const knowledge = createKnowledgeBase(config, { logger });
  // DNS records, and the mapping of domains to apps watched on the zone's name servers (tools/domains).
  const dnsSetup = options.dnsProvider ? { provider: options.dnsProvider, nameServer: undefined } : createDnsProvider(config, { db: stores.db, clock, logger });
  const dns = dnsSetup.provider;
  const domainMappings = new DomainMappingRepo(stores.db, clock);
  const domainWatch = { mappings: domainMappings, dns, clock, settings: config.domainWatch };
  if (!ownKinds.has(WATCH_KIND)) jobs.register(domainWatchHandler(domainWatch) as JobHandler<never, unknown>);
  const crmRepo = new CrmRepo(stores.db, clock);
  const crm = new CrmService({ crm: crmRepo, pipeline: new Pipeline(config.crm.pipeline), defaultCountry: config.crm.defaultCountry });
  const actions = new ToolRegistry([
    ...createCrmActions({ crm: crmRepo, service: crm, db: stores.db, audit, defaultCountry: config.crm.defaultCountry }),
    ...createTaskActions({ tasks, people, policy, onCreated: (dueAt) => reminders.poke(dueAt) }),
    approvePairingAction({ pairing }) as never,
    subscribeAction({ notifications: notificationRepo }) as never,
    startBuildAction({ catalog: appCatalog, jobs }) as never,
    buildStatusAction({ catalog: appCatalog, jobs }) as never,
    cancelRunAction({ catalog: appCatalog, jobs }) as never,
    createDeployAction({ catalog: appCatalog, jobs, deploys }) as never,
    rollbackDeployAction({ catalog: appCatalog, jobs, deploys }) as never,
    deployStatusAction({ catalog: appCatalog, jobs, deploys, siteUrl }) as never,
    askKnowledgeAction({ knowledge }) as never,
    checkDomainAction({ rdap, registrar }) as never,
    registerDomainAction({ registrar, domains: registeredDomains }) as never,
    mapDomainAction({ catalog: appCatalog, dns, mappings: domainMappings, jobs, watch: config.domainWatch }) as never,
    verifyDomainAction({ ...domainWatch, onEnded: (mapping) => domainProgress.announce(mapping) }) as never,
    addDnsRecordAction({ dns }) as never,
    deleteDnsRecordAction({ dns }) as never,
  ]);
  // Job events → progress in the conversation that asked, and outcomes to subscribed chats. Listening
  // starts with the service (not in a bare `switchboard worker`, which has no channels to deliver on).
  const jobProgress = new JobProgress({
    jobs,
    hot: stores.hot,
    messages,
    conversations,
    notificationRepo,
    notifications,
    outbox,
    catalog: appCatalog,
    deploys,
    logger,
  });
  // Domain watches' outcomes (domain.verified, domain.failed), told once; watches cut by a restart continue.
  const domainProgress = new DomainWatchProgress({ ...domainWatch, jobs, messages, notificationRepo, notifications, outbox, logger });
  const toolRuns = new ToolRunRepo(stores.db, clock);
  const executorOf = (registry: ToolRegistry) =>
    new ToolExecutor({ db: stores.db, actions: registry, confirmations, runs: toolRuns, people, audit, policy, clock, logger });
  const executor = executorOf(actions);
  // Client conversations (bot/client): their one action runs through an executor whose registry holds
  // nothing else, so no client turn can reach a staff tool (the role policy refuses it too).
  const clientRepo = new ClientRepo(stores.db, clock);
  const handoffs = new Handoffs({ repo: clientRepo, people, conversations, messages, notifications: notificationRepo, outbox, audit, logger, clock, whatsappTemplate: Boolean(config.whatsapp?.template) });
  const clientActions = new ToolRegistry([captureLeadAction({ leads: options.leadBook ?? crmLeadBook(crm, crmRepo), handoffs }) as never]);
  const clientExecutor = executorOf(clientActions);
  // The latest checkpoint per conversation, one row (store/durable/thread-checkpoint-saver.ts); threads
  // saved by PostgresSaver before migration 15 are read from its tables once.
  const checkpointer = new ThreadCheckpointSaver(stores.db, new PostgresSaver(stores.db.pool, undefined, { schema: 'langgraph' }));
  const voiceNotes: VoiceNotes = options.voiceNotes ?? new ChannelVoiceNotes({
    channels,
    limits: config.voice,
    transcriber: createTranscriber(config.voice.transcriber, { clock, logger }),
  });
  if (!handler) {
    if (!options.understander) throw new Error('createBot needs an understander (or a handler)');
    const graph = createAgentGraph({
      understander: options.understander,
      executor,
      checkpointer,
      voiceNotes,
      messages,
      actions,
      policy,
      confirmations,
      audit,
      pairing,
      clock,
      logger,
      // Names plus aliases: "the marketing site" finds soarix-web. A getter, so a changed catalog is
      // understood from the next message on.
      get apps() {
        return currentAppNames();
      },
      confirmTtlMs: config.agent.confirmTtlMs,
      taskExtractor: options.taskExtractor ?? createTaskExtractor(config, { secrets: secretsOf(config), logger }),
      people,
    });
    const staff = new AgentHandler(graph, { defaultTimezone: config.defaultTimezone });
    handler = new ClientDesk({
      staff,
      understander: options.understander,
      apps: currentAppNames,
      policy,
      executor: clientExecutor,
      repo: clientRepo,
      handoffs,
      status: new ProjectStatus({ catalog: appCatalog, jobs, repo: clientRepo, directory: options.clientDirectory ?? crmDirectory(crmRepo, crm) }),
      knowledge: options.knowledge ?? knowledge,
      bookingUrl: config.client.bookingUrl,
      voiceNotes,
      messages,
      audit,
      defaultTimezone: config.defaultTimezone,
      logger,
      leaksInternals: leakDetector(internalNames([...actions.names(), ...clientActions.names()])),
    });
  }

  return {
    pipeline,
    outbox,
    webchat,
    channels,
    people,
    conversations,
    messages,
    tasks,
    confirmations,
    audit,
    pairing,
    policy,
    reminders,
    notifications,
    admin: { people, audit, pairing, jobs: jobRepo, crm: { repo: crmRepo, service: crm }, domains: { mappings: domainMappings, registered: registeredDomains }, clients: { repo: clientRepo, handoffs } },
    appCatalog,
    jobs,
    dns,
    knowledge,
    crm,
    clients: { repo: clientRepo, handoffs },
    async start() {
      await notifications.start();
      for (const channel of channels.values()) await channel.start(pipeline.handleInbound);
      outbox.start();
      pipeline.startSweeper();
      await reminders.start();
      // After the outbox: jobs left running by a previous life are marked interrupted now, and their
      // requesters must be told.
      jobProgress.listen();
      domainProgress.listen();
      // The sandbox's name server answers before any watch asks it.
      await dnsSetup.nameServer?.start();
      await jobs.start();
      await domainProgress.resume().catch((error: unknown) => logger.warn({ err: error }, 'domain watches not resumed yet; they are when the service next starts'));
      logger.info(`jobs: ${jobs.description}`);
    },
    async stop() {
      await Promise.all([pipeline.drain(), jobs.stop()]);
      await jobProgress.stop();
      await domainProgress.stop();
      await dnsSetup.nameServer?.stop();
      await reminders.stop();
      await notifications.stop();
      await outbox.stop();
      for (const channel of channels.values()) {
        await channel.stop().catch((error: unknown) => logger.warn({ err: error, channel: channel.name }, 'channel did not stop cleanly'));
      }
    },
  };
}

/** The catalog's names and aliases for the understanding, rebuilt only when the catalog's apps change. */
function followAppNames(catalog: AppCatalog): () => AppNames {
  let cached: { apps: readonly unknown[]; names: AppNames } | undefined;
  return () => {
    const apps = catalog.list();
    if (cached && cached.apps.length === apps.length && cached.apps.every((app, i) => app === apps[i])) return cached.names;
    const names = appNames(apps.map((app) => ({ name: app.name, aliases: app.aliases })));
    cached = { apps, names };
    return names;
  };
}
