import { parse as parseHostname } from 'tldts';
import { z } from 'zod';
import type { DomainMappingRepo, MappedRecord } from '../../store/index.js';
import { ENVIRONMENTS, type AppCatalog } from '../apps/index.js';
import { resolveApp, sandboxLabel } from '../build/index.js';
import type { JobQueue } from '../jobs/index.js';
import type { ToolAction } from '../tool-action.js';
import { appRecords, isOurToken, newToken, normaliseDomain, tokenRecordName } from './domain-target.js';
import { DomainProviderError } from './domain-errors.js';
import type { DnsProvider, DnsRecord, DnsZone } from './ports.js';
import { startWatch, type WatchSettings } from './watch-domain.js';

const RecordSchema = z.object({ type: z.enum(['A', 'AAAA', 'CNAME', 'TXT']), name: z.string(), content: z.string() });
const ExistingSchema = RecordSchema.extend({ id: z.string(), type: z.string() });

export const MapDomainParamsSchema = z.object({
  domain: z.string(),
  app: z.string(),
  env: z.enum(ENVIRONMENTS),
  /** Whether env was said or taken as production: the restatement says so. */
  envAssumed: z.boolean(),
  dnsProvider: z.string(),
  dnsLabel: z.string(),
  sandbox: z.boolean(),
  /** Null: the SANDBOX DNS hosts the zone from this mapping on (created when it runs). */
  zoneId: z.string().nullable(),
  zoneName: z.string(),
  nameServers: z.array(z.string()),
  /** Every record the mapping wants, the TXT token's last. */
  records: z.array(RecordSchema),
  /** Records there now that this replaces (restated as they are now). */
  replace: z.array(ExistingSchema),
  /** The domain's earlier mapping that this one replaces. */
  previous: z.object({ app: z.string(), env: z.string(), state: z.string() }).nullable(),
});
export type MapDomainParams = z.infer<typeof MapDomainParamsSchema>;

export interface MapDomainDeps {
  catalog: AppCatalog;
  dns: DnsProvider;
  mappings: DomainMappingRepo;
  jobs: JobQueue;
  watch: Pick<WatchSettings, 'maxMs' | 'firstIntervalMs'>;
}

/** Types that cannot share a name with a CNAME, and that a CNAME replaces (and the other way round). */
const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

/** The zone holding `domain`: the domain itself, else each parent in turn (shop.example.co.uk → example.co.uk). */
async function zoneHolding(dns: DnsProvider, domain: string): Promise<DnsZone | undefined> {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const zone = await dns.findZone(labels.slice(i).join('.'));
    if (zone) return zone;
  }
  return undefined;
}

const show = (r: { type: string; name: string; content: string }) => `${r.type} ${r.name} → ${r.content}`;
const same = (a: { type: string; name: string; content: string }, b: { type: string; name: string; content: string }) =>
  a.type === b.type && a.name === b.name && a.content.toLowerCase().replace(/\.$/, '') === b.content.toLowerCase().replace(/\.$/, '');

/** What is at the mapping's names now that is not wanted: the records a mapping replaces. */
async function recordsInTheWay(dns: DnsProvider, zoneId: string, domain: string, wanted: readonly MappedRecord[]): Promise<DnsRecord[]> {
  const [atName, atToken] = await Promise.all([dns.listRecords(zoneId, { name: domain }), dns.listRecords(zoneId, { type: 'TXT', name: tokenRecordName(domain) })]);
  return [...atName.filter((r) => ADDRESS_TYPES.has(r.type)), ...atToken.filter((r) => r.type === 'TXT')].filter((r) => !wanted.some((w) => same(w, r)));
}

/**
 * `domain.map`: points a domain at an app's environment. The records come from the app catalog (the
 * environment's `domainTarget`, else its deploy provider's default), plus a TXT ownership token at
 * `_switchboard-verify.<domain>`. Adding records is safe; replacing records that are there now is
 * risky and the restatement shows them as they are. Then a `domain.watch` job asks the zone's name
 * servers until every one answers the records (active) or the watch time runs out (failed).
 */
