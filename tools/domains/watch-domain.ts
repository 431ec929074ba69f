import type { Clock } from '../../core/index.js';
import { OPEN_MAPPING_STATES, type DomainCheckSummary, type DomainMapping, type DomainMappingRepo, type DomainMappingState } from '../../store/index.js';
import { abortableDelay, duration } from '../build/index.js';
import { JobAbortedError, type JobContext, type JobHandler, type JobQueue, type JobRecord } from '../jobs/index.js';
import { checkRecords, describeMissing, nameServersToAsk, seenCount, seenOnText } from './check-name-servers.js';
import { TOKEN_LABEL } from './domain-target.js';
import type { DnsProvider } from './ports.js';

/** How the watch asks and how long it keeps asking (config: DNS_SERVERS, DOMAIN_WATCH_*). */
export interface WatchSettings {
  dnsServers: string[] | undefined;
  maxMs: number;
  firstIntervalMs: number;
  maxIntervalMs: number;
  queryTimeoutMs: number;
}

export interface DomainWatchDeps {
  mappings: DomainMappingRepo;
  dns: DnsProvider;
  clock: Clock;
  settings: WatchSettings;
}

export const WATCH_KIND = 'domain.watch';

export interface DomainWatchParams {
  mappingId: string;
  domain: string;
}

export interface DomainWatchResult {
  mappingId: string;
  domain: string;
  state: DomainMappingState;
  seenOn: number;
  servers: number;
}

/** The watch ran out of time: the mapping is failed and `message` says what was still missing. */
export class DomainNotSeenError extends Error {
  readonly code = 'domain_not_seen';
  override readonly name = 'DomainNotSeenError';
}

/**
 * Asks the zone's authoritative name servers (or DNS_SERVERS) for every record of the mapping. The name
 * servers are read from the DNS provider at each check, so a zone moved to other servers is followed.
 */
export async function checkMapping(deps: DomainWatchDeps, mapping: DomainMapping): Promise<DomainCheckSummary> {
  const problems: string[] = [];
  let zoneServers: string[] = [];
  if (!deps.settings.dnsServers?.length) {
    try {
      const zone = await deps.dns.findZone(mapping.zoneName);
      if (zone) zoneServers = zone.nameServers;
      else problems.push(`${deps.dns.label} no longer holds the zone ${mapping.zoneName}`);
    } catch (error) {
      problems.push(`could not read the name servers of ${mapping.zoneName} from ${deps.dns.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const { servers, problems: unresolved } = await nameServersToAsk(zoneServers, deps.settings.dnsServers);
  return checkRecords(mapping.records, servers, { timeoutMs: deps.settings.queryTimeoutMs, now: deps.clock.now(), problems: [...problems, ...unresolved] });
}

/**
 * Where a check takes a mapping: active when every record is on every server, verified when the TXT
 * token is (ownership shown, traffic not yet), else where it was. Never backwards.
 */
export function stateAfter(mapping: DomainMapping, check: DomainCheckSummary): DomainMappingState {
  const total = check.servers.length;
  if (total > 0 && check.seenOn === total) return 'active';
  const token = mapping.records.findIndex((r) => r.type === 'TXT' && r.name.startsWith(`${TOKEN_LABEL}.`));
  if (mapping.state === 'pending' && total > 0 && token >= 0 && seenCount(check, token) === total) return 'verified';
  return mapping.state;
}

/** Runs one check now and stores it; the mapping moves on when the check says so (also from failed to active). */
export async function recheckMapping(deps: DomainWatchDeps, mapping: DomainMapping): Promise<{ mapping: DomainMapping; check: DomainCheckSummary }> {
  const check = await checkMapping(deps, mapping);
  const to = stateAfter(mapping, check);
  const from: DomainMappingState[] = to === 'active' ? [...OPEN_MAPPING_STATES, 'failed', 'active'] : [mapping.state];
  const stored = await deps.mappings.recordCheck(mapping.id, check, to, from);
  return { mapping: stored ?? (await deps.mappings.get(mapping.id)) ?? mapping, check };
}

/** One log line per check: "check 3: seen on 1 of 2 name servers; missing: …". */
function checkLine(n: number, check: DomainCheckSummary): string {
  const missing = describeMissing(check);
  return `check ${n}: ${seenOnText(check)}${check.problem ? ` (${check.problem})` : ''}${missing.length ? `; missing: ${missing.join('; ')}` : ''}`;
}

/**
 * The `domain.watch` job: checks the mapping's records on the name servers with backoff (the first
 * waits are seconds, each twice the last up to DOMAIN_WATCH_INTERVAL_MAX_MS) until every server has
 * them (active) or the mapping's watch time is over (failed, and the job fails saying what is missing).
 * The deadline is stored with the mapping, so a watch continued after a restart keeps the same one.
 * It never notifies: the service hears the job's end (bot/domain-watch-progress.ts) and tells people once.
 */
export function domainWatchHandler(deps: DomainWatchDeps): JobHandler<DomainWatchParams, DomainWatchResult> {
  return {
    kind: WATCH_KIND,
    async run(params, ctx: JobContext) {
      let mapping = await deps.mappings.get(params.mappingId);
      if (!mapping) throw Object.assign(new Error(`no mapping ${params.mappingId} of ${params.domain}`), { code: 'mapping_not_found' });
      await ctx.step(`watching the name servers of ${mapping.zoneName}`);
      let wait = deps.settings.firstIntervalMs;
      for (;;) {
        if (!OPEN_MAPPING_STATES.includes(mapping.state)) return result(mapping);
        const checked = await recheckMapping(deps, mapping);
        mapping = checked.mapping;
        ctx.log(checkLine(mapping.checks, checked.check));
        if (!OPEN_MAPPING_STATES.includes(mapping.state)) return result(mapping);
        const now = deps.clock.now();
        if (now >= mapping.watchUntil) {
          const missing = describeMissing(checked.check);
          const why =
            `not on every name server after ${duration(mapping.watchUntil - mapping.createdAt)} of watching: ${seenOnText(checked.check)}` +
            `${checked.check.problem ? ` (${checked.check.problem})` : ''}${missing.length ? `. Missing: ${missing.join('; ')}` : ''}`;
          const failed = await deps.mappings.fail(mapping.id, why);
          if (!failed) {
            mapping = (await deps.mappings.get(mapping.id)) ?? mapping;
            continue;
          }
          throw new DomainNotSeenError(why);
        }
        await abortableDelay(Math.min(wait, mapping.watchUntil - now), ctx.signal, () => new JobAbortedError('cancelled'));
        wait = Math.min(wait * 2, deps.settings.maxIntervalMs);
        mapping = (await deps.mappings.get(mapping.id)) ?? mapping;
      }
    },
  };
}

function result(mapping: DomainMapping): DomainWatchResult {
  return {
    mappingId: mapping.id,
    domain: mapping.domain,
    state: mapping.state,
    seenOn: mapping.lastCheck?.seenOn ?? 0,
    servers: mapping.lastCheck?.servers.length ?? 0,
  };
}

/** Starts (or restarts) the watch job of a mapping; the same `after` twice starts one job. */
export async function startWatch(deps: { jobs: JobQueue; mappings: DomainMappingRepo }, mapping: DomainMapping, requestedBy: string, after?: string): Promise<JobRecord | undefined> {
  const queued = await deps.jobs.enqueue(
    WATCH_KIND,
    { mappingId: mapping.id, domain: mapping.domain } satisfies DomainWatchParams,
    {
      requestedBy,
      ...(mapping.conversationId ? { conversationId: mapping.conversationId } : {}),
      idempotencyKey: after ? `domain.watch:${mapping.id}:after:${after}` : `domain.watch:${mapping.id}`,
    },
  );
  if ('refused' in queued) return undefined; // no lock key: never refused
  await deps.mappings.setWatchJob(mapping.id, queued.job.id);
  return queued.job;
}

/**
 * After a watch job ended without ending its mapping (the service restarted, its worker died, someone
 * cancelled it): a cancelled watch fails the mapping; otherwise a new watch continues until the stored
 * deadline, or the mapping fails when that has passed. Returns the mapping as it is now.
 */
export async function continueWatch(deps: DomainWatchDeps & { jobs: JobQueue }, mapping: DomainMapping, ended: JobRecord | undefined): Promise<DomainMapping> {
  if (!OPEN_MAPPING_STATES.includes(mapping.state)) return mapping;
  if (ended?.status === 'cancelled') {
    const who = ended.cancelRequestedBy ? ` by ${ended.cancelRequestedBy}` : '';
    return (await deps.mappings.fail(mapping.id, `the watch was cancelled${who} before every name server had the records`)) ?? mapping;
  }
  if (deps.clock.now() >= mapping.watchUntil) {
    const last = mapping.lastCheck ? `: ${seenOnText(mapping.lastCheck)}` : '';
    return (await deps.mappings.fail(mapping.id, `its watch time ran out while the watch was stopped${last}`)) ?? mapping;
  }
  await startWatch(deps, mapping, ended?.requestedBy ?? mapping.requestedBy, ended?.id);
  return mapping;
}