export function mapDomainAction(deps: MapDomainDeps): ToolAction<MapDomainParams> {
  return {
    name: 'domain.map',
    intent: 'domain.map',
    input: MapDomainParamsSchema,
    async prepare(slots) {
      if (!slots.domain) return { ok: false, question: 'Which domain should I connect, and to which app?', slot: 'domain' };
      const named = normaliseDomain(slots.domain);
      if ('problem' in named) return { ok: false, refusal: named.problem };
      const { domain } = named;
      const found = resolveApp(deps.catalog, slots.app, `Which app should ${domain} point to?`);
      if (!('app' in found)) return found;
      const { app } = found;
      const env = slots.env ?? 'production';
      const sandbox = deps.dns.name === 'sandbox';
      let zone: DnsZone | undefined;
      let replace: DnsRecord[] = [];
      let records: MappedRecord[];
      try {
        zone = await zoneHolding(deps.dns, domain);
        // The sandbox hosts any zone from its first record on; a real account's zones are added in its dashboard.
        if (!zone && !(sandbox && deps.dns.createZone)) {
          return {
            ok: false,
            refusal: `${deps.dns.label} holds no zone for ${domain}, so I can't add its records. Add the domain to ${deps.dns.label} first (its dashboard, "Add a site"), then ask again.`,
          };
        }
        const zoneName = zone?.name ?? parseHostname(domain).domain ?? domain;
        const target = appRecords(app, env, domain, zoneName);
        if ('refusal' in target) return { ok: false, refusal: target.refusal };
        records = [...target.records, { type: 'TXT', name: tokenRecordName(domain), content: newToken() }];
        if (zone) replace = await recordsInTheWay(deps.dns, zone.id, domain, records);
        zone ??= { id: '', name: zoneName, nameServers: [] };
      } catch (error) {
        if (error instanceof DomainProviderError) return { ok: false, refusal: `${sandboxLabel(sandbox)}${error.message}` };
        throw error;
      }
      const previous = await deps.mappings.latestFor(domain);
      if (previous && previous.app === app.name && previous.env === env && ['pending', 'verified', 'active'].includes(previous.state)) {
        return {
          ok: false,
          refusal: `${domain} is already connected to ${app.name} ${env} (${previous.state}${previous.lastCheck ? `, last check ${previous.lastCheck.seenOn} of ${previous.lastCheck.servers.length} name servers` : ''}). Say "verify ${domain}" to check it now.`,
        };
      }
      return {
        ok: true,
        params: {
          domain,
          app: app.name,
          env,
          envAssumed: !slots.env,
          dnsProvider: deps.dns.name,
          dnsLabel: deps.dns.label,
          sandbox,
          zoneId: zone.id || null,
          zoneName: zone.name,
          nameServers: zone.nameServers,
          records,
          replace: replace.map((r) => ({ id: r.id, type: r.type, name: r.name, content: r.content })),
          previous: previous && ['pending', 'verified', 'active'].includes(previous.state) ? { app: previous.app, env: previous.env, state: previous.state } : null,
        },
      };
    },
    // Someone's record overwritten is risky; an earlier token of ours is not someone's record.
    risk: (p) => (p.replace.some((r) => !isOurToken(r)) ? 'risky' : 'safe'),
    plan: (p) => {
      const adds = p.records.filter((r) => !p.replace.some((old) => same(old, r)));
      return [
        `${sandboxLabel(p.sandbox)}Connect ${p.domain} to ${p.app} ${p.env}${p.envAssumed ? ' (production, as no environment was named)' : ''}, in the zone ${p.zoneName} at ${p.dnsLabel}${p.zoneId ? '' : ' (hosted there from now on)'}:`,
        ...adds.map((r) => `• add ${show(r)}${r.type === 'TXT' ? ' (the ownership token)' : ''}`),
        ...p.replace.map((r) => `• replace ${show(r)} (there now)`),
        ...(p.previous ? [`It is connected to ${p.previous.app} ${p.previous.env} now (${p.previous.state}); that stops.`] : []),
        `Then I'll ask ${p.nameServers.length ? p.nameServers.join(', ') : "the zone's name servers"} until each answers these records, and tell you here.`,
      ].join('\n');
    },
    phrase: (p) => ({ verb: 'map', target: p.domain, qualifier: p.app }),
    async execute(p, ctx) {
      const label = sandboxLabel(p.sandbox);
      const existing = await deps.mappings.latestFor(p.domain);
      const replay = existing?.idempotencyKey === ctx.idempotencyKey;
      const zoneId = p.zoneId ?? (await deps.dns.findZone(p.zoneName))?.id ?? (await deps.dns.createZone!(p.zoneName)).id;
      if (!replay) {
        // What is in the way now must be what was restated: a record changed since is not overwritten unseen.
        const now = await recordsInTheWay(deps.dns, zoneId, p.domain, p.records);
        const unseen = now.filter((r) => !p.replace.some((old) => old.id === r.id && same(old, r)));
        if (unseen.length) {
          return {
            summary: `${label}The records of ${p.domain} changed since I described them (${unseen.map(show).join(', ')} is there now), so I changed nothing. Ask me again to see them as they are.`,
            data: { changed: true },
          };
        }
      }
      const { mapping } = await deps.mappings.create({
        domain: p.domain,
        app: p.app,
        env: p.env,
        dnsProvider: p.dnsProvider,
        zoneId,
        zoneName: p.zoneName,
        records: p.records,
        token: p.records.at(-1)!.content,
        watchUntil: ctx.now + deps.watch.maxMs,
        requestedBy: ctx.actor.id,
        conversationId: ctx.conversationId,
        idempotencyKey: ctx.idempotencyKey,
      });
      await writeRecords(deps.dns, zoneId, p);
      for (const old of await deps.mappings.replaceOthers(p.domain, mapping.id, `replaced by the mapping to ${p.app} ${p.env}`)) {
        if (old.watchJobId) await deps.jobs.cancel(old.watchJobId, ctx.actor.id).catch(() => undefined);
      }
      const job = mapping.watchJobId ? await deps.jobs.get(mapping.watchJobId) : await startWatch(deps, mapping, ctx.actor.id);
      const first = Math.max(1, Math.round(deps.watch.firstIntervalMs / 1000));
      return {
        summary:
          `${label}Connected ${p.domain} to ${p.app} ${p.env}: ${p.records.map(show).join(', ')}` +
          `${p.replace.length ? ` (replacing ${p.replace.map(show).join(', ')})` : ''}. ` +
          `I'm asking the zone's name servers now and again (next in about ${first} s, then less often) and will tell you here when every one has them.`,
        data: { mappingId: mapping.id, ...(job ? { jobId: job.id } : {}) },
      };
    },
  };
}

/**
 * Puts the records in place, idempotently (a replayed execution finds them there): a replaced record of
 * the same type is updated in place (no gap), other replaced ones are deleted before anything is added
 * (a CNAME may not share its name), then the missing ones are added.
 */
async function writeRecords(dns: DnsProvider, zoneId: string, p: MapDomainParams): Promise<void> {
  const [atName, atToken] = await Promise.all([dns.listRecords(zoneId, { name: p.domain }), dns.listRecords(zoneId, { type: 'TXT', name: tokenRecordName(p.domain) })]);
  const present = [...atName, ...atToken];
  const missing = p.records.filter((r) => !present.some((x) => same(x, r)));
  const stale = present.filter((x) => p.replace.some((old) => old.id === x.id));
  const ttl = 300;
  for (const old of stale) {
    const successor = missing.find((r) => r.type === old.type);
    if (successor) {
      await dns.updateRecord(zoneId, old.id, { type: successor.type, name: successor.name, content: successor.content, ttl });
      missing.splice(missing.indexOf(successor), 1);
    } else {
      await dns.deleteRecord(zoneId, old.id);
    }
  }
  for (const record of missing) await dns.createRecord(zoneId, { type: record.type, name: record.name, content: record.content, ttl });
}
